"""Regenerate benchmarks/RESULTS.md from the JSON the benchmark commands wrote.

    qiao bench quality ../shared/benchmarks/parallel/* --json benchmarks/results/quality.json
    qiao bench speed --json benchmarks/results/speed.json
    qiao bench platform --json benchmarks/results/platform.json
    qiao bench platform --database-url postgres://… \
        --json benchmarks/results/platform-postgresql.json
    python benchmarks/ray_cluster.py            # writes var/bench/ray.json; copy it here
    python benchmarks/make_results.py           # rewrites benchmarks/RESULTS.md

Never edit RESULTS.md by hand: every figure in it comes from a JSON file in
benchmarks/results/, which records the command and the machine that produced it.
`render(folder)` returns the Markdown; `main` writes it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
Section = Callable[[dict[str, Any]], list[str]]


def _load(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _f(value: Any, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "n/a"


def _machine(meta: dict[str, Any]) -> str:
    """One line from whatever machine fields a benchmark recorded."""
    cores = meta.get("cpu_count") or meta.get("cores")
    cpu = meta.get("cpu_model") or meta.get("cpu") or meta.get("processor")
    memory = meta.get("memory_gb")
    parts = [
        f"{cores} cores" if cores else "",
        str(cpu or ""),
        f"{memory} GB RAM" if memory else "",
        f"Python {meta['python']}" if meta.get("python") else "",
        str(meta.get("platform", "")),
    ]
    return ", ".join(p for p in parts if p)


def _command(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else str(value)


# --- quality -------------------------------------------------------------------------------------


def quality_section(data: dict[str, Any]) -> list[str]:
    meta = data["meta"]
    systems = ["engine", *meta.get("models", [])]
    lines = [
        "## Quality: `qiao bench quality`",
        "",
        f"Command: `{meta['command']}`  ",
        f"Machine: {_machine(meta)}; run {meta['date']}, {_f(meta.get('seconds'), 0)} s.",
        "",
        "R@1 / R@10 / MRR per direction; Δ = engine minus the best raw model (R@1, MRR).",
        "",
    ]
    header = "| folder | level | direction | " + " | ".join(systems) + " | Δ R@1 | Δ MRR |"
    lines += [header, "|" + "---|" * (len(systems) + 5)]
    for folder in data["parallel"]:
        for row in folder["results"]:
            cells = []
            for system in systems:
                m = row["systems"].get(system)
                cells.append(
                    "n/a"
                    if not m
                    else f"{_f(m['recall_at_1'])} / {_f(m['recall_at_10'])} / {_f(m['mrr'])}"
                )
            raw = [row["systems"][s] for s in systems[1:] if row["systems"].get(s)]
            engine = row["systems"].get("engine")
            deltas = [
                f"{engine[key] - max(m[key] for m in raw):+.3f}" if engine and raw else "n/a"
                for key in ("recall_at_1", "mrr")
            ]
            lines.append(
                f"| {folder['name']} | {row['level']} | {row['direction']} | "
                + " | ".join(cells)
                + f" | {deltas[0]} | {deltas[1]} |"
            )
    sib = data.get("sib") or {}
    if sib.get("results"):
        lines += [
            "",
            f"### Topic agreement, SIB-200 ({sib.get('split', '?')} split, "
            f"{sib.get('rows', '?')} rows, k={sib.get('k', '?')})",
            "",
            "Topic precision@10 / kNN label accuracy, cross-lingual neighbours only.",
            "",
            "| direction | " + " | ".join(systems) + " |",
            "|" + "---|" * (len(systems) + 1),
        ]
        by_dir: dict[str, dict[str, Any]] = {}
        for r in sib["results"]:
            by_dir.setdefault(r["direction"], {})[r["system"]] = r
        for direction, row in by_dir.items():
            cells = [
                f"{_f(row[s].get('topic_precision_at_10'))} / {_f(row[s].get('knn_accuracy'))}"
                if s in row
                else "n/a"
                for s in systems
            ]
            lines.append(f"| {direction} | " + " | ".join(cells) + " |")
    sts = data.get("sts") or {}
    if sts.get("results"):
        lines += [
            "",
            f"### Graded similarity, STS-B multi-MT ({sts.get('split', '?')} split, "
            f"{sts.get('pairs', '?')} pairs)",
            "",
            "Spearman correlation with the gold 0–5 grade, the two sentences in the languages "
            "of the direction.",
            "",
            "| direction | " + " | ".join(systems) + " |",
            "|" + "---|" * (len(systems) + 1),
        ]
        by_dir = {}
        for r in sts["results"]:
            by_dir.setdefault(r["direction"], {})[r["system"]] = r
        for direction, row in by_dir.items():
            cells = [_f(row[s].get("spearman")) if s in row else "n/a" for s in systems]
            lines.append(f"| {direction} | " + " | ".join(cells) + " |")
    below = data.get("engine_below_raw") or []
    lines += ["", f"Places where the engine is below a raw model: {len(below)}."]
    lines += [f"- {item}" for item in below]
    return lines


# --- speed ---------------------------------------------------------------------------------------

_INDEX_COLUMNS = (
    ("size", "size", ","),
    ("kind", "kind", ""),
    ("build_s", "build s", ",.1f"),
    ("rss_mb", "RSS MB", ",.0f"),
    ("faiss_mb", "faiss MB", ",.0f"),
    ("row_file_mb", "row file MB", ",.0f"),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("queries", "queries", ","),
    ("recall_synthetic", "recall@10 synthetic", ".4f"),
    ("recall_real", "recall@10 real", ".4f"),
    ("over_10ms", "queries > 10 ms", ","),
    ("steal_share", "CPU stolen", ".1%"),
)
_SWEEP_COLUMNS = (
    ("size", "size", ","),
    ("ef_search", "efSearch", ""),
    ("refine", "re-scored", ""),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("recall_synthetic", "recall@10 synthetic", ".4f"),
    ("recall_real", "recall@10 real", ".4f"),
)


def _cell(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float):
        return format(value, spec or ",")
    return str(value)


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str, str], ...]) -> list[str]:
    out = [
        "| " + " | ".join(h for _, h, _ in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for r in rows:
        out.append("| " + " | ".join(_cell(r.get(k), spec) for k, _, spec in columns) + " |")
    return out


def speed_section(data: dict[str, Any]) -> list[str]:
    meta = data.get("machine", {})
    lines = [
        "## Speed: `qiao bench speed`",
        "",
        f"Command: `{meta.get('command', 'qiao bench speed')}`  ",
        f"Machine: {_machine(meta)}; run {meta.get('date', '?')}, "
        f"{_f(meta.get('seconds'), 0)} s; load average (1, 5, 15 min) "
        f"{meta.get('load_average_at_start')} at the start, {meta.get('load_average_at_end')} "
        "at the end (the run's own threads count: up to about 2 is this run alone on the two "
        "cores, more means other jobs shared them).",
        "",
    ]
    targets = data.get("targets") or []
    if targets:
        lines += ["| target | measured | bound | met |", "|---|---|---|---|"]
        for t in targets:
            value = t["value"]
            shown = _f(value, 3) if isinstance(value, float) else str(value)
            lines.append(
                f"| {t['target']} | {shown} | {t['bound']} | {'yes' if t['met'] else 'NO'} |"
            )
        lines.append("")
    th = data.get("throughput")
    if th:
        lines += [
            "### Embedding throughput",
            "",
            f"Texts: {th.get('texts_source', '?')}; {th['texts']} used, batches of {th['batch']}.",
            "",
            f"- raw model: {_f(th['raw_per_s'], 1)} sentences/s",
            f"- indexing pipeline (`Engine.upsert`): {_f(th['pipeline_per_s'], 1)} documents/s",
            f"- ratio {_f(th['ratio'])}; the pipeline embeds "
            f"{_f(th['texts_embedded_per_document'])} texts per document; the model is "
            f"{_f(100 * th['model_share_of_pipeline'], 0)} % of its time",
        ]
        if "neighbourhood_seconds" in th:
            lines.append(
                f"- of which the hubness neighbour update (`Engine.update_neighbourhoods`): "
                f"{_f(th['neighbourhood_seconds'], 1)} s; ratio without it "
                f"{_f(th['ratio_without_neighbourhoods'])}"
            )
        profile = th.get("profile")
        if profile:
            lines += [
                "",
                f"Where the pipeline's time goes (cProfile, {profile['documents']} documents):",
                "",
                "| part | s | share |",
                "|---|---|---|",
            ]
            lines += [
                f"| {p['part']} | {_f(p['seconds'], 2)} | {_f(100 * p['share'], 1)} % |"
                for p in profile["parts"]
            ]
        lines.append("")
    vectors = data.get("vectors")
    if vectors:
        check = vectors.get("cosine_check", {})
        lines += [
            "### Vectors",
            "",
            f"{vectors['real_embeddings']:,} real embeddings ({vectors['model']}, "
            f"{vectors['dim']}-d, {_f(vectors['real_embedding_per_s'], 0)} per second), "
            f"{vectors['held_out_real_queries']} held out as real queries; "
            f"{vectors['synthetic_queries']} synthetic queries. Corpus beyond the real "
            f"embeddings: {vectors['synthetic_method']}.",
            "",
        ]
        for name, stats in check.items():
            lines.append(
                f"- cosines, {name}: random pair {_f(stats.get('random_pair'))}, "
                f"1st neighbour {_f(stats.get('neighbour_1'))}, "
                f"10th neighbour {_f(stats.get('neighbour_10'))}"
            )
        lines.append("")
    index = data.get("index")
    if index:
        d = index.get("defaults", {})
        lines += [
            "### Index: build, memory, latency (one query at a time, top 10), recall@10",
            "",
            f"Defaults: exact search up to {d.get('ann_threshold', '?'):,} vectors, then HNSW "
            f"(M={d.get('hnsw_m')}, efConstruction={d.get('ef_construction')}, "
            f"efSearch={d.get('ef_search')}) over 8-bit codes"
            + (
                f", the best {d['refine']} candidates re-scored with {d.get('row_dtype')} rows "
                "read from a file (row file MB: on disk and in the OS page cache, not in RSS)"
                if d.get("refine")
                else ""
            )
            + ". Recall is against exact float search.",
            "",
            *_table(index.get("sizes", []), _INDEX_COLUMNS),
        ]
        if index.get("ef_search_sweep"):
            lines += ["", "efSearch (and re-scoring) sweep at the largest size:", ""]
            lines += _table(index["ef_search_sweep"], _SWEEP_COLUMNS)
        real = index.get("real_corpus")
        if real:
            lines += ["", f"Real embeddings only ({real.get('note', '')}):", ""]
            lines += _table([real], _INDEX_COLUMNS)
    return lines


# --- ray -----------------------------------------------------------------------------------------


def ray_section(data: dict[str, Any]) -> list[str]:
    machine = data.get("machine", {})
    single, ray = data.get("single", {}), data.get("ray", {})
    info = data.get("data", {})
    cluster = data.get("cluster", {})
    identical = data.get("identical", {})
    lines = [
        "## Ray: `qiao index --ray` on a two-node loopback cluster",
        "",
        f"Command: `{_command(data.get('command', []))}`  ",
        f"Machine: {_machine(machine)}; run {data.get('date', '?')}.",
        "",
        f"Data: {info.get('documents', '?')} documents from {info.get('folder', '?')}; "
        f"all-pairs top-{info.get('k', '?')}. Cluster: {cluster.get('nodes', '?')} nodes "
        f"({', '.join(cluster.get('node_ips', []))}), {cluster.get('cpus_per_node', '?')} "
        "CPU each.",
        "",
        "| path | wall s | index s | match s |",
        "|---|---|---|---|",
        f"| single process | {_f(single.get('wall_s'), 1)} | {_f(single.get('index_s'), 1)} | "
        f"{_f(single.get('match_s'), 1)} |",
        f"| Ray | {_f(ray.get('wall_s'), 1)} | {_f(ray.get('index_s'), 1)} | "
        f"{_f(ray.get('match_s'), 1)} |",
        "",
    ]
    if isinstance(identical, dict):
        same = ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in identical.items())
        lines.append(f"Identical to the single-process run: {same}.")
    else:
        lines.append(f"Identical to the single-process run: {identical}.")
    return lines


# --- platform ------------------------------------------------------------------------------------


def _pair(a: Any, b: Any, digits: int = 1) -> str:
    return f"{_f(a, digits)} / {_f(b, digits)}"


def _cores(cpu: dict[str, Any] | None) -> str:
    """This run's processes' and other processes' CPU over a window, in cores."""
    if not cpu:
        return "n/a"
    mine = " + ".join(f"{k} {_f(v, 2)}" for k, v in (cpu.get("cores_used_by") or {}).items())
    return f"{mine}; others {_f(cpu.get('other_processes_cores'), 2)}"


