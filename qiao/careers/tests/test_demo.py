"""The careers demo data: labelled as sample data, three languages, and the promise shown:
a Chinese welding student is the best candidate for a Russian shipyard's internship."""

from __future__ import annotations

import pytest

from qiao.accounts.models import Role
from qiao.careers import ranking, selectors
from qiao.careers.demo import load_careers
from qiao.careers.models import Application, Posting, PostingStatus, TalentProfile
from qiao.demo.loader import DEMO_PASSWORD, load_organizations, load_users
from qiao.search.testing import index_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def careers_demo() -> None:
    load_organizations()
    users = load_users()
    load_careers(password=DEMO_PASSWORD, actor=next(u for u in users if u.role == Role.SECRETARIAT))
    index_everything()  # what the demo loader does once everything is loaded


def test_sample_postings_and_profiles_in_three_languages(careers_demo: None) -> None:
    postings = Posting.objects.all()
    profiles = TalentProfile.objects.all()
    assert not postings.filter(is_sample=False).exists()
    assert not profiles.filter(is_sample=False).exists()
    assert not postings.exclude(status=PostingStatus.PUBLISHED).exists()
    assert set(postings.values_list("language", flat=True)) == {"zh", "ru", "en"}
    assert set(profiles.values_list("language", flat=True)) == {"zh", "ru", "en"}
    assert Application.objects.count() == 2


def test_is_idempotent(careers_demo: None) -> None:
    counts = (Posting.objects.count(), TalentProfile.objects.count())
    summary = load_careers(password=DEMO_PASSWORD, actor=Posting.objects.first().created_by)  # type: ignore[union-attr, arg-type]
    assert summary.postings == 0
    assert (Posting.objects.count(), TalentProfile.objects.count()) == counts


def test_chinese_welder_first_for_russian_shipyard(careers_demo: None) -> None:
    posting = Posting.objects.get(employer__key="vladivostok-ship-sample")
    fits = ranking.rank_candidates(posting, list(TalentProfile.objects.all()))
    assert fits[0].profile.user.username == "student.wang"
    assert fits[0].meets_requirements
    bat = next(f for f in fits if f.profile.user.username == "student.bat")
    assert not bat.languages_met  # TORFL elementary < TORFL-1 required


def test_russian_mechatronics_student_finds_chinese_robot_internship(careers_demo: None) -> None:
    from qiao.accounts.models import User

    ivanov = User.objects.get(username="student.ivanov")
    fits = selectors.postings_for_candidate(user=ivanov, filters=selectors.PostingFilters())
    assert fits[0].posting.employer.key == "harbin-ict-sample"


def test_demo_students_have_the_student_role_and_may_apply(careers_demo: None) -> None:
    from qiao.accounts.models import User
    from qiao.careers import permissions
    from qiao.programmes import permissions as programme_permissions

    students = User.objects.filter(talent_profile__isnull=False)
    assert students.count() >= 3
    assert set(students.values_list("role", flat=True)) == {Role.STUDENT}
    for username in ("student.wang", "student.ivanov", "student.aliya"):
        user = User.objects.get(username=username)
        assert permissions.is_candidate(user) and programme_permissions.can_apply(user)
        assert user.check_password(DEMO_PASSWORD)
    employer = User.objects.get(username="employer.vladivostok")
    assert employer.role == Role.REPRESENTATIVE and not permissions.is_candidate(employer)
