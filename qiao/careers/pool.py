"""The talent pool: past applicants and opted-in students are re-matched when a posting is
published; both sides then get a digest of the new good matches."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qiao.careers import notifications, ranking
from qiao.careers.models import Application, PoolMatch, Posting, PostingStatus, TalentProfile


def pool_profiles() -> list[TalentProfile]:
    applied = Application.objects.filter(candidate__isnull=False).values("candidate_id")
    return list(
        TalentProfile.objects.filter(Q(in_talent_pool=True) | Q(user_id__in=applied))
        .filter(user__is_active=True)
        .select_related("user")
    )


def pool_rematch_posting(*, posting_id: int) -> int:
    """Store the pool candidates who meet the posting's hard requirements and score at least
    QIAO_POOL_MIN_QUALITY; returns how many new matches were found."""
    posting = Posting.objects.filter(pk=posting_id, status=PostingStatus.PUBLISHED).first()
    if posting is None:
        return 0
    fits = ranking.rank_candidates(posting, pool_profiles(), k=ranking.CANDIDATE_POOL)
    created = 0
    kept: list[int] = []
    with transaction.atomic():
        for fit in fits:
            if not fit.meets_requirements or fit.score < settings.QIAO_POOL_MIN_QUALITY:
                continue
            if Application.objects.filter(
                posting=posting, candidate_id=fit.profile.user_id
            ).exists():
                continue
            match, new = PoolMatch.objects.update_or_create(
                posting=posting, profile=fit.profile, defaults={"score": fit.score}
            )
            kept.append(match.pk)
            created += int(new)
        # After an edit changed the posting, matches that no longer hold and were never sent
        # go; those already sent stay as the record of what each side was told.
        PoolMatch.objects.filter(
            posting=posting, candidate_notified_at__isnull=True, employer_notified_at__isnull=True
        ).exclude(pk__in=kept).delete()
    return created


def pool_send_digests() -> int:
    """One e-mail per candidate and one per employer representative listing the matches not
    yet sent; returns the number of e-mails. Run daily (manage.py careers_digest).

    The notifications and the "notified" marks are written together: a digest is in the app
    exactly when its matches count as sent (the e-mails leave after commit)."""
    with transaction.atomic():
        return _send_digests()


def _send_digests() -> int:
    from qiao.accounts.models import User

    now = timezone.now()
    sent = 0
    pending = PoolMatch.objects.filter(posting__status=PostingStatus.PUBLISHED).select_related(
        "posting__employer", "profile__user"
    )
    by_candidate: dict[int, list[PoolMatch]] = defaultdict(list)
    for match in pending.filter(candidate_notified_at__isnull=True):
        by_candidate[match.profile.user_id].append(match)
    for matches in by_candidate.values():
        user = matches[0].profile.user
        sent += notifications.send_to(
            user, "digest_candidate", {"matches": matches}, url=reverse("careers:recommended")
        )
    by_employer: dict[int, list[PoolMatch]] = defaultdict(list)
    for match in pending.filter(employer_notified_at__isnull=True):
        by_employer[match.posting.employer_id].append(match)
    for employer_id, matches in by_employer.items():
        postings: dict[int, tuple[Posting, int]] = {}
        for match in matches:
            posting, count = postings.get(match.posting_id, (match.posting, 0))
            postings[match.posting_id] = (posting, count + 1)
        staff = User.objects.filter(organization_id=employer_id, is_active=True)
        sent += notifications.send_to_all(
            staff,
            "digest_employer",
            {"postings": list(postings.values())},
            url=reverse("careers:my-postings"),
        )
    PoolMatch.objects.filter(pk__in=[m.pk for ms in by_candidate.values() for m in ms]).update(
        candidate_notified_at=now
    )
    PoolMatch.objects.filter(pk__in=[m.pk for ms in by_employer.values() for m in ms]).update(
        employer_notified_at=now
    )
    return sent
