"""Two-node Ray cluster on loopback: `python -m matching index` locally and with --ray must agree.

    .venv/bin/pip install -e '.[ray]'
    .venv/bin/python benchmarks/ray_cluster.py [--documents 6000] [-k 10] [--cpus-per-node 1]

Starts a head node and a worker node on loopback addresses (see HEAD_IP for why the head is
on 127.0.0.2), each in its own process group with its own ports, so that two nodes coexist on
one machine, and with a token made for the run. Indexes the lines of NTREX-128 (zh, ru, en;
one document per line) with all-pairs matching once in one process and once as Ray Data jobs
on the cluster, checks that the saved indexes (vectors, passages, analyses) and the match
files are identical, prints the timings and writes them, with the machine and the command, to
var/bench/ray.json. The cluster is stopped on every exit: the node processes this script
started are signalled by their process group (`ray stop` would stop every Ray process on the
machine, other people's too). Both runs, and the Ray workers, import a snapshot of matching/
taken at the start, so edits to the working tree during the run cannot make them differ.

Not part of the test suite: it takes a minute or two and needs the optional extra.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NTREX = Path("/work/shared/benchmarks/parallel/ntrex128")
PYTHON = sys.executable
RAY = str(Path(PYTHON).with_name("ray"))
# Every process of the cluster and every driver share one token, made for this run (Ray's
# token authentication; without RAY_AUTH_MODE=token a driver would not send it).
ENV = dict(
    os.environ,
    RAY_AUTH_MODE="token",
    RAY_AUTH_TOKEN=secrets.token_hex(32),
    RAY_USAGE_STATS_ENABLED="0",
    PYTHONUNBUFFERED="1",
)
# Ray replaces the addresses 127.0.0.1 and localhost with the machine's external address
# (unless RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, which also forbids a second node); other
# loopback addresses it keeps. So the head's node address is 127.0.0.2, and the worker node
# and the drivers, reaching it over loopback, get 127.0.0.1. (A node whose address is not
# 127.0.0.1 listens on all interfaces; the run's token guards the head's ports.)
HEAD_IP = "127.0.0.2"


# --- data ---------------------------------------------------------------------------------------


def write_documents(path: Path, folder: Path, limit: int) -> int:
    """One document per non-empty line of {zh,ru,en}.txt, interleaved by line number."""
    lines = {
        lang: (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        for lang in ("zh", "ru", "en")
    }
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for number in range(max(len(v) for v in lines.values())):
            for lang, texts in lines.items():
                if count >= limit or number >= len(texts) or not texts[number].strip():
                    continue
                record = {
                    "id": f"{lang}-{number:05d}",
                    "language": lang,
                    "fields": {"text": texts[number]},
                }
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


# --- cluster ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def free_range(size: int = 64) -> tuple[int, int]:
    """A run of `size` ports that are free right now, for one node's workers."""
    for _ in range(50):
        start = 30_000 + int.from_bytes(os.urandom(2)) % 30_000
        try:
            for port in range(start, start + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return start, start + size - 1
    raise RuntimeError("no free port range")


def node_ports() -> list[str]:
    low, high = free_range()
    ports = {
        "--node-manager-port": free_port(),
        "--object-manager-port": free_port(),
        "--dashboard-agent-listen-port": free_port(),
        "--dashboard-agent-grpc-port": free_port(),
        "--metrics-export-port": free_port(),
        "--runtime-env-agent-port": free_port(),
        "--min-worker-port": low,
        "--max-worker-port": high,
    }
    return [f"{k}={v}" for k, v in ports.items()]


class LoopbackCluster:
    """A head and a worker node on loopback, owned by this process (`ray start --block` in a
    process group of its own), with a private temp dir."""

    def __init__(self, cpus_per_node: int, log_dir: Path) -> None:
        self.cpus = cpus_per_node
        self.log_dir = log_dir
        self.port = free_port()
        self.address = f"{HEAD_IP}:{self.port}"
        # Short: Ray puts Unix sockets under it (at most 107 characters a path).
        self.temp_dir = Path(tempfile.mkdtemp(prefix="qray-", dir="/tmp"))
        self.nodes: list[subprocess.Popen[bytes]] = []
        self.imported = ""  # matching/__init__.py as a Ray worker found it

    def _start(self, name: str, args: Sequence[str], env: dict[str, str]) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the node
        command = [
            RAY,
            "start",
            "--block",
            f"--num-cpus={self.cpus}",
            "--object-store-memory=400000000",
            "--disable-usage-stats",
            *node_ports(),
            *args,
        ]
        self.nodes.append(
            subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        )
        log.close()

    def start(self, timeout: float = 90.0) -> None:
        head = ["--head", f"--port={self.port}", f"--node-ip-address={HEAD_IP}",
                "--include-dashboard=false", f"--temp-dir={self.temp_dir}"]  # fmt: skip
        self._start("head", head, ENV)
        self.wait_for_nodes(1, timeout)
        self._start("worker", [f"--address={self.address}"], ENV)
        self.wait_for_nodes(2, timeout)

    def wait_for_nodes(self, count: int, timeout: float) -> None:
        """Until `count` nodes are alive; then note where a Ray worker imports matching from."""
        probe = (
            "import sys, time, ray\n"
            f"ray.init(address={self.address!r}, _node_ip_address={HEAD_IP!r})\n"
            "deadline = time.time() + 20\n"
            f"while sum(n['Alive'] for n in ray.nodes()) < {count}:\n"
            "    if time.time() > deadline: sys.exit(1)\n"
            "    time.sleep(0.5)\n"
            "where = ray.remote(lambda: __import__('matching').__file__)\n"
            "print(ray.get(where.remote()))\n"
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            for node in self.nodes:
                if node.poll() is not None:
                    raise RuntimeError(f"a Ray node exited early; see {self.log_dir}")
            try:
                result = subprocess.run(
                    [PYTHON, "-c", probe],
                    cwd=self.log_dir,  # like the run: Ray workers see the driver's directory
                    env=ENV,
                    capture_output=True,
                    timeout=40,
                )
            except subprocess.TimeoutExpired:
                continue
            if result.returncode == 0:
                self.imported = result.stdout.decode().strip().splitlines()[-1]
                return
            time.sleep(1)
        raise RuntimeError(f"the cluster did not reach {count} nodes; see {self.log_dir}")

    def stop(self) -> None:
        """SIGTERM each node's process group (ray start --block then stops its processes),
        SIGKILL what is left after a grace period."""
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            alive = []
            for node in reversed(self.nodes):  # worker first
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(node.pid, sig)
                    alive.append(node)
            deadline = time.time() + grace
            for node in alive:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    node.wait(max(0.1, deadline - time.time()))
            if all(node.poll() is not None and not group_alive(node.pid) for node in self.nodes):
                break
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def loopback_cluster(cpus_per_node: int, log_dir: Path) -> Iterator[LoopbackCluster]:
    cluster = LoopbackCluster(cpus_per_node, log_dir)

    def interrupted(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, interrupted) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)


# --- runs ---------------------------------------------------------------------------------------


def run_index(
    docs: Path, out: Path, k: int, log: Path, extra: Sequence[str] = ()
) -> dict[str, Any]:
    command = [
        PYTHON,
        "-m",
        "matching",
        "index",
        str(docs),
        "--out",
        str(out / "index"),
        "--match-out",
        str(out / "matches.jsonl"),
        "-k",
        str(k),
        *extra,
    ]
    started = time.perf_counter()
    with open(log, "wb") as stderr:
        # Not from ROOT: `python -m` puts the working directory ahead of PYTHONPATH.
        result = subprocess.run(
            command, cwd=out.parent, env=ENV, stdout=subprocess.PIPE, stderr=stderr
        )
    wall = time.perf_counter() - started
    stdout = result.stdout.decode()
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}); see {log}")
    index_s = re.search(r"indexed \d+ documents with \S+ in ([\d.]+)s", stdout)
    match_s = re.search(r"matched all pairs \(k=\d+\) in ([\d.]+)s", stdout)
    return {
        "command": command[1:],
        "wall_s": round(wall, 2),
        "index_s": float(index_s.group(1)) if index_s else None,
        "match_s": float(match_s.group(1)) if match_s else None,
        "stdout": stdout.strip().splitlines(),
    }


