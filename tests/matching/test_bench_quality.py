"""`bench quality`: hand-checked metrics through the runners (with a table-driven fake
embedder), folder discovery, and the JSON report on tiny folders with the real default model."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from matching import bench_quality
from matching.bench_quality import (
    ENGINE,
    Bench,
    CachedEmbedder,
    evaluate_folder,
    evaluate_sts,
    evaluate_topics,
    read_sts_folder,
    read_topic_folder,
    render,
    short_labels,
)
from matching.embedders import DEFAULT_MODEL


class TableEmbedder:
    """Fixed vectors for known texts; a document (lines joined by newlines) is the normalised
    sum of its lines; any other text gets a deterministic pseudo-random vector."""

    name = "table"
    dim = 3

    def __init__(self, table: dict[str, Sequence[float]]) -> None:
        self.table = {k: np.asarray(v, dtype=np.float32) for k, v in table.items()}
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        if text in self.table:
            return self.table[text]
        if "\n" in text:
            return np.sum([self._vector(line) for line in text.split("\n")], axis=0)
        seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
        return np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(-1, self.dim)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)


def table_bench(table: dict[str, Sequence[float]]) -> Bench:
    cached = CachedEmbedder(TableEmbedder(table))
    return Bench(["table"], {"table": cached, DEFAULT_MODEL: cached}, lambda _: None)


def write_folder(folder: Path, lines: dict[str, list[str]], docs: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for lang, rows in lines.items():
        (folder / f"{lang}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if docs is not None:
        (folder / "doc.txt").write_text("\n".join(docs) + "\n", encoding="utf-8")
    return folder


# en line 3 repeats line 0, so line 0's translation is a right answer for it too (and back).
EN = ["a", "b", "c", "a"]
DE = ["A", "B", "C", "D"]
VECTORS = {
    "a": (1, 0, 0),
    "b": (0, 1, 0),
    "c": (0, 0, 1),
    "A": (1, 0, 0),
    "B": (0, 0.6, 0.8),
    "C": (0, 0, 1),
    "D": (0.8, 0.6, 0),
}


def by_direction(rows: Sequence[bench_quality.Retrieval], level: str = "sentences") -> dict:
    return {(r.source, r.target, r.system): r.metrics for r in rows if r.level == level}


def test_recall_and_mrr_by_hand_with_duplicates_and_unknown_language(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "set", {"en": EN, "de": DE}, docs=["x", "x", "y", "y"])
    report = evaluate_folder(table_bench(VECTORS), folder)
    assert report.languages == ["de", "en"]
    assert (report.lines, report.documents) == (4, 2)
    found = by_direction(report.rows)
    # de→en: A→a rank 1; B scores b .6 < c .8: rank 2; C→c 1; D scores a .8 (gold: line 3 is
    # "a", so line 0 counts too) and b .6: rank 1.
    m = found["de", "en", "table"]
    assert (m.queries, m.recall_at_1, m.recall_at_10) == (4, 0.75, 1.0)
    assert m.mrr == pytest.approx((1 + 0.5 + 1 + 1) / 4)
    # en→de: a (line 3) is best matched by A, the translation of its duplicate line 0: rank 1.
    # b ties B and D at .6: the tie goes to the gold item.
    m = found["en", "de", "table"]
    assert (m.recall_at_1, m.mrr) == (1.0, 1.0)
    # "de" is not an engine language: the engine is n/a, not a crash.
    assert found["de", "en", ENGINE] is None
    assert found["en", "de", ENGINE] is None
    docs = by_direction(report.rows, "documents")
    assert docs["de", "en", "table"].queries == 2
    # documents x = a+b vs A+B (cos .8) or C+D (.7); y = c+a vs A+B (.9) or C+D (.9): ties -> gold
    assert docs["en", "de", "table"].recall_at_1 == 1.0


def test_two_engine_languages_discovered_and_embedded_once(tmp_path: Path) -> None:
    en = ["one", "two", "three"]
    ru = ["один", "два", "три"]
    table = {t: v for t, v in zip(en + ru, [(1, 0, 0), (0, 1, 0), (0, 0, 1)] * 2, strict=True)}
    folder = write_folder(tmp_path / "any-name", {"ru": ru, "en": en})
    bench = table_bench(table)
    report = evaluate_folder(bench, folder)
    assert report.languages == ["en", "ru"]
    assert report.documents is None
    assert {r.level for r in report.rows} == {"sentences"}
    found = by_direction(report.rows)
    assert set(found) == {(a, b, s) for a, b in [("en", "ru"), ("ru", "en")] for s in bench.systems}
    for a, b in [("en", "ru"), ("ru", "en")]:
        assert found[a, b, "table"].mrr == 1.0
        assert found[a, b, ENGINE] is not None and found[a, b, ENGINE].mrr == 1.0
    # every distinct text reached the model once, whatever the number of directions and systems
    assert bench.embedders["table"].texts == 6


def test_limit_keeps_the_first_lines(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "set", {"en": EN, "de": DE}, docs=["x", "x", "y", "y"])
    report = evaluate_folder(table_bench(VECTORS), folder, limit=2)
    assert (report.lines, report.total_lines, report.documents) == (2, 4, 1)


def test_topics_by_hand(tmp_path: Path) -> None:
    header = "split\tlabel\ttext\n"
    rows = [("test", "x", "a"), ("test", "y", "b"), ("train", "x", "z"), ("test", "x", "c")]
    (tmp_path / "en.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in rows), "utf-8")
    de = [(s, label, t.upper()) for s, label, t in rows]
    (tmp_path / "de.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in de), "utf-8")
    data = read_topic_folder(tmp_path)
    assert data.split == "test"
    assert data.labels == ["x", "y", "x"]
    assert data.texts["de"] == ["A", "B", "C"]
    topics = evaluate_topics(table_bench(VECTORS), data)
    found = {(t.source, t.target, t.system): t.agreement for t in topics}
    # en→de without the aligned translation: a → B (0), C (0): ties by index -> B (y), C (x);
    # b → B excluded -> C (0) and A (0) ... every query keeps 2 neighbours (k=10 > rows).
    g = found["en", "de", "table"]
    assert g is not None and g.queries == 3
    # a: {B y, C x} -> 1/2; b: {A x, C x} -> 0; c: {A x, B y} -> 1/2 => precision 1/3
    assert g.precision == pytest.approx(1 / 3)
    assert found["en", "de", ENGINE] is None  # de is not an engine language
    assert read_topic_folder(tmp_path, limit=1).labels == ["x"]


def test_sts_reads_aligned_csv_and_correlates(tmp_path: Path) -> None:
    en = [("a", "b", "1.0"), ("b", "b", "5.0"), ("c", "b", "2.0")]
    ru = [("а", "б", "1.0"), ("б", "б", "5.0"), ("в", "б", "2.0")]
    for lang, rows in (("en", en), ("ru", ru)):
        text = "".join(",".join(r) + "\n" for r in rows)
        (tmp_path / f"stsb-{lang}-test.csv").write_text(text, encoding="utf-8")
    (tmp_path / "stsb-en-dev.csv").write_text("x,y,1\n", encoding="utf-8")
    data = read_sts_folder(tmp_path)
    assert (data.split, data.gold) == ("test", [1.0, 5.0, 2.0])
    table = {"a": (1, 0, 0), "b": (0, 1, 0), "c": (0, 0.5, 1), "а": (1, 0, 0), "б": (0, 1, 0)}
    correlations = evaluate_sts(table_bench(table), data)
    found = {(c.source, c.target, c.system): c.spearman for c in correlations}
    # en→ru: cos(a, б) = 0, cos(b, б) = 1, cos(c, б) = .447: ranks 1, 3, 2 = gold ranks
    assert found["en", "ru", "table"] == pytest.approx(1.0)
    assert found["en", "ru", ENGINE] == pytest.approx(1.0)  # calibration is monotone


def test_short_labels_and_render() -> None:
    labels = short_labels([ENGINE, "use-multilingual-v3-int8", "use-multilingual-v3-numpy"])
    assert labels == {
        ENGINE: ENGINE,
        "use-multilingual-v3-int8": "int8",
        "use-multilingual-v3-numpy": "numpy",
    }
    assert short_labels([ENGINE, "use-multilingual-v3-int8"])["use-multilingual-v3-int8"] == (
        "use-multilingual-v3-int8"
    )
    lines = render([("", 1), ("sys", 2)], ["dir", "R@1", "MRR"], [["en→ru", "1.000", "0.5"]])
    assert lines == ["       sys", "dir      R@1  MRR", "en→ru  1.000  0.5"]


# --- the whole command on tiny folders, with the real default model ---------------------------

TINY = {
    "en": [
        "The new wind turbine produces five megawatts.",
        "It keeps working in severe frost.",
        "Farmers planted an early rice variety.",
        "The harvest was large despite the cold summer.",
        "The museum opened an exhibition of old maps.",
        "Visitors can see charts from the sixteenth century.",
    ],
    "ru": [
        "Новая ветряная турбина вырабатывает пять мегаватт.",
        "Она продолжает работать в сильный мороз.",
        "Фермеры посадили раннеспелый сорт риса.",
        "Урожай был большим, несмотря на холодное лето.",
        "Музей открыл выставку старинных карт.",
        "Посетители могут увидеть карты шестнадцатого века.",
    ],
    "zh": [
        "新型风力涡轮机可发电五兆瓦。",
        "它在严寒中也能继续工作。",
        "农民种植了早熟水稻品种。",
        "尽管夏天寒冷，收成仍然很好。",
        "博物馆举办了古地图展览。",
        "参观者可以看到十六世纪的海图。",
    ],
}
LABELS = ["energy", "energy", "farming", "farming", "culture", "culture"]


def test_command_writes_json_report(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "tiny", TINY, docs=["w", "w", "r", "r", "m", "m"])
    sib = tmp_path / "sib"
    sib.mkdir()
    for lang, lines in TINY.items():
        body = "".join(f"test\t{label}\t{t}\n" for label, t in zip(LABELS, lines, strict=True))
        (sib / f"{lang}.tsv").write_text("split\tlabel\ttext\n" + body, encoding="utf-8")
    sts = tmp_path / "sts"
    sts.mkdir()
    for lang, lines in TINY.items():
        rows = [
            [lines[i], lines[j], str(score)] for i, j, score in [(0, 1, 4), (0, 4, 0), (2, 3, 3)]
        ]
        text = "".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows)
        (sts / f"stsb-{lang}-test.csv").write_text(text, encoding="utf-8")
    report = tmp_path / "out" / "quality.json"
    out = io.StringIO()
    options = ["--models", DEFAULT_MODEL, "--sib", str(sib), "--sts", str(sts), "--quiet"]
    code = bench_quality.main([str(folder), *options, "--json", str(report)], out=out)
    assert code == 0
    printed = out.getvalue()
    assert "== tiny: 6 lines" in printed and "zh→ru (docs)" in printed
    assert "SIB-200 topic agreement" in printed and "STS-B cross-lingual Spearman" in printed
    data = json.loads(report.read_text(encoding="utf-8"))
    meta = data["meta"]
    assert meta["models"] == [DEFAULT_MODEL]
    assert meta["engine"]["model"] == DEFAULT_MODEL
    assert {"command", "date", "python", "platform", "cpu_count", "seconds"} <= set(meta)
    [entry] = data["parallel"]
    assert (entry["name"], entry["lines"], entry["documents"]) == ("tiny", 6, 3)
    assert entry["languages"] == ["en", "ru", "zh"]
    assert len(entry["results"]) == 12  # 6 directions × (sentences, documents)
    first = entry["results"][0]
    assert (first["level"], first["direction"], first["queries"]) == ("sentences", "en→ru", 6)
    assert set(first["systems"]) == {ENGINE, DEFAULT_MODEL}
    assert set(first["systems"][ENGINE]) == {"recall_at_1", "recall_at_10", "mrr"}
    assert all(
        0.0 <= v <= 1.0 for r in entry["results"] for s in r["systems"].values() for v in s.values()
    )
    assert data["sib"]["rows"] == 6 and len(data["sib"]["results"]) == 12
    assert {"topic_precision_at_10", "knn_accuracy"} <= set(data["sib"]["results"][0])
    assert data["sts"]["pairs"] == 3 and len(data["sts"]["results"]) == 12
    assert isinstance(data["engine_below_raw"], list)


def test_command_notes_missing_extras_and_bad_input(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "tiny", {k: v[:3] for k, v in TINY.items() if k != "ru"})
    out = io.StringIO()
    missing = str(tmp_path / "no")
    options = ["--models", "", "--sib", missing, "--sts", missing, "--quiet"]
    code = bench_quality.main([str(folder), *options, "--json", str(tmp_path / "q.json")], out=out)
    assert code == 0
    assert "skipped" in out.getvalue()
    data = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert "skipped" in data["sib"] and "skipped" in data["sts"]
    assert [r["direction"] for r in data["parallel"][0]["results"]] == ["en→zh", "zh→en"]
    assert bench_quality.main([str(tmp_path / "missing"), "--quiet"], out=out) == 2
    assert bench_quality.main([str(folder), "--models", "nope", "--quiet"], out=out) == 2
