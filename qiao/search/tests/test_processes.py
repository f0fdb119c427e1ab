"""The search index across real processes sharing one database (no Django DB in this process).

Every test gets a fresh, migrated database of the backend the suite runs on: a SQLite file in
tmp_path, or, when DATABASE_URL points at PostgreSQL, a throwaway database on that server
(cloned from a template migrated once per session, dropped afterwards). The processes under
test are `manage.py worker`, `manage.py reindex` and small `python -c` scripts, all with
qiao.settings; this process only reads the tables with plain SQL to poll and to check.

When a test fails, every process's command, exit code, stdout and stderr is printed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
MANAGE = str(REPO / "manage.py")
DB_QUEUE = "django_tasks_db.DatabaseBackend"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
Env = dict[str, str] | None  # extra environment variables for a process


# --- databases -------------------------------------------------------------------------------


def _server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"} else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


def _pg_clone(server: str, template: str, name: str) -> None:
    """CREATE DATABASE ... TEMPLATE; the template's last user may take a moment to leave."""
    import psycopg

    deadline = time.monotonic() + 15
    while True:
        try:
            _pg_admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Database:
    """One test database: its DATABASE_URL for the processes and plain SQL for the test."""

    def __init__(self, url: str, sqlite_path: Path | None = None) -> None:
        self.url = url
        self.sqlite_path = sqlite_path
        self._conn: Any = None

    def _connection(self) -> Any:
        if self._conn is None:
            if self.sqlite_path is not None:
                # Autocommit: every statement sees the latest commit and holds no snapshot.
                self._conn = sqlite3.connect(self.sqlite_path, timeout=20, isolation_level=None)
            else:
                import psycopg

                self._conn = psycopg.connect(self.url, autocommit=True)
        return self._conn

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self._connection().execute(sql).fetchall())

    def scalar(self, sql: str) -> Any:
        return self.rows(sql)[0][0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # What the tests look at.

    def expected(self, collection: str) -> set[str]:
        """The documents the collection's records give (the reconciler's truth, in SQL)."""
        sql = {
            "profiles": "SELECT id FROM exchange_profile WHERE status = 'published'",
            "organisations": "SELECT id FROM organizations_organization WHERE description <> ''",
        }[collection]
        return {str(r[0]) for r in self.rows(sql)}

    def live(self, collection: str = "profiles") -> Counter[str]:
        """Live entries per document id (the unique constraint allows one)."""
        return Counter(
            str(r[0])
            for r in self.rows(
                f"SELECT doc_id FROM search_entry WHERE collection = '{collection}' AND NOT removed"
            )
        )

    def pending(self) -> int:
        return int(self.scalar("SELECT COUNT(*) FROM search_pending"))

    def claimed(self) -> int:
        """Pending rows some worker holds (or held) a lease on."""
        return int(
            self.scalar("SELECT COUNT(*) FROM search_pending WHERE claimed_until IS NOT NULL")
        )

    def summary(self) -> str:
        try:
            clock = self.rows("SELECT seq, purged_through FROM search_clock")
            return (
                f"published={len(self.expected('profiles'))} "
                f"live profiles={sum(self.live('profiles').values())} "
                f"organisations={len(self.expected('organisations'))} "
                f"live organisations={sum(self.live('organisations').values())} "
                f"pending={self.pending()} claimed={self.claimed()} clock={clock}"
            )
        except Exception as exc:  # a summary for a failure message must not fail itself
            return f"(no summary: {exc!r})"


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database migrated once (migrate takes ~10 s); each test gets a copy."""
    where = tmp_path_factory.mktemp("search-processes-template")
    server = _server_url()
    if server is None:
        path = where / "template.sqlite3"
        database = Database(f"sqlite:///{path}", path)
    else:
        name = f"qiao_proc_tmpl_{uuid.uuid4().hex[:12]}"
        _pg_admin(server, f'CREATE DATABASE "{name}"')
        database = Database(_with_database(server, name))
    try:
        result = subprocess.run(
            [sys.executable, MANAGE, "migrate", "--no-input", "-v0"],
            cwd=REPO,
            env=_environment(database.url, where),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"migrate failed:\n{result.stdout}\n{result.stderr}"
        yield database
    finally:
        if server is not None:
            _pg_admin(
                server, f'DROP DATABASE IF EXISTS "{urlsplit(database.url).path[1:]}" WITH (FORCE)'
            )


@pytest.fixture
def database(template_database: Database, tmp_path: Path) -> Iterator[Database]:
    server = _server_url()
    if server is None:
        assert template_database.sqlite_path is not None
        path = tmp_path / "db.sqlite3"
        for suffix in ("", "-wal"):  # the WAL is normally checkpointed away on close
            source = Path(f"{template_database.sqlite_path}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{path}{suffix}")
        database = Database(f"sqlite:///{path}", path)
    else:
        name = f"qiao_proc_{uuid.uuid4().hex[:12]}"
        _pg_clone(server, urlsplit(template_database.url).path[1:], name)
        database = Database(_with_database(server, name))
    try:
        yield database
    finally:
        database.close()
        if server is not None:
            _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- processes -------------------------------------------------------------------------------


def _environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QIAO_EXPECT_DB_VENDOR"}
    env.update(
        DJANGO_SETTINGS_MODULE="qiao.settings",
        DATABASE_URL=database_url,
        QIAO_DATA_DIR=str(data_dir),
        QIAO_TASK_BACKEND=DB_QUEUE,
        QIAO_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class Process:
    """A child process whose stdout and stderr go to files (no pipe can fill up)."""

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.args = list(args)
        self.stdout_path = logs / f"{name}.out"
        self.stderr_path = logs / f"{name}.err"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.popen = subprocess.Popen(
                [sys.executable, *self.args], cwd=REPO, env=env, stdout=out, stderr=err
            )

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.popen.poll() is None

    def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it is still running after `timeout` seconds."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def signal(self, signum: int) -> None:
        if self.running():
            self.popen.send_signal(signum)

    def report(self, tail: int = 6000) -> str:
        command = " ".join(
            a if len(a) < 80 else a[:77].replace("\n", " ") + "..." for a in self.args
        )
        return (
            f"===== {self.name}: {command} (exit {self.popen.poll()})\n"
            f"--- stdout (last {tail} chars)\n{self.stdout[-tail:]}\n"
            f"--- stderr (last {tail} chars)\n{self.stderr[-tail:]}"
        )


class Cluster:
    """The processes of one test, all on its database; every one is ended at teardown."""

    def __init__(self, database: Database, tmp_path: Path) -> None:
        self.database = database
        self.data_dir = tmp_path / "data"
        self.data_dir.mkdir()
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.processes: list[Process] = []

    def start(self, name: str, args: Sequence[str], env: Env = None) -> Process:
        process = Process(
            name, args, _environment(self.database.url, self.data_dir, **(env or {})), self.logs
        )
        self.processes.append(process)
        return process

    def run(
        self, name: str, args: Sequence[str], *, timeout: float = 120, env: Env = None
    ) -> Process:
        """Start a process and wait for it to exit (with 0 unless the caller checks)."""
        process = self.start(name, args, env)
        if process.wait(timeout) is None:
            raise AssertionError(f"{name} still running after {timeout}s\n{self.report()}")
        return process

    def script(
        self, name: str, code: str, *args: str, timeout: float = 120, env: Env = None
    ) -> str:
        """Run a `python -c` script under Django; returns its stdout (it must exit 0)."""
        process = self.run(name, ["-c", _django(code), *args], timeout=timeout, env=env)
        self.expect_exit(process, 0)
        return process.stdout

    def worker(self, name: str = "worker", env: Env = None) -> Process:
        return self.start(name, [MANAGE, "worker", "--no-startup-delay", "--interval", "0.2"], env)

    def reindex(self, name: str, *options: str, timeout: float = 120) -> Process:
        return self.run(name, [MANAGE, "reindex", *options], timeout=timeout)

    def seed(self, count: int, env: Env = None) -> list[str]:
        """Publish `count` profiles (factories write rows directly) and request their
        indexing in one transaction, as a service would; returns their ids."""
        out = self.script(f"seed-{len(self.processes)}", SEED, str(count), env=env)
        return [str(pk) for pk in json.loads(out.strip().splitlines()[-1])]

    def stop(self, process: Process, *, within: float) -> float:
        """SIGTERM; it must exit with 0 within `within` seconds. Returns how long it took."""
        started = time.monotonic()
        process.signal(signal.SIGTERM)
        code = process.wait(within)
        took = time.monotonic() - started
        if code is None:
            raise AssertionError(
                f"{process.name} did not exit within {within}s of SIGTERM\n{self.report()}"
            )
        self.expect_exit(process, 0)
        return took

    def kill(self, process: Process) -> None:
        process.signal(signal.SIGKILL)
        assert process.wait(10) is not None, f"{process.name} survived SIGKILL"

    def expect_exit(self, process: Process, code: int) -> None:
        if process.popen.poll() != code:
            raise AssertionError(
                f"{process.name} exited with {process.popen.poll()}, expected {code}\n"
                + self.report()
            )

    def expect_clean(self, *processes: Process) -> None:
        """No exception was logged (a sweep that failed and retried is still a bug)."""
        for process in processes:
            if "Traceback" in process.stderr or "Traceback" in process.stdout:
                raise AssertionError(f"{process.name} logged an exception\n{self.report()}")

    def wait_until(
        self, what: str, condition: Callable[[], bool], *, timeout: float, interval: float = 0.1
    ) -> float:
        """Poll `condition` until it holds; returns the seconds it took. On timeout the
        failure shows the database's state and every process's output."""
        started = time.monotonic()
        while not condition():
            if time.monotonic() - started > timeout:
                raise AssertionError(
                    f"timed out after {timeout}s waiting until {what}\n"
                    f"database: {self.database.summary()}\n{self.report()}"
                )
            time.sleep(interval)
        return time.monotonic() - started

    def report(self) -> str:
        return "\n".join(p.report() for p in self.processes)

    def close(self) -> None:
        for process in self.processes:
            if process.running():
                process.popen.kill()
                process.popen.wait(10)


@pytest.fixture
def cluster(database: Database, tmp_path: Path) -> Iterator[Cluster]:
    cluster = Cluster(database, tmp_path)
    try:
        yield cluster
    finally:
        cluster.close()
        # Shown by pytest for a failing test only.
        print(f"\ndatabase: {database.summary()}\n{cluster.report()}")


def _django(code: str) -> str:
    return "import django\ndjango.setup()\n" + textwrap.dedent(code)


SEED = """
    import json, sys
    from django.db import transaction
    from qiao.core.testing.factories import ProfileFactory
    from qiao.exchange.models import ProfileKind
    from qiao.search.services import search_request

    # Offers and requests in three languages: indexing stores their matches too.
    languages, kinds = ["en", "zh", "ru"], [ProfileKind.OFFER, ProfileKind.REQUEST]
    profiles = [
        ProfileFactory.create(published=True, language=languages[i % 3], kind=kinds[i % 2])
        for i in range(int(sys.argv[1]))
    ]
    with transaction.atomic():
        search_request(collection="profiles", sources=[str(p.pk) for p in profiles])
    print(json.dumps([p.pk for p in profiles]))
"""


# --- checks ----------------------------------------------------------------------------------

# The factories write profiles and their organisations; the seed requests only the profiles.
# The organisations are indexed by a worker's start-up reconcile (nothing else asks for them).
COLLECTIONS = ("profiles", "organisations")


def assert_indexed_once(cluster: Cluster, collections: Sequence[str] = COLLECTIONS) -> None:
    """Every document these collections' records give has exactly one live entry and no other
    has one, nothing is pending, the clock is the highest seq, and `reindex --check` finds no
    drift (in every collection, or in these only)."""
    db = cluster.database
    state = f"database: {db.summary()}\n{cluster.report()}"
    for collection in collections:
        live = db.live(collection)
        assert set(live) == db.expected(collection), f"{collection}: indexed != expected\n{state}"
        assert max(live.values()) == 1, f"{collection}: indexed twice: {live.most_common(3)}"
    assert db.pending() == 0, state
    clock = db.scalar("SELECT seq FROM search_clock WHERE id = 1")
    assert clock == db.scalar("SELECT MAX(seq) FROM search_entry"), state
    # The `indexed` hook ran: offers and requests were matched; no background task failed.
    assert db.scalar("SELECT COUNT(*) FROM exchange_match") > 0, state
    failed = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    assert db.scalar(failed) == 0, state
    scopes = [[]] if tuple(collections) == COLLECTIONS else [[c] for c in collections]
    for scope in scopes:
        check = cluster.reindex(f"reindex-check-{len(cluster.processes)}", *scope, "--check")
        cluster.expect_exit(check, 0)
        assert "no drift" in check.stdout, check.report()


def idle(db: Database) -> Callable[[], bool]:
    """Every expected document is indexed and nothing is pending: since the organisations are
    only ever requested by a start-up reconcile, its repair has run too."""
    return lambda: db.pending() == 0 and all(set(db.live(c)) == db.expected(c) for c in COLLECTIONS)


def settled(db: Database, seconds: float = 2.0) -> Callable[[], bool]:
    """`idle` for `seconds` on end (several sweeps): with two workers, the slower one's
    start-up reconcile may still add requests (for what the other just indexed) after the
    faster one's made everything idle. Stopping a worker then leaves them pending, rightly."""
    since: list[float] = []

    def condition() -> bool:
        if not idle(db)():
            since.clear()
            return False
        since[:] = since or [time.monotonic()]
        return time.monotonic() - since[0] >= seconds

    return condition


def partly_indexed(db: Database, ids: Sequence[str]) -> Callable[[], bool]:
    """Some profiles are indexed, not all, and a worker holds a lease on the rest."""

    def condition() -> bool:
        done = len(set(ids) & set(db.live()))
        return 0 < done < len(ids) and db.claimed() > 0

    return condition


# --- tests -----------------------------------------------------------------------------------


def test_two_workers_and_a_repair_index_every_profile_once(cluster: Cluster) -> None:
    cluster.seed(40)
    assert cluster.database.pending() == 40

    workers = [cluster.worker("worker-1"), cluster.worker("worker-2")]
    repair = cluster.reindex("reindex-repair", "--repair")
    cluster.expect_exit(repair, 0)
    cluster.wait_until("everything is indexed", settled(cluster.database), timeout=90)

    for worker in workers:
        cluster.stop(worker, within=15)
    cluster.expect_clean(repair, *workers)
    assert_indexed_once(cluster)


@pytest.mark.parametrize("recovery", ["worker", "lease"])
def test_a_killed_workers_batch_is_completed_without_a_manual_step(
    cluster: Cluster, recovery: str
) -> None:
    """SIGKILL in the middle of a batch. A new worker completes it (its start-up reconcile
    re-requests what is missing, which also clears the dead worker's leases). With "lease", a
    bare `search_process_pending` loop, which never reconciles, completes it too: it can only
    get there by claiming the killed worker's rows again once their 3 s lease has lapsed."""
    ids = cluster.seed(60)
    lease = {"QIAO_SEARCH_LEASE_SECONDS": "3"}
    victim = cluster.worker("victim", lease)
    cluster.wait_until(
        "the worker is in the middle of the batch",
        partly_indexed(cluster.database, ids),
        timeout=90,
        interval=0.02,
    )
    cluster.kill(victim)
    indexed_at_kill = len(set(ids) & set(cluster.database.live()))
    assert indexed_at_kill < len(ids), "the worker finished before it was killed"
    claimed_at_kill = cluster.database.claimed()
    assert claimed_at_kill > 0, "the killed worker left no leased rows"
    print(f"killed with {indexed_at_kill}/{len(ids)} indexed, {claimed_at_kill} rows leased")

    if recovery == "worker":
        successor = cluster.worker("successor", lease)
        cluster.wait_until("everything is indexed", settled(cluster.database), timeout=60)
        cluster.stop(successor, within=15)
        cluster.expect_clean(successor)
    else:
        out = cluster.script("sweep", SWEEP_UNTIL_EMPTY, timeout=60, env=lease)
        assert json.loads(out.strip().splitlines()[-1])["processed"] >= len(ids) - indexed_at_kill
        # Nothing reconciled, so the organisations the factory created (and no service
        # asked to index) drift; only the profiles were requested.
        assert_indexed_once(cluster, ["profiles"])
        return
    assert_indexed_once(cluster)


SWEEP_UNTIL_EMPTY = """
    import json, time
    from qiao.search.models import Pending
    from qiao.search.services import search_process_pending

    processed = 0
    while Pending.objects.exists():
        processed += search_process_pending()
        time.sleep(0.2)
    print(json.dumps({"processed": processed}))
"""


def test_sigterm_in_a_batch_stops_the_worker_quickly_and_the_next_one_finishes(
    cluster: Cluster,
) -> None:
    ids = cluster.seed(60)
    worker = cluster.worker("worker-1")
    cluster.wait_until(
        "the worker is in the middle of the batch",
        partly_indexed(cluster.database, ids),
        timeout=90,
        interval=0.02,
    )
    took = cluster.stop(worker, within=10)
    left = len(ids) - len(set(ids) & set(cluster.database.live()))
    assert left > 0, f"the worker finished the whole batch after SIGTERM ({took:.1f}s)"
    print(f"SIGTERM: exited in {took:.2f}s, {left}/{len(ids)} left for the next worker")
    cluster.expect_clean(worker)

    successor = cluster.worker("worker-2")
    cluster.wait_until("everything is indexed", settled(cluster.database), timeout=60)
    cluster.stop(successor, within=15)
    cluster.expect_clean(successor)
    assert_indexed_once(cluster)


SEARCH_LOOP = """
    import json, sys, time
    from qiao.search.holder import holder
    from qiao.search.selectors import search_text

    while True:
        matches = search_text(collection="profiles", query=sys.argv[1], k=20)
        print(json.dumps({
            "time": time.time(),
            "seq": holder().seq,
            "matches": [[m.doc_id, m.score] for m in matches],
        }), flush=True)
        time.sleep(0.05)
"""

SEARCH_ONCE = """
    import json, sys
    from qiao.search.holder import holder
    from qiao.search.selectors import search_text

    matches = search_text(collection="profiles", query=sys.argv[1], k=20)
    print(json.dumps({"seq": holder().seq, "matches": [[m.doc_id, m.score] for m in matches]}))
"""

PUBLISH_ONE = """
    import json
    from django.db import transaction
    from qiao.core.testing.factories import ProfileFactory, SectorFactory
    from qiao.search.models import Entry
    from qiao.search.services import search_request

    profile = ProfileFactory.create(
        published=True,
        sectors=[SectorFactory.create(code="hydrogen")],  # a new process restarts sequences
        language="en",
        title="Hydrogen fuel cell power packs for warehouse forklifts",
        summary="Compact hydrogen fuel cell stacks replace lead-acid batteries in forklifts.",
        description="Our fuel cell power pack refuels in three minutes and runs a full shift. "
        "Hydrogen is stored in composite cylinders; the stack uses a proton exchange membrane.",
        advantages="No battery charging rooms, constant power, zero local emissions.",
        technical_specification="Ten kilowatt PEM stack, 350 bar hydrogen storage.",
        keywords=["hydrogen", "fuel cell", "forklift"],
    )
    with transaction.atomic():  # on commit, the immediate task backend indexes it here
        search_request(collection="profiles", sources=[str(profile.pk)])
    entry = Entry.objects.get(collection="profiles", doc_id=str(profile.pk))
    print(json.dumps({"id": str(profile.pk), "seq": entry.seq, "at": entry.updated_at.timestamp()}))
"""


def _lines(process: Process) -> list[dict[str, Any]]:
    lines = []
    for line in process.stdout.splitlines():
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:  # the line being written
            continue
    return lines


def test_a_web_process_sees_another_ones_commit_and_scores_like_a_fresh_one(
    cluster: Cluster,
) -> None:
    query = "водородные топливные элементы для складских погрузчиков"  # ru, for an en profile
    cluster.seed(8, {"QIAO_TASK_BACKEND": IMMEDIATE})  # indexed by the seeding process itself
    assert cluster.database.pending() == 0

    reader = cluster.start("web-B", ["-c", _django(SEARCH_LOOP), query])
    cluster.wait_until("web B has loaded and searched", lambda: bool(_lines(reader)), timeout=60)
    assert reader.running(), reader.report()

    published = json.loads(
        cluster.script("web-A", PUBLISH_ONE, env={"QIAO_TASK_BACKEND": IMMEDIATE})
        .strip()
        .splitlines()[-1]
    )

    def seen() -> dict[str, Any] | None:
        return next(
            (
                line
                for line in _lines(reader)
                if any(doc_id == published["id"] for doc_id, _ in line["matches"])
            ),
            None,
        )

    cluster.wait_until("web B finds the new profile", lambda: seen() is not None, timeout=10)
    first = seen()
    assert first is not None
    latency = first["time"] - published["at"]
    print(f"B found the new profile {latency:.2f}s after its entry was written")
    assert latency < 2.0, f"B found it {latency:.2f}s after the commit\n{reader.report()}"
    assert first["seq"] >= published["seq"]
    assert first["matches"][0][0] == published["id"], first  # the hydrogen profile ranks first

    fresh = json.loads(cluster.script("web-C", SEARCH_ONCE, query).strip().splitlines()[-1])
    latest = _lines(reader)[-1]
    assert latest["seq"] == fresh["seq"] == published["seq"], (latest["seq"], fresh["seq"])
    assert latest["matches"] == fresh["matches"], "B (followed the log) and C (loaded) differ"
    assert reader.running(), reader.report()
    cluster.expect_clean(reader)
