"""A backup of the database alone restores search: the index's truth is in it (decision 0008).

The documented restore (docs/search.md): load the dump into an empty database, start the
processes; `qiao reindex --check` confirms there is nothing to rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from qiao.careers import ranking
from qiao.careers.models import Posting, PostingStatus, TalentProfile
from qiao.careers.tests.factories import PostingFactory, StudentFactory, TalentProfileFactory
from qiao.core.testing.factories import OrganizationFactory, ProfileFactory
from qiao.exchange.models import Profile
from qiao.search.holder import reset
from qiao.search.selectors import search_text
from qiao.search.testing import index_everything


def index_a_small_world() -> None:
    """Russian and Chinese profiles, Russian postings and a Chinese talent profile, indexed:
    what a restore must serve again."""
    ProfileFactory.create_batch(3, published=True, language="ru")
    ProfileFactory.create_batch(2, published=True, language="zh")
    employer = OrganizationFactory.create()
    PostingFactory.create_batch(2, employer=employer, status=PostingStatus.PUBLISHED, language="ru")
    TalentProfileFactory.create(user=StudentFactory.create(), language="zh")
    index_everything()


def search_and_careers_results() -> dict[str, object]:
    """What a restore must give back: a cross-lingual search and a careers ranking."""
    profile = TalentProfile.objects.order_by("pk").first()
    assert profile is not None
    postings = list(Posting.objects.filter(status=PostingStatus.PUBLISHED))
    return {
        "search": [
            (m.doc_id, round(m.score, 3))
            for m in search_text(collection="profiles", query="сварка трубопроводов")
        ],
        "careers": [(f.posting.pk, f.score) for f in ranking.rank_postings(profile, postings)],
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_database_dump_restored_into_an_empty_database_serves_the_same_results(
    tmp_path: Path,
) -> None:
    index_a_small_world()
    before = search_and_careers_results()
    assert before["search"] and before["careers"]

    dump = tmp_path / "backup.json"
    excluded = ["contenttypes", "auth.permission", "admin.logentry"]
    call_command(
        "dumpdata", "--natural-foreign", *(f"--exclude={e}" for e in excluded), output=str(dump)
    )
    call_command("flush", "--no-input")
    reset()  # a new machine: no engines in memory
    assert not Profile.objects.exists()
    call_command("loaddata", str(dump))
    call_command("reindex", "--check")  # nothing to embed again: no drift

    assert search_and_careers_results() == before
