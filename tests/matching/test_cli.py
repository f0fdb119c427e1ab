from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from matching import Document
from matching.cli import UsageError, main, parse_filters


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def write_jsonl(path: Path, docs: list[Document]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            record = {
                "id": d.id,
                "language": d.language,
                "fields": dict(d.fields),
                "attributes": {k: sorted(v) for k, v in d.attributes.items()},
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def index_dir(tmp_path: Path, corpus: list[Document]) -> Path:
    docs = write_jsonl(tmp_path / "docs.jsonl", corpus)
    code, out = run("index", str(docs), "--out", str(tmp_path / "idx"))
    assert code == 0
    assert f"indexed {len(corpus)} documents" in out
    return tmp_path / "idx"


def test_search_prints_readable_results(index_dir: Path) -> None:
    code, out = run("search", str(index_dir), "LED освещение для теплиц", "-k", "2")
    assert code == 0
    first = out.splitlines()[0]
    assert "en-led" in first and "[en]" in first and "LED lighting for greenhouses" in first
    assert "semantic" in out and "↔" in out


def test_search_with_filters_and_json(index_dir: Path) -> None:
    code, out = run("search", str(index_dir), "wind turbine", "--filter", "kind=request", "--json")
    assert code == 0
    results = json.loads(out)
    assert results[0]["id"] == "ru-wind-request"
    assert {"score", "semantic", "passages", "shared_numbers"} <= set(results[0])


def test_match_a_jsonl_file(index_dir: Path, tmp_path: Path, corpus: list[Document]) -> None:
    queries = write_jsonl(tmp_path / "q.jsonl", [d for d in corpus if d.id == "ru-rice-request"])
    code, out = run(
        "match", str(index_dir), str(queries), "--filter", "kind=offer", "-k", "1", "--json"
    )
    assert code == 0
    record = json.loads(out)
    assert record["id"] == "ru-rice-request"
    assert [m["id"] for m in record["matches"]] == ["zh-rice"]


def test_eval_parallel_on_a_tiny_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "en.txt").write_text(
        "The weather is nice today.\nI like green tea.\nThe train leaves at noon.\n"
    )
    (folder / "ru.txt").write_text(
        "Сегодня хорошая погода.\nЯ люблю зелёный чай.\nПоезд отправляется в полдень.\n"
    )
    (folder / "zh.txt").write_text("今天天气很好。\n我喜欢绿茶。\n火车中午出发。\n")
    (folder / "doc.txt").write_text("a\na\nb\n")
    code, out = run("eval-parallel", str(folder), "--json")
    assert code == 0
    results = json.loads(out.splitlines()[-1])
    assert [r["direction"] for r in results][:6] == [
        "en→ru",
        "en→zh",
        "ru→en",
        "ru→zh",
        "zh→en",
        "zh→ru",
    ]
    assert len(results) == 12  # six line-level and six document-level directions
    assert all(r["recall_at_1"] == 1.0 and r["mrr"] == 1.0 for r in results)
    assert "R@10" in out


def test_errors_are_reported_not_raised(tmp_path: Path) -> None:
    code, _ = run("search", str(tmp_path), "text")
    assert code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "language": "de", "fields": {}}\n')
    code, _ = run("index", str(bad), "--out", str(tmp_path / "idx"))
    assert code == 2
    code, _ = run("index", str(bad), "--out", str(tmp_path / "idx"), "--model", "nope")
    assert code == 2


def test_parse_filters() -> None:
    assert parse_filters(["kind=offer", "sector=it,energy", "sector=agro"]) == {
        "kind": {"offer"},
        "sector": {"it", "energy", "agro"},
    }
    with pytest.raises(UsageError):
        parse_filters(["kind"])


def test_eval_halves_and_bench_embed(tmp_path: Path) -> None:
    folder = tmp_path / "halves"
    folder.mkdir()
    (folder / "en.txt").write_text("Wind turbines.\nThey work in frost.\nRice.\nCold summer.\n")
    (folder / "ru.txt").write_text("Ветряки.\nОни работают в мороз.\nРис.\nХолодное лето.\n")
    (folder / "zh.txt").write_text("风力发电机。\n严寒中也能工作。\n水稻。\n寒冷的夏天。\n")
    (folder / "doc.txt").write_text("a\na\nb\nb\n")
    code, out = run("eval-halves", str(folder), "--compare")
    assert code == 0
    assert out.count("cross-language (mean)") == 4
    code, out = run("eval-halves", str(folder), "--fit")
    assert code == 0 and "zh-ru:" in out
    code, out = run("bench-embed", str(folder / "en.txt"))
    assert code == 0 and "sentences/s at batch 32" in out
    code, _ = run("eval-halves", str(tmp_path))  # no {lang}.txt files
    assert code == 2
