"""Ranking candidates for a posting and postings for a candidate, with explanations.

The engine gives a cross-lingual match quality (0-100). Hard requirements come on top: a
candidate who fails a posting's minimum language level or its dates is never ranked above one
who meets them (sort key: requirements met first, then quality, then id).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import IntegerChoices

from qiao.careers.models import LEVEL_CHOICES, Posting, TalentProfile
from qiao.search.collections.careers import (
    NAME,
    POSTING,
    TALENT,
    posting_document,
    posting_key,
    talent_document,
    talent_key,
)
from qiao.search.selectors import (
    ids_filter,
    search_embed,
    search_match,
    search_text,
    term_concepts,
)
from qiao.search.types import Explanation

# Two skills, in any languages, count as the same when the skill thesaurus puts them under one
# concept (识图 = чтение чертежей) or, for skills it does not know, when their embeddings are
# this close. On the bundled multilingual model, translations of a skill name score 0.75-0.95
# (сварка/焊接 0.78), neighbouring trades about 0.5 (электромонтаж/焊接 0.52) and unrelated
# skills under 0.35 (qiao/careers/tests/test_ranking.py pins examples); short trade jargon
# scores low even when it is the same skill (识图/чтение чертежей 0.51), hence the thesaurus.
SKILL_SIMILARITY = 0.55
CANDIDATE_POOL = 500


@dataclass(frozen=True)
class LanguageCheck:
    language: str  # zh / ru / en
    required: int
    actual: int

    @property
    def met(self) -> bool:
        return self.actual >= self.required

    def _label(self, level: int) -> str:
        choices: type[IntegerChoices] = LEVEL_CHOICES[self.language]
        return str(choices(level).label)

    @property
    def required_label(self) -> str:
        return self._label(self.required)

    @property
    def actual_label(self) -> str:
        return self._label(self.actual)


@dataclass(frozen=True)
class SkillPair:
    wanted: str  # the posting's skill
    offered: str  # the candidate's skill
    similarity: float


@dataclass(frozen=True)
class PassagePair:
    posting: str
    candidate: str
    similarity: float


@dataclass(frozen=True)
class Fit:
    """How one candidate fits one posting."""

    posting: Posting
    profile: TalentProfile
    score: float
    languages: tuple[LanguageCheck, ...]
    dates_met: bool
    skills: tuple[SkillPair, ...] = ()
    missing_skills: tuple[str, ...] = ()
    passages: tuple[PassagePair, ...] = ()
    shared_terms: tuple[str, ...] = field(default=())
    # None: the candidate named no preferred countries (a soft signal, never a requirement)
    preferred_country: bool | None = None

    @property
    def languages_met(self) -> bool:
        return all(c.met for c in self.languages)

    @property
    def meets_requirements(self) -> bool:
        return self.languages_met and self.dates_met

    @property
    def missing_languages(self) -> tuple[LanguageCheck, ...]:
        return tuple(c for c in self.languages if not c.met)

    def sort_key(self) -> tuple[int, float, int]:
        return (0 if self.meets_requirements else 1, -self.score, self.profile.pk)


def language_checks(posting: Posting, profile: TalentProfile) -> tuple[LanguageCheck, ...]:
    have = profile.levels()
    return tuple(
        LanguageCheck(language, required, have[language])
        for language, required in posting.minimum_levels().items()
        if required > 0
    )


def dates_met(posting: Posting, profile: TalentProfile) -> bool:
    """The candidate is available for the whole posting: from its start to its end (or, for a
    posting without an end, at its start). Missing availability dates mean "any time"."""
    if profile.available_from is not None and profile.available_from > posting.start_date:
        return False
    until: date = posting.end_date or posting.start_date
    return profile.available_to is None or profile.available_to >= until


def align_skills(
    wanted: list[str], offered: list[str]
) -> tuple[tuple[SkillPair, ...], tuple[str, ...]]:
    """Each wanted skill paired with the same or the closest offered one, across languages.

    The same skill: the same text, or one concept of the skill thesaurus (similarity 1.0; the
    model scores short trade jargon too low, e.g. 识图 / чтение чертежей 0.51). Otherwise the
    offered skill with the closest embedding, if at least SKILL_SIMILARITY."""
    wanted = [w for w in wanted if w.strip()]
    offered = [o for o in offered if o.strip()]
    if not wanted:
        return (), ()
    if not offered:
        return (), tuple(wanted)
    concepts = term_concepts(wanted + offered)
    offered_by_concept: dict[str, str] = {}
    for skill, concept in zip(offered, concepts[len(wanted) :], strict=True):
        if concept is not None:
            offered_by_concept.setdefault(concept, skill)
    same: dict[int, str] = {}
    for i, (skill, concept) in enumerate(zip(wanted, concepts[: len(wanted)], strict=True)):
        exact = [o for o in offered if o.casefold() == skill.casefold()]
        if exact:
            same[i] = exact[0]
        elif concept in offered_by_concept:
            same[i] = offered_by_concept[concept]
    rest = [i for i in range(len(wanted)) if i not in same]
    sims = np.zeros((0, len(offered)))
    if rest:  # the model only for the skills the thesaurus does not settle
        vectors = search_embed([wanted[i] for i in rest] + offered)
        sims = vectors[: len(rest)] @ vectors[len(rest) :].T
    row = {i: r for r, i in enumerate(rest)}
    pairs: list[SkillPair] = []
    missing: list[str] = []
    for i, skill in enumerate(wanted):
        if i in same:
            pairs.append(SkillPair(skill, same[i], 1.0))
            continue
        j = int(np.argmax(sims[row[i]]))
        if float(sims[row[i], j]) >= SKILL_SIMILARITY:
            pairs.append(SkillPair(skill, offered[j], round(float(sims[row[i], j]), 2)))
        else:
            missing.append(skill)
    return tuple(pairs), tuple(missing)


def _passages(explanation: Explanation, posting_is_query: bool) -> tuple[PassagePair, ...]:
    return tuple(
        PassagePair(
            posting=p.query_passage if posting_is_query else p.match_passage,
            candidate=p.match_passage if posting_is_query else p.query_passage,
            similarity=round(p.similarity, 2),
        )
        for p in explanation.passages
    )


def _fit(
    posting: Posting,
    profile: TalentProfile,
    score: float,
    explanation: Explanation | None,
    posting_is_query: bool,
) -> Fit:
    skills, missing = align_skills(list(posting.skills), list(profile.skills))
    return Fit(
        posting=posting,
        profile=profile,
        score=round(float(score), 1),
        languages=language_checks(posting, profile),
        dates_met=dates_met(posting, profile),
        skills=skills,
        missing_skills=missing,
        passages=_passages(explanation, posting_is_query) if explanation else (),
        shared_terms=tuple(explanation.shared_terms) if explanation else (),
        preferred_country=(posting.country in profile.preferred_countries)
        if profile.preferred_countries
        else None,
    )


def rank_candidates(
    posting: Posting, profiles: Iterable[TalentProfile], *, k: int = 50
) -> list[Fit]:
    """The given profiles (already restricted to those the viewer may see), best fit first."""
    by_doc = {talent_key(p.pk): p for p in profiles}
    if not by_doc:
        return []
    hits = search_match(
        collection=NAME,
        document=posting_document(posting),
        filters={"kind": {TALENT}, **ids_filter(by_doc)},
        k=min(len(by_doc), CANDIDATE_POOL),
    )
    fits = [
        _fit(posting, by_doc[h.doc_id], h.score, h.explanation, True)
        for h in hits
        if h.doc_id in by_doc
    ]
    # A profile saved a moment ago may not be indexed yet: shown, checked, but scored 0.
    seen = {h.doc_id for h in hits}
    fits += [_fit(posting, p, 0.0, None, True) for d, p in by_doc.items() if d not in seen]
    fits.sort(key=Fit.sort_key)
    return fits[:k]


def rank_postings(
    profile: TalentProfile,
    postings: Collection[Posting],
    *,
    k: int = 50,
    only_meeting: bool = False,
) -> list[Fit]:
    """The given published postings, those whose hard requirements the candidate meets first."""
    by_doc = {posting_key(p.pk): p for p in postings}
    if not by_doc:
        return []
    hits = search_match(
        collection=NAME,
        document=talent_document(profile),
        filters={"kind": {POSTING}, **ids_filter(by_doc)},
        k=min(len(by_doc), CANDIDATE_POOL),
    )
    fits = [
        _fit(by_doc[h.doc_id], profile, h.score, h.explanation, False)
        for h in hits
        if h.doc_id in by_doc
    ]
    if only_meeting:
        fits = [f for f in fits if f.meets_requirements]
    fits.sort(key=lambda f: (0 if f.meets_requirements else 1, -f.score, f.posting.pk))
    return fits[:k]


def search_candidates(
    query: str, profiles: Iterable[TalentProfile], *, k: int = 50
) -> list[tuple[TalentProfile, float]]:
    """Talent profiles (already restricted to the visible ones) for a query in any language."""
    by_doc = {talent_key(p.pk): p for p in profiles}
    if not by_doc or not query.strip():
        return []
    hits = search_text(
        collection=NAME, query=query, filters={"kind": {TALENT}, **ids_filter(by_doc)}, k=k
    )
    return [(by_doc[h.doc_id], round(float(h.score), 1)) for h in hits if h.doc_id in by_doc]


def fit_for(posting: Posting, profile: TalentProfile) -> Fit:
    """One pair, e.g. for an application page; unindexed documents are analysed on the fly."""
    hits = search_match(
        collection=NAME,
        document=posting_document(posting),
        filters=ids_filter({talent_key(profile.pk)}),
        k=1,
    )
    if hits:
        return _fit(posting, profile, hits[0].score, hits[0].explanation, True)
    return _fit(posting, profile, 0.0, None, True)
