"""Schemathesis, a real API client nobody here wrote, against the served OpenAPI schema
(issue 15): anonymously and as each role, every operation with generated valid and invalid
input, a fixed seed and a bounded number of examples. No server error, no response that
breaks the schema, no undocumented status code or content type.

A failure lists each distinct problem once, with a curl line to reproduce it against a
server with the same data (docs/api.md).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qiao.accounts.models import UILanguage, User
from qiao.alliance.models import Membership, MembershipStatus
from qiao.api.tests.conftest import World
from qiao.careers import services as careers_services
from qiao.careers.models import PostingStatus
from qiao.careers.tests.factories import PostingFactory, StudentFactory, TalentProfileFactory
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.deals import services as deal_services
from qiao.deals.models import Deal
from qiao.organizations.models import Country, OrganizationKind

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer
    from schemathesis.schemas import APIOperation, BaseSchema

pytestmark = pytest.mark.slow

POSITIVE = schemathesis.GenerationMode.POSITIVE
NEGATIVE = schemathesis.GenerationMode.NEGATIVE
# Who runs, and with which input: valid input as everyone (what each may see and do differs);
# invalid input anonymously and as the secretariat (validation does not depend on the role,
# and the secretariat passes every permission check to reach it).
ROLES: dict[str, tuple[schemathesis.GenerationMode, ...]] = {
    "anon": (POSITIVE, NEGATIVE),
    "secretariat": (POSITIVE, NEGATIVE),
    "broker": (POSITIVE,),
    "cn_rep": (POSITIVE,),
    "ru_rep": (POSITIVE,),
    "outsider": (POSITIVE,),
    "student": (POSITIVE,),
    "employer": (POSITIVE,),
}
# Cases per operation, role and kind of input (plus as many on a real object for paths with
# an id): what keeps this test under a minute per database backend on two cores.
MAX_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@dataclass(frozen=True)
class Problem:
    operation: str
    role: str
    title: str
    message: str
    curl: str

    def __str__(self) -> str:
        return f"{self.operation} as {self.role}: {self.title}\n  {self.message}\n  {self.curl}"


@pytest.fixture
def api_world(world: World, cn_rep: User, ru_rep: User, broker: User) -> dict[str, Any]:
    """The API world of qiao/api/tests/conftest.py plus what the other endpoints return:
    an interest and a deal (no agreement yet: blank currency), a posting with an application,
    an alliance member without a website."""
    student = StudentFactory.create(username="student", preferred_language=UILanguage.ZH_HANS)
    TalentProfileFactory.create(user=student, institution=world.cn_offer.organization)
    enterprise = OrganizationFactory.create(
        country=Country.RU, kind=OrganizationKind.ENTERPRISE, website=""
    )
    employer = UserFactory.create(
        username="employer", organization=enterprise, preferred_language=UILanguage.RU
    )
    posting = PostingFactory.create(employer=enterprise, status=PostingStatus.PUBLISHED)
    application = careers_services.application_submit(
        actor=student,
        posting=posting,
        cover_letter="我想参加这个实习。",
        cover_letter_language="zh",
    )
    interest = deal_services.interest_express(
        actor=ru_rep,
        profile=world.cn_offer,
        message="Наш колледж хотел бы внедрить эту технологию в учебный процесс.",
    )
    deal_services.interest_decide(actor=broker, interest=interest, approve=True)
    Membership.objects.create(
        organization=enterprise,
        status=MembershipStatus.MEMBER,
        region="RU-PRI",
        joined_on=date(2025, 6, 20),
    )
    return {
        "users": {"student": student, "employer": employer},
        # A real object for each path with an id, so that cases also reach found objects.
        "ids": {
            "/api/organisations/{id}/": enterprise.pk,
            "/api/profiles/{id}/": world.cn_submitted.pk,
            "/api/matches/{id}/": world.match.pk,
            "/api/interests/{id}/": interest.pk,
            "/api/deals/{id}/": Deal.objects.get(interest=interest).pk,
            "/api/careers/postings/{id}/": posting.pk,
            "/api/careers/applications/{id}/": application.pk,
        },
    }


def _known_id(ids: dict[str, int], path: str) -> int | None:
    for prefix, pk in ids.items():
        if path.startswith(prefix.removesuffix("/")):
            return pk
    return None


def _headers(
    request: pytest.FixtureRequest, role: str, extra_users: dict[str, User]
) -> dict[str, str]:
    if role == "anon":
        return {}
    user = extra_users.get(role) or request.getfixturevalue(role)
    _instance, token = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {token}"}


def _operations(schema: BaseSchema) -> Iterator[APIOperation[Any, Any, Any, Any]]:
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # an operation the schema cannot describe
        yield result.ok()


def _exercise(
    strategy: st.SearchStrategy[Any],
    role: str,
    headers: dict[str, str],
    problems: dict[tuple[str, str, str], Problem],
    statuses: Counter[tuple[str, int]],
) -> None:
    """Send the strategy's cases as the role; keep each distinct problem once."""

    def record(failure: Failure, case: Any) -> None:
        key = (case.operation.label, failure.title, failure.message[:200])
        shown = {"Authorization": "Token …"} if headers else {}
        problems.setdefault(
            key,
            Problem(
                case.operation.label,
                role,
                failure.title,
                failure.message[:500],
                case.as_curl_command(headers=shown),
            ),
        )

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the fixed seed: the same cases on every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers, timeout=30)
        statuses[role, response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                record(failure, case)
        except Failure as failure:
            record(failure, case)

    # An operation without parameters or body has no invalid input to generate.
    with contextlib.suppress(Unsatisfiable):
        run()


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing(
    request: pytest.FixtureRequest,
    live_server: LiveServer,
    api_world: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The contract, not the rate limits (test_throttling.py): no 429 after the 60th call.
    for scope in ("anon", "user"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/min")
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    problems: dict[tuple[str, str, str], Problem] = {}
    statuses: Counter[tuple[str, int]] = Counter()
    strategies = 0

    for role, modes in ROLES.items():
        headers = _headers(request, role, api_world["users"])
        for operation in _operations(schema):
            cases = [operation.as_strategy(generation_mode=mode) for mode in modes]
            known = _known_id(api_world["ids"], operation.path)
            if known is not None:
                cases.append(operation.as_strategy(path_parameters={"id": known}))
            for strategy in cases:
                _exercise(strategy, role, headers, problems, statuses)
            strategies += len(cases)

    report = "\n".join(str(p) for p in problems.values())
    print(f"schemathesis: {strategies * MAX_EXAMPLES} cases at most, {len(problems)} problems")
    assert not problems, f"{len(problems)} problems:\n{report}"
    # The run reached the API as each role: found objects, and every token was accepted.
    for role in ROLES:
        assert statuses[role, 200] >= 10, (role, statuses)
        if role != "anon":
            assert statuses[role, 401] == 0, (role, statuses)