_PLATFORM_COLUMNS = (
    "N",
    "real / synthetic",
    "cold start s (logged load s, from)",
    "web RSS MB: cold / after stream",
    "search ms p50 / p95 / p99",
    "searches/s",
    "of which corpus queries / probes: ms p50 / p99",
    "publish→searchable s p50 / p99 (not found)",
    "of which the worker: commit → indexed s p50 / p99",
    "worker ms beyond model p50 / p95",
    "bytes per publish: state / database",
    "CPU cores during stream",
)


def _per_size(
    sizes: list[dict[str, Any]],
    head: list[str],
    cells: Callable[[dict[str, Any]], list[str]],
    part: str,
) -> list[str]:
    """A table with a row per corpus size: N, then `cells` of that size's `part`."""
    out = ["| N | " + " | ".join(head) + " |", "|" + "---|" * (len(head) + 1)]
    out += [f"| {r['size']:,} | " + " | ".join(cells(r[part])) + " |" for r in sizes]
    return out


def platform_section(data: dict[str, Any]) -> list[str]:
    meta = data.get("machine", {})
    method = data.get("method", {})
    conf = data.get("settings", {})
    lines = [
        f"## Platform: `qiao bench platform` on {meta.get('database', '?')}",
        "",
        f"Command: `{meta.get('command', 'qiao bench platform')}`  ",
        f"Machine: {_machine(meta)}; database {meta.get('database', '?')}; run "
        f"{meta.get('date', '?')}, {_f(meta.get('seconds'), 0)} s; load average (1, 5, 15 min) "
        f"{meta.get('load_average_at_start')} at the start, {meta.get('load_average_at_end')} at "
        "the end. The CPU columns give the cores this run's processes used and those every "
        "other process on the machine used meanwhile (a shared machine slows every figure).",
        "",
        f"Method: {method.get('real_path', '')}. Corpus: {method.get('corpus', '')}. Worker time: "
        f"{method.get('worker_per_publish', '')}. Publish to searchable: "
        f"{method.get('publish_to_searchable', '')}. Web process: {conf.get('web_threads')} "
        f"threads; {conf.get('clients')} clients searching without pause (k={conf.get('k')}) "
        f"while {conf.get('publish_rate')} profiles/s are published for "
        f"{conf.get('stream_seconds')} s; search index followed every "
        f"{conf.get('poll_seconds')} s, worker sweep every {conf.get('sweep_seconds')} s, exact "
        f"vectors up to {conf.get('ann_threshold')}, then HNSW.",
        "",
    ]
    targets = data.get("targets") or []
    if targets:
        lines += ["| target | measured | bound | met |", "|---|---|---|---|"]
        for t in targets:
            met = "" if t.get("met") is None else ("yes" if t["met"] else "NO")
            lines.append(f"| {t['target']} | {t['value']} | {t['bound']} | {met} |")
        lines.append("")
    imp = data.get("batch_import")
    if imp:
        emb = imp.get("embedding", {})
        lines += [
            f"### Batch import of {imp['profiles']:,} profiles",
            "",
            f"- written by `import_profiles(publish=True)` in {_f(imp.get('import_seconds'), 1)} "
            f"s ({imp.get('rejected_rows', 0)} rows rejected); all indexed by the worker after "
            f"{_f(imp.get('indexed_seconds'), 1)} s; the last ones returned by the web process "
            f"after {_f(imp.get('searchable_seconds'), 1)} s; their matches stored after "
            f"{_f(imp.get('matched_seconds'), 1)} s",
            f"- the model alone would take {_f(emb.get('model_seconds_all'), 1)} s "
            f"({_f(emb.get('texts_per_profile'), 1)} texts and "
            f"{_f(1000 * (emb.get('model_seconds_per_profile') or 0), 1)} ms of model time per "
            f"profile, measured on {emb.get('sample', '?')} of them): ratio "
            f"{_f(imp.get('ratio_to_embedding'), 2)}",
            f"- CPU meanwhile: {_cores(imp.get('cpu'))}",
            "",
        ]
    sizes = data.get("sizes") or []
    if sizes:
        lines += [
            "### Per corpus size",
            "",
            "| " + " | ".join(_PLATFORM_COLUMNS) + " |",
            "|" + "---|" * len(_PLATFORM_COLUMNS),
        ]
        for r in sizes:
            s, w, b, c = (
                r["stream"],
                r["worker_per_publish"],
                r["bytes_per_publish"],
                r["cold_start"],
            )
            lines.append(
                f"| {r['size']:,} | {r['real_profiles']:,} / {r['synthetic_clones']:,} | "
                f"{_f(c['seconds_to_first_search'], 1)} ({_f(c.get('logged_load_seconds'), 1)}"
                f"{', ' + c['logged_load_from'] if c.get('logged_load_from') else ''}) | "
                f"{_pair(c.get('rss_mb'), s.get('web_rss_mb_end'), 0)} | "
                f"{_f(s['search_ms_p50'], 0)} / {_f(s['search_ms_p95'], 0)} / "
                f"{_f(s['search_ms_p99'], 0)} | {_f(s.get('searches_per_second'), 1)} | "
                f"{_pair(s.get('query_ms_p50'), s.get('query_ms_p99'), 0)}; "
                f"{_pair(s.get('probe_ms_p50'), s.get('probe_ms_p99'), 0)} | "
                f"{_pair(s['searchable_s_p50'], s['searchable_s_p99'], 2)} "
                f"({s.get('searchable_missing', 0)}) | "
                f"{_pair(s.get('indexed_by_worker_s_p50'), s.get('indexed_by_worker_s_p99'), 2)} | "
                f"{_pair(w['beyond_model_ms_p50'], w['beyond_model_ms_p95'])} | "
                f"{_f(b.get('entry_state_bytes'), 0)} / {_f(b.get('database_growth_bytes'), 0)} | "
                f"{_cores(s.get('cpu'))} |"
            )
        checkpoints = [r for r in sizes if r.get("checkpoint_write") and r.get("load_checkpoint")]
        if checkpoints:
            lines += [
                "",
                "Checkpoints (what the worker writes now and then; a process starts from "
                "the newest and applies the entries after it):",
                "",
            ]
            lines += [
                f"- {r['size']:,}: written in {_f(r['checkpoint_write']['seconds'], 1)} s, "
                f"{_f(r['checkpoint_write']['bytes'] / 2**20, 0)} MB; restored by a process in "
                f"{_f(r['load_checkpoint']['seconds'], 1)} s "
                f"(+{_f(r['load_checkpoint'].get('rss_mb'), 0)} MB resident), "
                f"{r['load_checkpoint'].get('texts_embedded')} texts embedded"
                for r in checkpoints
            ]
        lines += [
            "",
            "Where a cold process's load from the entries alone goes (no checkpoint; in the "
            "bench process, timed by part"
            + (
                "; under cProfile, so slower"
                if any("profile_top_self" in r["load"] for r in sizes)
                else ""
            )
            + "); nothing is embedded (texts embedded during the load: "
            + ", ".join(str(r["load"].get("texts_embedded")) for r in sizes)
            + "):",
            "",
        ]
        parts = [p for p in sizes[-1]["load"].get("parts", {}) if p != "restore checkpoint"]
        lines += _per_size(
            sizes,
            ["index", "load s", *(p.strip() for p in parts), "embedding would take s"],
            lambda load: [
                str(load.get("index_kind")),
                _f(load["seconds"], 1),
                *(_f(load["parts"].get(p), 1) for p in parts),
                _f(load.get("embedding_would_take_s"), 0),
            ],
            "load",
        )
        part_names = sorted({k for r in sizes for k in r["worker_per_publish"]["parts_ms_p50"]})
        lines += [
            "",
            "Worker time per single publish by part, p50 ms (the model's time is inside analyze; "
            "matches = re-matching the profile):",
            "",
        ]
        lines += _per_size(
            sizes,
            ["worker", "model", *part_names, "services (publish itself)"],
            lambda w: [
                _f(w["worker_ms_p50"], 1),
                _f(w["model_ms_p50"], 1),
                *(_f(w["parts_ms_p50"].get(p), 1) for p in part_names),
                _f(w.get("services_ms_p50"), 1),
            ],
            "worker_per_publish",
        )
        lines += [
            "",
            "Bytes per publish, p50: "
            + "; ".join(
                f"{r['size']:,}: state {_f(r['bytes_per_publish'].get('entry_state_bytes'), 0)}, "
                f"written by the process {_f(r['bytes_per_publish'].get('wchar_bytes'), 0)}, "
                f"database growth {_f(r['bytes_per_publish'].get('database_growth_bytes'), 0)}"
                for r in sizes
            )
            + ".",
        ]
    for skipped in data.get("skipped") or []:
        lines += ["", f"Size {skipped['size']:,} skipped: {skipped['reason']}."]
    restarts = data.get("worker_restarts") or []
    if restarts:
        lines += [
            "",
            f"The worker exited on its own {len(restarts)} time(s) and was started again:",
        ]
        lines += [
            f"- during {r.get('phase', '?')}, at {_f(r.get('at_seconds'), 0)} s: "
            f"`{r.get('error', '')}`"
            for r in restarts
        ]
    return lines


