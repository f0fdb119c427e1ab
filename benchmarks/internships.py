# ruff: noqa: E501  (the candidate texts are sentences; wrapping them would not help)
"""Matching quality of qiao.careers on real Russian job postings (hh.ru, data analyst family).

Not part of the test run. The postings stay where they are (../shared/benchmarks/domain/
hh-ru-vacancies, MIT, belongs to the employers): this script reads them, never copies them.

    .venv/bin/python benchmarks/internships.py [path/to/vacancies.csv] [--json]

Set-up. Postings whose title names exactly one of six specialities (1C, systems, business,
financial, data/BI, marketing analyst) are labelled by it; every other posting (generic
"Аналитик", mixed titles) stays in the index as a distractor. Candidates are 18 talent
profiles written for this benchmark, one per speciality in each of Chinese, Russian and
English. Documents go through the app's own adapter (qiao.careers.engine) into the real
engine and model.

Measured, per candidate language (ru = same language as the postings; zh, en = cross-lingual):
- postings for a candidate: precision@10 and nDCG@10 (relevant = same speciality), against
  the share of that speciality among all postings (what a random ranking would give);
- candidates for a posting: for each labelled posting, the rank of the right-speciality
  candidate among the six candidates written in each language (MRR, top-1; a random order
  gives MRR 0.408), and, over all 18 mixed together, recall@3: the share of the three
  right-speciality candidates (one per language) that make the top 3.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings")

DEFAULT_CSV = ROOT.parent / "shared" / "benchmarks" / "domain" / "hh-ru-vacancies" / "vacancies.csv"

FAMILIES = {
    "1c": r"1[СC]",
    "systems": r"системн",
    "business": r"бизнес|business",
    "financial": r"финанс|financial|экономист",
    "data": r"данных|data|\bBI\b|дата",
    "marketing": r"маркет|marketing",
}

# Candidate profiles written for this benchmark: (headline, specialty, skills, experience).
CANDIDATES: dict[str, dict[str, tuple[str, str, list[str], str]]] = {
    "1c": {
        "zh": (
            "1C企业管理系统实施顾问",
            "企业信息化",
            ["1C:企业", "会计系统配置", "业务流程建模"],
            "在软件公司实习一年，为贸易企业实施1C会计和仓储模块，编写需求说明并培训用户。",
        ),
        "ru": (
            "Консультант по внедрению 1С",
            "Прикладная информатика",
            ["1С:Предприятие", "настройка учёта", "BPMN"],
            "Год работал в компании-интеграторе: внедрял конфигурации 1С для торговых предприятий, писал ТЗ и обучал пользователей.",
        ),
        "en": (
            "1C ERP implementation consultant",
            "Business informatics",
            ["1C:Enterprise", "accounting setup", "process modelling"],
            "One year at a systems integrator deploying 1C accounting and warehouse modules for retailers, writing specifications and training users.",
        ),
    },
    "systems": {
        "zh": (
            "系统分析师，擅长需求分析与接口设计",
            "软件工程",
            ["需求分析", "UML建模", "REST API", "SQL"],
            "参与银行系统开发项目，负责编写技术规格说明、设计系统间接口并与开发人员沟通需求。",
        ),
        "ru": (
            "Системный аналитик, требования и интеграции",
            "Программная инженерия",
            ["анализ требований", "UML", "REST API", "SQL"],
            "Участвовал в разработке банковской системы: писал технические задания, проектировал интеграции между системами и согласовывал требования с разработчиками.",
        ),
        "en": (
            "Systems analyst for requirements and integrations",
            "Software engineering",
            ["requirements analysis", "UML", "REST API", "SQL"],
            "Worked on a banking system project writing technical specifications, designing interfaces between systems and clarifying requirements with developers.",
        ),
    },
    "business": {
        "zh": (
            "业务分析师，优化企业业务流程",
            "工商管理",
            ["业务流程分析", "需求收集", "BPMN", "利益相关者沟通"],
            "在咨询公司实习期间访谈业务部门，梳理销售和采购流程，提出流程改进方案并整理业务需求。",
        ),
        "ru": (
            "Бизнес-аналитик, оптимизация бизнес-процессов",
            "Менеджмент",
            ["анализ бизнес-процессов", "сбор требований", "BPMN", "работа с заказчиком"],
            "На стажировке в консалтинге проводил интервью с подразделениями, описывал процессы продаж и закупок и предлагал улучшения.",
        ),
        "en": (
            "Business analyst improving business processes",
            "Management",
            [
                "business process analysis",
                "requirements elicitation",
                "BPMN",
                "stakeholder management",
            ],
            "During a consulting internship I interviewed departments, mapped sales and purchasing processes and proposed improvements.",
        ),
    },
    "financial": {
        "zh": (
            "财务分析师，预算与财务报表分析",
            "财务管理",
            ["财务报表分析", "预算编制", "财务建模", "Excel"],
            "在制造企业财务部实习，编制月度预算执行报告，分析成本和利润，建立现金流预测模型。",
        ),
        "ru": (
            "Финансовый аналитик, бюджетирование и отчётность",
            "Финансы и кредит",
            ["анализ финансовой отчётности", "бюджетирование", "финансовое моделирование", "Excel"],
            "Стажировался в финансовом отделе завода: готовил отчёты об исполнении бюджета, анализировал себестоимость и строил модель движения денежных средств.",
        ),
        "en": (
            "Financial analyst for budgeting and reporting",
            "Finance",
            ["financial statement analysis", "budgeting", "financial modelling", "Excel"],
            "Interned in a manufacturer's finance department preparing monthly budget reports, analysing costs and margins and building a cash-flow forecast model.",
        ),
    },
    "data": {
        "zh": (
            "数据分析师，熟悉SQL、Python和数据可视化",
            "数据科学与大数据技术",
            ["SQL", "Python", "Power BI", "统计分析"],
            "为电商公司搭建销售数据看板，用SQL和Python清洗数据，做用户行为统计分析。",
        ),
        "ru": (
            "Аналитик данных: SQL, Python, визуализация",
            "Прикладная математика",
            ["SQL", "Python", "Power BI", "статистика"],
            "Строил дашборды продаж для интернет-магазина, очищал данные на SQL и Python, проводил статистический анализ поведения пользователей.",
        ),
        "en": (
            "Data analyst with SQL, Python and dashboards",
            "Data science",
            ["SQL", "Python", "Power BI", "statistics"],
            "Built sales dashboards for an online shop, cleaned data with SQL and Python and ran statistical analyses of customer behaviour.",
        ),
    },
    "marketing": {
        "zh": (
            "市场分析师，研究市场与营销效果",
            "市场营销",
            ["市场调研", "营销效果分析", "竞争对手分析", "Excel"],
            "在快消品公司市场部实习，开展消费者调研，分析广告投放效果和竞争对手价格。",
        ),
        "ru": (
            "Маркетолог-аналитик: исследования рынка",
            "Маркетинг",
            ["исследование рынка", "анализ рекламных кампаний", "конкурентный анализ", "Excel"],
            "Стажировалась в отделе маркетинга компании FMCG: проводила опросы потребителей, анализировала эффективность рекламы и цены конкурентов.",
        ),
        "en": (
            "Marketing analyst for market research",
            "Marketing",
            ["market research", "campaign analysis", "competitor analysis", "Excel"],
            "Interned in an FMCG marketing team running consumer surveys and analysing advertising performance and competitors' prices.",
        ),
    },
}

_TAGS = re.compile(r"<[^>]+>")


def read_postings(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for i, row in enumerate(rows):
        title = row["Название"].strip()
        hits = [name for name, pattern in FAMILIES.items() if re.search(pattern, title, re.I)]
        skills = row["Ключевые навыки"].strip()
        out.append(
            {
                "id": str(i + 1),
                "title": title,
                "requirements": _TAGS.sub("", row["Требования"]).strip(),
                "skills": "" if skills == "Не указаны" else skills,
                "city": row["Регион"],
                "family": hits[0] if len(hits) == 1 else "",
            }
        )
    return out


def _dcg(relevances: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(relevances))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not args.csv.is_file():
        parser.error(f"{args.csv} not found (../shared/benchmarks/domain/hh-ru-vacancies)")

    import django

    django.setup()
    from django.conf import settings

    from matching import Engine, get_embedder
    from qiao.careers import engine as adapter
    from qiao.careers.models import Posting, TalentProfile

    started = time.perf_counter()
    rows = read_postings(args.csv)
    postings = []
    for row in rows:
        p = Posting(
            pk=int(row["id"]),
            kind="job",
            language="ru",
            title=row["title"],
            description=row["requirements"],
            requirements="",
            specialty=row["title"],
            skills=[s.strip() for s in row["skills"].split(",") if s.strip()],
            country="RU",
            city=row["city"],
            start_date=date.today(),
            closes_on=date.today(),
        )
        postings.append(p)
    profiles: list[tuple[str, str, TalentProfile]] = []
    for n, (family, by_language) in enumerate(sorted(CANDIDATES.items())):
        for m, (language, (headline, specialty, skills, experience)) in enumerate(
            sorted(by_language.items())
        ):
            profile = TalentProfile(
                pk=100_000 + 3 * n + m,
                language=language,
                headline=headline,
                specialty=specialty,
                study_level="graduate",
                skills=skills,
                experience=experience,
            )
            profiles.append((family, language, profile))
    engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
    engine.upsert([adapter.posting_to_document(p) for p in postings])
    engine.upsert([adapter.profile_to_document(p) for _f, _l, p in profiles])
    indexed = time.perf_counter() - started

    family_of = {adapter.posting_doc_id(int(r["id"])): r["family"] for r in rows}
    labelled = [r for r in rows if r["family"]]
    share = {f: sum(1 for r in labelled if r["family"] == f) / len(rows) for f in FAMILIES}

    # postings for a candidate
    k = 10
    by_lang: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for family, language, profile in profiles:
        hits = engine.match(
            adapter.profile_to_document(profile), filters={"kind": {adapter.POSTING}}, k=k
        )
        rel = [1 if family_of.get(h.doc_id) == family else 0 for h in hits]
        ideal = _dcg([1] * min(k, sum(1 for r in labelled if r["family"] == family)))
        by_lang[language].append((sum(rel) / k, _dcg(rel) / ideal, share[family]))

    # candidates for a posting
    ranks: dict[str, list[int]] = defaultdict(list)
    recall3: list[float] = []
    profile_family = {adapter.talent_doc_id(p.pk): (f, lang) for f, lang, p in profiles}
    for row, posting in zip(rows, postings, strict=True):
        if not row["family"]:
            continue
        hits = engine.match(
            adapter.posting_to_document(posting),
            filters={"kind": {adapter.TALENT}},
            k=len(profiles),
        )
        order = [profile_family[h.doc_id] for h in hits]
        for language in ("zh", "ru", "en"):
            own = [f for f, lang in order if lang == language]
            ranks[language].append(own.index(row["family"]) + 1)
        recall3.append(sum(1 for f, _lang in order[:3] if f == row["family"]) / 3)
    elapsed = time.perf_counter() - started

    result = {
        "data": str(args.csv.name),
        "postings": len(rows),
        "labelled_postings": len(labelled),
        "candidates": len(profiles),
        "model": engine.model_name,
        "seconds": {"index": round(indexed, 1), "total": round(elapsed, 1)},
        "postings_for_candidate": {
            lang: {
                "precision@10": round(sum(v[0] for v in vals) / len(vals), 3),
                "ndcg@10": round(sum(v[1] for v in vals) / len(vals), 3),
                "random_precision": round(sum(v[2] for v in vals) / len(vals), 3),
            }
            for lang, vals in sorted(by_lang.items())
        },
        "candidates_for_posting": {
            lang: {
                "mrr": round(sum(1 / r for r in rs) / len(rs), 3),
                "top1": round(sum(1 for r in rs if r == 1) / len(rs), 3),
                "random_mrr": round(sum(1 / r for r in range(1, 7)) / 6, 3),
            }
            for lang, rs in sorted(ranks.items())
        },
        "candidates_for_posting_mixed_recall@3": round(sum(recall3) / len(recall3), 3),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{result['postings']} real postings ({result['labelled_postings']} labelled), "
        f"{result['candidates']} candidates, model {result['model']}, {elapsed:.0f} s"
    )
    print("postings for a candidate   precision@10  nDCG@10  (random precision)")
    for lang, v in result["postings_for_candidate"].items():  # type: ignore[union-attr]
        print(
            f"  candidate in {lang}          {v['precision@10']:.3f}     {v['ndcg@10']:.3f}    ({v['random_precision']:.3f})"
        )
    print("candidates for a posting   MRR    top-1  (random MRR), among 6 per language")
    for lang, v in result["candidates_for_posting"].items():  # type: ignore[union-attr]
        print(
            f"  candidate in {lang}          {v['mrr']:.3f}  {v['top1']:.3f}  ({v['random_mrr']:.3f})"
        )
    print(
        "  all 18 mixed: recall@3 of the three right-speciality candidates "
        f"{result['candidates_for_posting_mixed_recall@3']:.3f} (random 0.167)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
