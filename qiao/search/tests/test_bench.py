"""`bench_platform` end to end on a tiny corpus: every measurement is there and sane.

Not a timed test: the numbers are only checked for being present and plausible. The command
makes its own SQLite database and runs the web process and a worker as subprocesses; the data
folder is written here in the three formats it reads (CSL tsv, hh.ru csv, parallel doc.txt).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.slow

ZH_TOPICS = ["水稻", "风力发电", "管道焊接", "温室照明", "电池回收", "机器视觉"]
ZH_PLACES = ["黑龙江", "哈尔滨", "大庆", "齐齐哈尔"]
RU_TOPICS = ["данных", "продаж", "логистики", "финансов", "маркетинга", "производства"]
RU_CITIES = ["Москва", "Казань", "Новосибирск", "Хабаровск"]
EN_TOPICS = ["wind turbines", "rice breeding", "pipeline welding", "battery recycling"]
EN_PLACES = ["the northern plains", "a river port", "the old factory", "the university town"]


def write_data(folder: Path) -> None:
    csl = folder / "csl"
    csl.mkdir(parents=True)
    ts, kg, cls = [], [], []
    for i, (topic, place) in enumerate((t, p) for t in ZH_TOPICS for p in ZH_PLACES):
        title = f"{place}地区{topic}技术的应用研究（第{i}号）"
        abstract = (
            f"本文研究了{place}地区{topic}技术的现状与问题。通过对{i + 3}个企业的调查，"
            f"分析了{topic}在寒冷气候条件下的效率和成本。结果表明，改进后的工艺可以提高产量"
            f"百分之{10 + i}，并显著降低能耗。最后提出了推广{topic}技术的建议和措施。"
        )
        ts.append(f"to title\t{abstract}\t{title}")
        kg.append(f"to keywords\t{abstract}\t{topic}_{place}_节能")
        cls.append(f"to category\t{title}\t工学")
    (csl / "ts.dev.tsv").write_text("\n".join(ts) + "\n", encoding="utf-8")
    (csl / "kg.dev.tsv").write_text("\n".join(kg) + "\n", encoding="utf-8")
    (csl / "cls_ctg.dev.tsv").write_text("\n".join(cls) + "\n", encoding="utf-8")

    hh = folder / "hh"
    hh.mkdir()
    with (hh / "vacancies.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Название", "Компания", "Регион", "Опыт работы", "Требования", "Ключевые навыки"]
        )
        for i, (topic, city) in enumerate((t, c) for t in RU_TOPICS for c in RU_CITIES):
            writer.writerow(
                [
                    f"Аналитик {topic} номер {i}",
                    f"Компания {city} {i}",
                    city,
                    "От 1 года до 3 лет",
                    f"Опыт анализа {topic} и подготовки отчётов для руководства. Знание методов "
                    f"статистики, умение работать с большими объёмами информации в городе {city}",
                    "Аналитика, Отчётность, Статистика",
                ]
            )

    parallel = folder / "parallel" / "tiny"
    parallel.mkdir(parents=True)
    docs, lines = [], []
    for i, (topic, place) in enumerate((t, p) for t in EN_TOPICS for p in EN_PLACES):
        for sentence in (
            f"New work on {topic} near {place}, report number {i}",
            f"Engineers tested how {topic} behave in the cold winters of {place}.",
            f"The results show that the improved method raises the output by {10 + i} percent.",
            f"They now look for partners who want to use the {topic} method in their region.",
        ):
            docs.append(f"doc{i}")
            lines.append(sentence)
    (parallel / "doc.txt").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (parallel / "en.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_tiny_run_writes_every_measurement(tmp_path: Path) -> None:
    write_data(tmp_path / "data")
    out = tmp_path / "platform.json"
    call_command(
        "bench_platform",
        "--sizes=60",
        "--base=30",
        "--rate=2",
        "--duration=3",
        "--singles=2",
        "--warmup=1",
        "--embed-sample=10",
        "--drain=20",
        "--timeout=120",
        "--profile-publishes",
        f"--data={tmp_path / 'data'}",
        f"--json={out}",
        f"--tmp-dir={tmp_path}",
    )
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))

    machine = report["machine"]
    assert machine["command"].startswith("qiao bench platform --sizes 60")
    assert machine["database"] == "sqlite" and machine["cpu_count"] >= 1
    assert report["data"]["records"] == {"zh": 24, "ru": 24, "en": 16}
    assert "synthetic clones" in report["method"]["corpus"]

    imported = report["batch_import"]
    assert imported["profiles"] == 30 and imported["rejected_rows"] == 0
    assert 0 < imported["import_seconds"] <= imported["searchable_seconds"]
    assert imported["embedding"]["texts_per_profile"] > 1
    assert imported["ratio_to_embedding"] > 0

    [size] = report["sizes"]
    assert size["size"] == 60 and size["real_profiles"] == 30 and size["synthetic_clones"] == 30
    assert size["clone_check"]["checked"] > 0 and size["clone_check"]["mismatched"] == 0

    load = size["load"]
    assert load["documents"] == 60 and load["texts_embedded"] == 0  # no embedding on load
    assert load["embedding_would_take_s"] > 0
    restored = size["load_checkpoint"]
    assert restored["loaded_from"].startswith("checkpoint") and restored["texts_embedded"] == 0
    assert restored["documents"] == 60 and size["checkpoint_write"]["bytes"] > 0

    worker = size["worker_per_publish"]
    assert worker["publishes"] == 2
    assert worker["model_ms_p50"] > 0 and worker["worker_ms_p50"] > worker["model_ms_p50"]
    assert worker["parts_ms_p50"]["commit"] > 0 and "matches" in worker["parts_ms_p50"]
    assert worker["profile_top_self"][0]["self_seconds"] > 0

    written = size["bytes_per_publish"]
    assert written["entry_state_bytes"] > 1024  # the float16 vector alone is 1 KiB
    assert written["database_growth_bytes"] > 0 and written["wchar_bytes"] > 0

    cold = size["cold_start"]
    assert cold["seconds_to_first_search"] > 0 and cold["rss_mb"] > 50
    assert cold["logged_load_documents"] >= 60  # and the single publishes since
    assert cold["logged_load_from"].startswith("checkpoint")
    assert size["worker_start"]["entries_written_by_startup_reconcile"] == 0

    stream = size["stream"]
    assert stream["publishes"] == 6 and stream["failed_publishes"] == 0
    assert stream["searches"] > 0 and stream["search_errors"] == 0
    assert 0 < stream["search_ms_p50"] <= stream["search_ms_p95"] <= stream["search_ms_p99"]
    assert stream["searchable_found"] >= 1
    assert 0 < stream["searchable_s_p50"] <= stream["searchable_s_p99"]
    assert stream["web_rss_mb_max"] > 50
    assert stream["cpu"]["cores_used_by"]["web"] > 0

    assert report["skipped"] == []
    names = " ".join(t["target"] for t in report["targets"])
    assert "cold start" in names and "search p99" in names and "batch import" in names


def test_missing_data_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("bench_platform", f"--data={tmp_path / 'nowhere'}", "--sizes=10")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no usable text"):
        call_command("bench_platform", f"--data={tmp_path / 'empty'}", "--sizes=10")
