"""Cross-lingual ranking with hard requirements (real model, real index)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from qiao.careers import ranking
from qiao.careers.models import PostingStatus
from qiao.careers.tests.factories import PostingFactory, TalentProfileFactory
from qiao.search.collections.careers import posting_key, talent_key
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def _index(*profiles: object) -> None:
    for profile in profiles:
        index_now("careers", [talent_key(profile.pk)])  # type: ignore[attr-defined]


def test_chinese_welder_ranks_first_for_russian_welding_internship() -> None:
    posting = PostingFactory.create(language="ru", status=PostingStatus.PUBLISHED)
    welder = TalentProfileFactory.create(language="zh")
    electrician = TalentProfileFactory.create(language="ru")
    analyst = TalentProfileFactory.create(language="en")
    _index(welder, electrician, analyst)
    fits = ranking.rank_candidates(posting, [welder, electrician, analyst])
    assert fits[0].profile == welder
    best = fits[0]
    aligned = {(p.wanted, p.offered) for p in best.skills}
    assert ("сварка", "焊接") in aligned
    assert ("контроль качества", "质量检验") in aligned
    assert best.passages, "aligned passages explain the match"
    assert best.score > fits[-1].score


def test_candidate_failing_language_minimum_never_ranks_above_one_who_meets_it() -> None:
    posting = PostingFactory.create(
        language="ru",
        status=PostingStatus.PUBLISHED,
        min_russian=4,  # TORFL-2
    )
    # The better text match lacks the Russian level; the weaker one has it.
    welder = TalentProfileFactory.create(language="zh", russian_level=2)
    electrician = TalentProfileFactory.create(language="ru", russian_level=7)
    _index(welder, electrician)
    fits = ranking.rank_candidates(posting, [welder, electrician])
    assert [f.profile for f in fits] == [electrician, welder]
    assert fits[0].meets_requirements
    missing = fits[1].missing_languages
    assert [(c.language, c.required, c.actual) for c in missing] == [("ru", 4, 2)]
    assert fits[1].score > fits[0].score  # the rule, not the text, decided the order


def test_dates_are_a_hard_requirement() -> None:
    posting = PostingFactory.create(language="ru", status=PostingStatus.PUBLISHED)
    late = TalentProfileFactory.create(
        language="zh", available_from=posting.start_date + timedelta(days=10)
    )
    on_time = TalentProfileFactory.create(
        language="en",
        available_from=posting.start_date,
        available_to=posting.end_date,
    )
    _index(late, on_time)
    fits = ranking.rank_candidates(posting, [late, on_time])
    assert [f.profile for f in fits] == [on_time, late]
    assert not fits[1].dates_met


def test_dates_met_rules() -> None:
    posting = PostingFactory.build(
        start_date=timezone.localdate(), end_date=timezone.localdate() + timedelta(days=30)
    )
    profile = TalentProfileFactory.build()
    assert ranking.dates_met(posting, profile)
    profile.available_to = posting.start_date + timedelta(days=5)
    assert not ranking.dates_met(posting, profile)
    posting.end_date = None
    assert ranking.dates_met(posting, profile)


def test_postings_for_a_candidate_across_languages() -> None:
    welding = PostingFactory.create(language="ru", status=PostingStatus.PUBLISHED)
    logistics = PostingFactory.create(language="en", status=PostingStatus.PUBLISHED)
    cars = PostingFactory.create(language="zh", status=PostingStatus.PUBLISHED, min_english=6)
    for p in (welding, logistics, cars):
        index_now("careers", [posting_key(p.pk)])
    student = TalentProfileFactory.create(language="zh", english_level=2)
    fits = ranking.rank_postings(student, [welding, logistics, cars])
    assert fits[0].posting == welding
    assert fits[-1].posting == cars  # fails CEFR C2, so last whatever its score
    assert not fits[-1].meets_requirements


def test_skill_alignment_threshold_examples() -> None:
    pairs, missing = ranking.align_skills(
        ["сварка", "чтение чертежей", "Excel"], ["焊接", "электромонтаж", "statistics"]
    )
    assert [(p.wanted, p.offered) for p in pairs] == [("сварка", "焊接")]
    assert missing == ("чтение чертежей", "Excel")


def test_same_skill_in_trade_jargon_is_paired_through_the_thesaurus() -> None:
    # The model scores these translations below SKILL_SIMILARITY (识图/чтение чертежей 0.51,
    # PLC编程/ПЛК 0.49); the skill thesaurus knows they are one skill.
    pairs, missing = ranking.align_skills(
        ["чтение чертежей", "ПЛК", "blueprint reading"], ["PLC编程", "机械识图"]
    )
    assert [(p.wanted, p.offered, p.similarity) for p in pairs] == [
        ("чтение чертежей", "机械识图", 1.0),
        ("ПЛК", "PLC编程", 1.0),
        ("blueprint reading", "机械识图", 1.0),
    ]
    assert missing == ()


def test_demo_welding_candidate_has_no_missing_skill() -> None:
    """The case from issue 16: the Russian welding internship and the Chinese welder."""
    posting = PostingFactory.create(
        language="ru",
        status=PostingStatus.PUBLISHED,
        skills=[
            "сварка в среде защитного газа",
            "чтение чертежей",
            "контроль качества сварных швов",
        ],
    )
    welder = TalentProfileFactory.create(
        language="zh", skills=["二氧化碳气体保护焊", "识图", "焊缝质量检验"]
    )
    fit = ranking.fit_for(posting, welder)
    assert fit.missing_skills == ()
    assert ("чтение чертежей", "识图") in {(p.wanted, p.offered) for p in fit.skills}