def compare(a: Path, b: Path) -> dict[str, bool]:
    from matching.distributed import index_digest
    from matching.storage import read_manifest

    def generation(path: Path) -> Path:
        manifest = read_manifest(path / "index")
        assert manifest is not None
        return path / "index" / str(manifest["generation"])

    ga, gb = generation(a), generation(b)
    vectors = np.array_equal(
        np.load(ga / "index" / "vectors.npy"), np.load(gb / "index" / "vectors.npy")
    )
    passages = np.array_equal(np.load(ga / "passages.npy"), np.load(gb / "passages.npy"))
    matches_a = (a / "matches.jsonl").read_bytes()
    matches_b = (b / "matches.jsonl").read_bytes()
    return {
        "doc_vectors": vectors,
        "passage_vectors": passages,
        "documents_and_analyses": (ga / "documents.jsonl").read_bytes()
        == (gb / "documents.jsonl").read_bytes(),
        "index_digest": index_digest(a / "index") == index_digest(b / "index"),
        "matches": matches_a == matches_b,
    }


def snapshot_code(directory: Path) -> str:
    """Copy matching/ to `directory` and put it first on PYTHONPATH for every process started
    from here on (the two runs, the Ray nodes and so their workers), so that edits to the working
    tree during the run cannot make the runs differ. Returns the snapshot's sha256."""
    shutil.copytree(
        ROOT / "matching", directory / "matching", ignore=shutil.ignore_patterns("__pycache__")
    )
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(directory), ENV.get("PYTHONPATH")]))
    digest = hashlib.sha256()
    for file in sorted((directory / "matching").rglob("*.py")):
        digest.update(file.relative_to(directory).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def machine() -> dict[str, Any]:
    import onnxruntime
    import ray

    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else ""
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "onnxruntime": onnxruntime.__version__,
        "ray": ray.__version__,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=6000, help="at most this many lines")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--cpus-per-node", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=NTREX, help="parallel {zh,ru,en}.txt")
    parser.add_argument("--json", type=Path, default=ROOT / "var/bench/ray.json")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="qiao-ray-bench-"))
    try:
        docs = work / "docs.jsonl"
        count = write_documents(docs, args.folder, args.documents)
        print(f"{count} documents from {args.folder} (one per line), k={args.k}")

        code = snapshot_code(work / "code")
        print("single process ...", flush=True)
        single = run_index(docs, work / "single", args.k, work / "single.log")
        print(
            f"two-node Ray cluster on loopback (head {HEAD_IP}, worker 127.0.0.1), "
            f"{args.cpus_per_node} CPU each ...",
            flush=True,
        )
        with loopback_cluster(args.cpus_per_node, work) as cluster:
            if not cluster.imported.startswith(str(work / "code")):
                raise RuntimeError(f"Ray workers import {cluster.imported}, not the snapshot")
            on_ray = run_index(
                docs, work / "ray", args.k, work / "ray.log", ["--ray", cluster.address]
            )
            on_ray["address"] = cluster.address
        identical = compare(work / "single", work / "ray")
        same = all(identical.values())

        print(f"\n{'':<16}{'wall':>9}{'index':>9}{'match':>9}")
        for name, run in (("single process", single), ("ray, 2 nodes", on_ray)):
            print(f"{name:<16}{run['wall_s']:>8.1f}s{run['index_s']:>8.1f}s{run['match_s']:>8.1f}s")
        print(on_ray["stdout"][-1])
        print(
            "identical: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in identical.items())
        )

        report = {
            "benchmark": "ray-two-node-loopback",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": [sys.executable, *sys.argv],
            "machine": machine(),
            "data": {"folder": str(args.folder), "documents": count, "k": args.k},
            "cluster": {
                "nodes": 2,
                "cpus_per_node": args.cpus_per_node,
                "node_ips": [HEAD_IP, "127.0.0.1"],
            },
            "single": single,
            "ray": on_ray,
            "identical": identical,
            "code": {"matching_snapshot_sha256": code, "workers_imported": cluster.imported},
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"wrote {args.json}")
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"work directory: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
