"""`qiao bench platform`: the platform's processes under load, at 10k, 100k (and 1M) profiles.

The method is in the module doc of qiao.search.bench. The command never touches the database
it is configured with: it makes a throwaway one (or takes an empty PostgreSQL database from
--database-url) and re-runs itself in a child process whose settings point there.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.search import bench


def _own_options() -> tuple[list[str], dict[str, Any]]:
    """The bench's option names, in the order of --help, and their defaults."""
    parser = argparse.ArgumentParser(add_help=False)
    bench.add_arguments(parser)
    return [a.dest for a in parser._actions], vars(parser.parse_args([]))


class Command(BaseCommand):
    help = (
        "Benchmark the platform end to end: a throwaway database, the web process and a worker "
        "as subprocesses, publishes through the services while clients search (see "
        "qiao/search/bench.py). Writes every number and the machine with --json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        bench.add_arguments(parser)
        parser.add_argument("--run-child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["run_child"]:
            if bench.RUN_ENV not in os.environ:
                raise CommandError("--run-child is internal to bench_platform")
            try:
                bench.main_child(self.stdout)  # type: ignore[arg-type]
            except (bench.DataError, RuntimeError) as exc:
                raise CommandError(str(exc)) from exc
            return
        names, defaults = _own_options()
        own = {name: options[name] for name in names}
        own["data"] = str(Path(own["data"]).resolve())
        if own["json"]:
            own["json"] = str(Path(own["json"]).resolve())
        url = own.get("database_url")
        if url and url.split(":", 1)[0] not in {"postgres", "postgresql", "pgsql"}:
            raise CommandError("--database-url takes a PostgreSQL URL of an empty database")
        command = bench.command_line(
            {k: options[k] for k in names}, defaults
        )  # as typed: relative paths stay relative
        try:
            code = bench.run_child(own, command, self.stdout)  # type: ignore[arg-type]
        except (bench.DataError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if code:
            raise CommandError(f"the benchmark failed (exit status {code}); see its output above")