# --- document ------------------------------------------------------------------------------------

SECTIONS: tuple[tuple[str, Section], ...] = (
    ("quality", quality_section),
    ("speed", speed_section),
    ("ray", ray_section),
    ("platform", platform_section),
    ("platform-postgresql", platform_section),  # the same bench with --database-url
)


def render(folder: Path = RESULTS) -> str:
    out = [
        "# Benchmark results",
        "",
        "Generated by `python benchmarks/make_results.py` from `benchmarks/results/*.json`; do "
        "not edit by hand. Evaluation data: `../shared/benchmarks/` (public sets, not in the "
        "repo). Decisions behind the engine's numbers: `docs/decisions/0004-engine-scoring.md`, "
        "`docs/decisions/0005-embedding-and-hubness.md`, "
        "`docs/decisions/0006-index-rescoring-and-speed.md` and "
        "`docs/decisions/0007-csls-toward-the-query-language.md`.",
        "",
    ]
    loaded = {name: _load(folder, name) for name, _ in SECTIONS}
    platforms = {
        name: (d.get("meta") or d.get("machine") or {}).get("platform")
        for name, d in loaded.items()
        if d
    }
    if len(set(platforms.values())) == 1 and len(platforms) > 1:
        merged: dict[str, Any] = {}
        for d in loaded.values():
            for key, value in (d.get("meta") or d.get("machine") or {}).items() if d else ():
                if value and not merged.get(key):
                    merged[key] = value
        out += [
            f"All of them ran on one machine ({', '.join(platforms)} record the same platform): "
            f"{_machine(merged)}.",
            "",
        ]
    for name, section in SECTIONS:
        data = loaded[name]
        out += section(data) if data else [f"## {name}", "", "Not run yet."]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else RESULTS
    target = Path(args[1]) if len(args) > 1 else HERE / "RESULTS.md"
    target.write_text(render(folder), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
