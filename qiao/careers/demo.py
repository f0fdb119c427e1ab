"""Sample internships, jobs and student profiles for the demo (qiao/demo_data/careers.json).

Everything is labelled is_sample. Idempotent: postings and profiles are created only when no
sample posting exists yet; the demo users are updated in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from qiao.accounts.models import Role, User
from qiao.careers.models import (
    Application,
    ApplicationEvent,
    Posting,
    PostingEvent,
    PostingStatus,
    TalentProfile,
)
from qiao.organizations.models import Organization

DATA = Path(__file__).resolve().parent.parent / "demo_data" / "careers.json"
# An employer representative for the posting that has sample applications.
EMPLOYER_USER = ("employer.vladivostok", "vladivostok-ship-sample", "ru", "Сергей", "Морозов")


# Shown by `qiao demo` next to the other demo logins.
DEMO_LOGINS = (
    ("student.wang", "student, profile in Chinese", "zh-hans"),
    ("student.ivanov", "student, profile in Russian", "ru"),
    ("student.aliya", "student, profile in English", "en"),
    ("employer.vladivostok", "employer with applicants", "ru"),
)


@dataclass(frozen=True)
class CareersSummary:
    postings: int
    students: int
    applications: int


def _days(value: int | None) -> Any:
    return None if value is None else timezone.localdate() + timedelta(days=value)


def _user(
    username: str, *, password: str, language: str, role: Role = Role.REPRESENTATIVE, **fields: Any
) -> User:
    user, created = User.objects.get_or_create(username=username)
    user.role = role
    user.preferred_language = language
    user.email = f"{username}@demo.qiao.example"
    for name, value in fields.items():
        setattr(user, name, value)
    if created:
        user.set_password(password)
    user.save()
    return user


def load_careers(*, password: str, actor: User) -> CareersSummary:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    orgs = {o.key: o for o in Organization.objects.exclude(key=None)}
    username, org_key, language, first_name, last_name = EMPLOYER_USER
    with transaction.atomic():
        _user(
            username,
            password=password,
            language=language,
            organization=orgs[org_key],
            first_name=first_name,
            last_name=last_name,
        )
        students = {
            s["username"]: _user(
                s["username"],
                password=password,
                language=s["ui"],
                role=Role.STUDENT,
                first_name=s["first_name"],
                last_name=s["last_name"],
                organization=None,
            )
            for s in data["students"]
        }
        if Posting.objects.filter(is_sample=True).exists():
            return CareersSummary(0, len(students), 0)
        postings: dict[str, Posting] = {}
        now = timezone.now()
        for row in data["postings"]:
            start = _days(row["start_in_days"])
            posting = Posting(
                employer=orgs[row["employer"]],
                status=PostingStatus.PUBLISHED,
                submitted_at=now,
                published_at=now,
                start_date=start,
                end_date=None
                if row["length_days"] is None
                else start + timedelta(days=row["length_days"]),
                closes_on=_days(row["closes_in_days"]),
                created_by=actor,
                is_sample=True,
                **{
                    k: row[k]
                    for k in (
                        "kind",
                        "language",
                        "title",
                        "description",
                        "requirements",
                        "specialty",
                        "skills",
                        "country",
                        "city",
                        "min_chinese",
                        "min_russian",
                        "min_english",
                        "duration_months",
                        "pay_monthly",
                        "currency",
                        "housing",
                        "visa_support",
                        "places",
                    )
                },
            )
            posting.full_clean()
            posting.save()
            PostingEvent.objects.create(
                posting=posting, actor=actor, to_status=PostingStatus.PUBLISHED, note="sample"
            )
            postings[row["key"]] = posting
        for row in data["students"]:
            profile = TalentProfile(
                user=students[row["username"]],
                institution=orgs[row["institution"]],
                available_from=_days(row["available_from_days"]),
                available_to=_days(row["available_to_days"]),
                is_sample=True,
                **{
                    k: row[k]
                    for k in (
                        "language",
                        "headline",
                        "specialty",
                        "study_level",
                        "skills",
                        "experience",
                        "chinese_level",
                        "russian_level",
                        "english_level",
                        "preferred_countries",
                        "in_talent_pool",
                    )
                },
            )
            profile.full_clean(exclude=["allowed_employers"])
            profile.save()
        for row in data["applications"]:
            application = Application.objects.create(
                posting=postings[row["posting"]],
                candidate=students[row["student"]],
                status=row["status"],
                cover_letter=row["cover_letter"],
                cover_letter_language=row["language"],
            )
            ApplicationEvent.objects.create(
                application=application, actor=application.candidate, to_status="submitted"
            )
    # Indexed with everything else at the end of the demo load (qiao.search).
    return CareersSummary(len(postings), len(students), len(data["applications"]))
