"""The talent pool: re-matching when a posting is published, and digests to both sides."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from qiao.accounts.models import User
from qiao.careers import pool, services
from qiao.careers.models import Application, PoolMatch, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory, TalentProfileFactory
from qiao.organizations.models import Organization
from qiao.search.collections.careers import talent_key
from qiao.search.selectors import search_ids
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def test_publishing_rematches_pool_and_digests_go_to_both_sides(
    secretariat: User,
    employer: User,
    ru_enterprise: Organization,
    student: User,
    student_profile: TalentProfile,
    django_capture_on_commit_callbacks: object,
) -> None:
    student_profile.in_talent_pool = True
    student_profile.save()
    not_in_pool = TalentProfileFactory.create(language="zh")  # same text, but not opted in
    weak_russian = TalentProfileFactory.create(language="zh", russian_level=1)
    weak_russian.in_talent_pool = True
    weak_russian.save()
    for p in (student_profile, not_in_pool, weak_russian):
        index_now("careers", [talent_key(p.pk)])
    posting = PostingFactory.create(
        employer=ru_enterprise, status=PostingStatus.SUBMITTED, min_russian=3
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.posting_publish(actor=secretariat, posting=posting)
    matches = list(PoolMatch.objects.all())
    assert [m.profile for m in matches] == [student_profile]  # meets TORFL-1, opted in
    assert matches[0].score >= 30

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert pool.pool_send_digests() == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "适合您的新岗位" in by_recipient[student.email].subject  # Chinese for the student
    assert posting.title in by_recipient[student.email].body
    assert "Новые кандидаты" in by_recipient[employer.email].subject  # Russian for the employer
    assert f"/careers/postings/{posting.pk}/applicants/" in by_recipient[employer.email].body
    # each match is sent once
    mail.outbox.clear()
    assert pool.pool_send_digests() == 0
    assert mail.outbox == []


def test_past_applicants_are_in_the_pool(
    student: User, student_profile: TalentProfile, posting: object
) -> None:
    assert pool.pool_profiles() == []
    Application.objects.create(posting=posting, candidate=student)  # type: ignore[misc]
    assert pool.pool_profiles() == [student_profile]


def test_already_applied_candidates_are_not_matched_again(
    student: User, student_profile: TalentProfile, ru_enterprise: Organization
) -> None:
    student_profile.in_talent_pool = True
    student_profile.save()
    index_now("careers", [talent_key(student_profile.pk)])
    posting = PostingFactory.create(employer=ru_enterprise, status=PostingStatus.PUBLISHED)
    Application.objects.create(posting=posting, candidate=student)
    assert pool.pool_rematch_posting(posting_id=posting.pk) == 0


def test_digest_command(
    student: User,
    employer: User,
    student_profile: TalentProfile,
    posting: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    PoolMatch.objects.create(posting=posting, profile=student_profile, score=55)  # type: ignore[misc]
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave after commit
        call_command("careers_digest")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, employer.email])


def test_reindex_command(posting: object, student_profile: TalentProfile) -> None:
    from io import StringIO

    out = StringIO()
    call_command("reindex", "careers", stdout=out)
    # The report is from before the repair: one posting and one talent profile to index.
    assert out.getvalue().splitlines()[1].split() == ["careers", "2", "0", "2", "0", "0", "2"]
    assert "(2 drifting documents were repaired)" in out.getvalue()
    assert talent_key(student_profile.pk) in search_ids(collection="careers")


def test_daily_command_enqueues_the_housekeeping_task(
    settings: object, student_profile: TalentProfile, posting: object
) -> None:
    """Cron runs `careers_digest --enqueue`: the command only queues; the worker sends."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    PoolMatch.objects.create(posting=posting, profile=student_profile, score=55)  # type: ignore[misc]
    out = StringIO()
    call_command("careers_digest", "--enqueue", stdout=out)
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.name for r in results] == ["daily_housekeeping"]
    assert out.getvalue().startswith(f"queued {results[0].id}")
    assert mail.outbox == []  # nothing sent by the command itself


def test_housekeeping_task_expires_then_sends_digests(
    student: User,
    employer: User,
    student_profile: TalentProfile,
    posting: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from qiao.careers.tasks import daily_housekeeping

    PoolMatch.objects.create(posting=posting, profile=student_profile, score=55)  # type: ignore[misc]
    with django_capture_on_commit_callbacks(execute=True):
        result = daily_housekeeping.enqueue()  # the immediate backend in tests: the worker's run
    assert result.return_value == {"expired": 0, "digests": 2}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, employer.email])
