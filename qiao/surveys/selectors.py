"""Reads of demand surveys: response rates, responses visible to a user, result counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from qiao.surveys.models import Invitation, Question, QuestionKind, Questionnaire

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User


@dataclass(frozen=True)
class Rates:
    invited: int
    started: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


def questionnaires_with_rates() -> list[tuple[Questionnaire, Rates]]:
    rows = Questionnaire.objects.annotate(
        invited=Count("versions__invitations"),
        started=Count(
            "versions__invitations", filter=Q(versions__invitations__started_at__isnull=False)
        ),
        submitted=Count(
            "versions__invitations", filter=Q(versions__invitations__submitted_at__isnull=False)
        ),
    )
    return [(q, Rates(q.invited, q.started, q.submitted)) for q in rows]


def invitations_visible_to(
    user: User | AnonymousUser, questionnaire: Questionnaire
) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(version__questionnaire=questionnaire).select_related(
        "organization", "version", "request_profile"
    )
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_secretariat:
        return qs
    if user.is_broker:
        return qs.filter(organization__broker=user)
    return qs.none()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("version__questionnaire", "organization")
        .filter(token=token)
        .first()
    )


@dataclass(frozen=True)
class Breakdown:
    by_country: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]


def results_breakdown(invitations: QuerySet[Invitation]) -> Breakdown:
    """Submitted responses counted by the organisation's country and region, and by the answers
    to sector questions."""
    from qiao.exchange.models import Sector
    from qiao.organizations.models import Country

    submitted = list(invitations.filter(submitted_at__isnull=False))
    countries = Counter(str(Country(i.organization.country).label) for i in submitted)
    regions = Counter(i.organization.region or "—" for i in submitted)
    sector_questions = {
        str(q.pk)
        for q in Question.objects.filter(
            version__invitations__in=submitted, kind=QuestionKind.SECTOR
        )
    }
    codes = Counter(
        i.answers[key] for i in submitted for key in sector_questions if i.answers.get(key)
    )
    names = {s.code: s.display_name() for s in Sector.objects.filter(code__in=codes)}
    return Breakdown(
        by_country=countries.most_common(),
        by_region=regions.most_common(),
        by_sector=[(names.get(code, code), n) for code, n in codes.most_common()],
    )


def answer_display(question: Question, value: object) -> str:
    """An answer as text in the reader's language."""
    if value in (None, "", []):
        return ""
    labels = question.option_labels()
    if question.kind == QuestionKind.CHOICE and isinstance(value, int):
        return labels[value] if 0 <= value < len(labels) else ""
    if question.kind == QuestionKind.MULTIPLE and isinstance(value, list):
        return "; ".join(labels[v] for v in value if isinstance(v, int) and 0 <= v < len(labels))
    if question.kind == QuestionKind.SECTOR:
        from qiao.exchange.models import Sector

        sector = Sector.objects.filter(code=str(value)).first()
        return sector.display_name() if sector else str(value)
    return str(value)
