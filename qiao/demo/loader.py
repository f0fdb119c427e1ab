"""Demo data: sectors, the real partner organisations plus sample ones, demo users for each
role and 64 sample technology profiles in three languages. Everything is marked is_sample.

Idempotent: running it again updates sectors, organisations and users in place and imports
profiles only when no sample profile exists yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from qiao.accounts.models import Role, User
from qiao.alliance.demo import load_alliance
from qiao.events.demo import load_event
from qiao.exchange import importing, services
from qiao.exchange.models import Profile, Sector
from qiao.governance.demo import load_governance
from qiao.organizations.models import Organization
from qiao.programmes.demo import load_programmes
from qiao.resources.demo import load_resources
from qiao.search.services import search_checkpoint, search_reconcile

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
DEMO_PASSWORD = "qiao-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    language: str
    organization: str | None
    description: str
    # Each persona's name in their own script: nobody is shown by a login name such as "broker".
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser(
        "secretariat",
        Role.SECRETARIAT,
        "zh-hans",
        "harbin-tech-market",
        "secretariat (admin)",
        "洋",
        "刘",
    ),
    DemoUser("broker", Role.BROKER, "zh-hans", "harbin-intl-stc", "technology manager", "静", "陈"),
    DemoUser(
        "rep.harbin",
        Role.REPRESENTATIVE,
        "zh-hans",
        "hit-sample",
        "Chinese representative",
        "明",
        "张",
    ),
    DemoUser(
        "rep.khabarovsk",
        Role.REPRESENTATIVE,
        "ru",
        "khabarovsk-wood-sample",
        "Russian representative",
        "Иван",
        "Петров",
    ),
    DemoUser(
        "rep.almaty",
        Role.REPRESENTATIVE,
        "en",
        "almaty-logistics-sample",
        "English-speaking representative",
        "Aigerim",
        "Saparova",
    ),
)


@dataclass(frozen=True)
class DemoSummary:
    sectors: int
    organizations: int
    users: int
    profiles_created: int
    profiles_indexed: int


def _read_json(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def load_sectors() -> int:
    rows: list[dict[str, str]] = _read_json("sectors.json")
    by_code: dict[str, Sector] = {}
    for row in rows:  # parents precede their children in the file
        parent = by_code[row["parent"]] if row.get("parent") else None
        sector, _ = Sector.objects.update_or_create(
            code=row["code"],
            defaults={
                "parent": parent,
                "name_zh": row["zh"],
                "name_ru": row["ru"],
                "name_en": row["en"],
            },
        )
        by_code[sector.code] = sector
    return len(by_code)


def load_organizations() -> int:
    rows: list[dict[str, str]] = _read_json("organizations.json")
    for row in rows:
        Organization.objects.update_or_create(
            key=row["key"],
            defaults={
                "name_zh": row.get("zh", ""),
                "name_ru": row.get("ru", ""),
                "name_en": row.get("en", ""),
                "kind": row["kind"],
                "country": row["country"],
                "region": row.get("region", ""),
                "city": row.get("city", ""),
                "website": row.get("website", ""),
                "description": row.get("description", ""),
                "description_language": row.get("description_language", "en"),
                "is_sample": True,
            },
        )
    return len(rows)


def load_users() -> list[User]:
    users = []
    for spec in DEMO_USERS:
        organization = (
            Organization.objects.get(key=spec.organization) if spec.organization else None
        )
        user, created = User.objects.get_or_create(username=spec.username)
        user.role = spec.role
        user.preferred_language = spec.language
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.organization = organization
        user.email = f"{spec.username}@demo.qiao.example"
        user.is_staff = user.is_superuser = spec.role == Role.SECRETARIAT
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    broker = next(u for u in users if u.role == Role.BROKER)
    Organization.objects.filter(is_sample=True, broker__isnull=True).update(broker=broker)
    return users


def load_profiles(*, actor: User, progress: bool = False) -> int:
    """Import and publish the sample profiles unless they are already there."""
    if Profile.objects.filter(is_sample=True).exists():
        return 0
    report = importing.import_profiles(
        DATA_DIR / "profiles.jsonl", actor=actor, publish=True, is_sample=True, progress=progress
    )
    return len(report.created)


def load_demo(
    *, progress: bool = False, log: Callable[[str], None] = lambda _: None
) -> DemoSummary:
    with transaction.atomic():
        sectors = load_sectors()
        organizations = load_organizations()
        users = load_users()
        log(f"{sectors} sectors, {organizations} organisations, {len(users)} demo users")
        secretariat = next(u for u in users if u.role == Role.SECRETARIAT)
        # One outbox write for every profile instead of one request each.
        with services.deferred_indexing():
            created = load_profiles(actor=secretariat, progress=progress)
        from qiao.deals import demo as deals_demo

        broker = next(u for u in users if u.role == Role.BROKER)
        steps = deals_demo.load_checklists()
        introductions = deals_demo.load_deals(broker=broker)
        log(f"{steps} default checklist steps, {introductions} sample introductions and deals")
        from qiao.surveys.demo import load_questionnaire

        load_questionnaire()
        alliance = load_alliance()
        load_event([u for u in users if u.role == Role.REPRESENTATIVE])
        load_governance()
        load_programmes()
        load_resources()
        log(
            "sample alliance: {members} members, {prospects} prospective members, "
            "{specialties} specialties".format(**alliance)
        )
    log(f"{created} sample profiles imported")
    from qiao.careers.demo import load_careers

    careers = load_careers(password=DEMO_PASSWORD, actor=secretariat)
    from qiao.training.demo import load_training

    sessions = load_training(
        password=DEMO_PASSWORD, trainees=[u for u in users if u.role == Role.BROKER]
    )
    from qiao.assessment.demo import load_assessment

    questions = load_assessment()
    from qiao.assessment.demo import load_pilot

    certificates = load_pilot(secretariat=secretariat)
    log("building the search index (every collection) and the matches")
    drift = {d.collection: d.expected for d in search_reconcile(everything=True)}
    search_checkpoint()
    log(
        f"sample technology-manager training: first cohort with {sessions} sessions, "
        f"{drift['cases']} case texts indexed, {questions} quiz questions; a pilot cohort with "
        f"{len(certificates)} certificates, e.g. /training/certificates/verify/"
        f"{certificates[0].number if certificates else ''}/"
    )
    log(
        f"{careers.postings} sample internships and jobs, {careers.students} sample students, "
        f"{drift['careers']} careers documents indexed"
    )
    return DemoSummary(sectors, organizations, len(users), created, drift["profiles"])
