"""Command line over JSONL, to tune relevance without Django.

    python -m matching index DOCS.jsonl --out DIR [--model NAME] [--match-out FILE -k 10]
                                              [--ray ADDRESS [--ray-cpus 1]]
    python -m matching search DIR "text" [-k 10] [--filter key=value ...] [--language ru]
    python -m matching match DIR DOCS.jsonl [-k 10] [--filter key=value ...]
    python -m matching eval-parallel FOLDER [--model NAME] [--method embedding|engine]
    python -m matching eval-halves FOLDER [--compare] [--fit] [--bm25-weight W] [--cue-weight W]
    python -m matching fit-sts FOLDER [--split dev]   # engine.PAIR_CALIBRATION from STS grades
    python -m matching bench-embed FILE [--model NAME] [--batch-size 32]

A document line: {"id": "...", "language": "zh|ru|en", "fields": {"title": "...", ...},
"attributes": {"kind": ["offer"], ...}} (an attribute value may be a string or a list).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from matching import benchmarks, evaluation
from matching.embedders import DEFAULT_MODEL, EmbedderError, available_embedders, get_embedder
from matching.engine import Engine, Scoring
from matching.index import DEFAULT_ANN_THRESHOLD, IndexMismatchError
from matching.storage import StorageError
from matching.types import LANGUAGES, Document, Filters, Match


class UsageError(ValueError):
    """Bad input on the command line or in a JSONL file."""


def document_from_json(obj: dict[str, Any]) -> Document:
    try:
        doc_id = str(obj["id"])
        language = obj["language"]
        fields = obj["fields"]
    except (KeyError, TypeError) as exc:
        raise UsageError(f"a document needs id, language and fields: {exc}") from exc
    if language not in LANGUAGES:
        raise UsageError(f"document {doc_id}: language must be one of {LANGUAGES}")
    if not isinstance(fields, dict):
        raise UsageError(f"document {doc_id}: fields must be an object")
    attributes = {}
    for key, value in (obj.get("attributes") or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        attributes[str(key)] = frozenset(str(v) for v in values)
    return Document(
        id=doc_id,
        language=language,
        fields={str(k): str(v) for k, v in fields.items() if v is not None},
        attributes=attributes,
    )


def read_documents(path: Path) -> Iterator[Document]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield document_from_json(json.loads(line))
            except (ValueError, UsageError) as exc:
                raise UsageError(f"{path}:{number}: {exc}") from exc


def parse_filters(items: Sequence[str]) -> Filters:
    """["kind=offer", "sector=energy", "sector=it"] -> {"kind": {"offer"}, "sector": {...}}."""
    out: dict[str, set[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--filter expects key=value, got {item!r}")
        out.setdefault(key, set()).update(v for v in value.split(",") if v)
    return {k: frozenset(v) for k, v in out.items()}


# --- printing ------------------------------------------------------------------------------------


def _title(document: Document | None) -> str:
    if document is None:
        return ""
    for value in document.fields.values():
        if value and value.strip():
            return value.strip().splitlines()[0][:100]
    return ""


def print_matches(engine: Engine, matches: list[Match], out: TextIO) -> None:
    if not matches:
        print("  (no matches)", file=out)
    for rank, m in enumerate(matches, 1):
        doc = engine.get(m.doc_id)
        lang = doc.language if doc else "?"
        e = m.explanation
        print(f"{rank:>3}. {m.score:5.1f}  [{lang}] {m.doc_id}  {_title(doc)}", file=out)
        print(f"       semantic {e.semantic:.3f}  lexical {e.lexical:.3f}", file=out)
        for p in e.passages:
            print(f"       ≈ {p.similarity:.2f}  «{p.query_passage[:90]}»", file=out)
            print(f"                ↔ «{p.match_passage[:90]}»", file=out)
        for label, values in (
            ("terms", e.shared_terms),
            ("numbers", e.shared_numbers),
            ("names/codes", e.shared_names),
        ):
            if values:
                print(f"       {label}: {', '.join(values)}", file=out)


def match_to_json(m: Match) -> dict[str, Any]:
    e = m.explanation
    return {
        "id": m.doc_id,
        "score": round(m.score, 2),
        "semantic": round(e.semantic, 4),
        "lexical": round(e.lexical, 4),
        "passages": [
            [p.query_passage, p.match_passage, round(p.similarity, 4)] for p in e.passages
        ],
        "shared_terms": list(e.shared_terms),
        "shared_numbers": list(e.shared_numbers),
        "shared_names": list(e.shared_names),
    }


# --- commands ------------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    # Local and --ray runs share every step but where it runs (matching.distributed, docs/ray.md).
    from matching import distributed

    started = time.perf_counter()
    docs = list(read_documents(Path(args.docs)))
    runner: distributed.Runner = distributed.LocalRunner()
    if args.ray:
        try:
            runner = distributed.RayRunner.connect(args.ray, cpus_per_actor=args.ray_cpus)
        except distributed.RayUnavailableError as exc:
            raise UsageError(str(exc)) from exc
    engine, corpus = distributed.build_index(
        docs,
        model=args.model,
        runner=runner,
        ann_threshold=args.ann_threshold,
        progress=lambda done, total: print(f"  {done}/{total}", file=sys.stderr),
    )
    engine.save(Path(args.out))
    elapsed = time.perf_counter() - started
    print(f"indexed {len(engine)} documents with {engine.model_name} in {elapsed:.1f}s", file=out)
    print(f"saved to {args.out} ({engine.index_kind} index)", file=out)
    if args.match_out:
        started = time.perf_counter()
        neighbours = runner.topk(corpus, args.k, calibrate=engine.scoring.calibrate)
        distributed.write_neighbours(Path(args.match_out), corpus, neighbours)
        elapsed = time.perf_counter() - started
        print(f"matched all pairs (k={args.k}) in {elapsed:.1f}s: {args.match_out}", file=out)
    if isinstance(runner, distributed.RayRunner):
        print(runner.summary(), file=out)
    return 0


def _open(args: argparse.Namespace) -> Engine:
    from matching.storage import read_manifest

    manifest = read_manifest(Path(args.dir))
    if manifest is None:
        raise UsageError(f"{args.dir}: no index here (build one with `python -m matching index`)")
    return Engine.open(Path(args.dir), args.model or str(manifest["model"]))


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    engine = _open(args)
    matches = engine.search(
        args.text, language=args.language, filters=parse_filters(args.filter), k=args.k
    )
    if args.json:
        print(json.dumps([match_to_json(m) for m in matches], ensure_ascii=False), file=out)
    else:
        print_matches(engine, matches, out)
    return 0


def cmd_match(args: argparse.Namespace, out: TextIO) -> int:
    engine = _open(args)
    filters = parse_filters(args.filter)
    for doc in read_documents(Path(args.docs)):
        matches = engine.match(doc, filters=filters, k=args.k)
        if args.json:
            record = {"id": doc.id, "matches": [match_to_json(m) for m in matches]}
            print(json.dumps(record, ensure_ascii=False), file=out)
        else:
            print(f"\n== {doc.id} [{doc.language}] {_title(doc)}", file=out)
            print_matches(engine, matches, out)
    return 0


def _read_folder(folder: str) -> evaluation.ParallelSet:
    try:
        return evaluation.read_parallel_folder(Path(folder))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def cmd_eval_parallel(args: argparse.Namespace, out: TextIO) -> int:
    data = _read_folder(args.folder)
    results = benchmarks.evaluate_parallel(data, args.model, method=args.method)
    print(f"{data.name}: {len(next(iter(data.lines.values())))} lines, model {args.model}, "
          f"method {args.method}", file=out)  # fmt: skip
    _print_metrics(results, out)
    if args.json:
        print(json.dumps([r._asdict() for r in results]), file=out)
    return 0


def _print_metrics(results: Sequence[evaluation.RetrievalMetrics], out: TextIO) -> None:
    print(f"{'direction':<28}{'queries':>8}{'R@1':>8}{'R@10':>8}{'MRR':>8}", file=out)
    for r in results:
        print(
            f"{r.direction:<28}{r.queries:>8}{r.recall_at_1:>8.3f}{r.recall_at_10:>8.3f}"
            f"{r.mrr:>8.3f}",
            file=out,
        )


def cmd_eval_halves(args: argparse.Namespace, out: TextIO) -> int:
    data = _read_folder(args.folder)
    if args.fit:
        print(f"{data.name}: (offset, scale) per language pair, {args.model}", file=out)
        for (a, b), (offset, scale) in benchmarks.fit_calibration(data, args.model).items():
            print(f"  {a}-{b}: ({offset:.3f}, {scale:.3f})", file=out)
        return 0
    custom = Scoring(
        bm25_weight=args.bm25_weight,
        cue_weight=args.cue_weight,
        calibrate=not args.no_calibration,
        doc_vector=args.doc_vector,
    )
    scorings = {"this run": custom}
    if args.compare:
        scorings = {
            "raw cosine only": replace(custom, calibrate=False, bm25_weight=0, cue_weight=0),
            "calibrated cosine only": replace(custom, calibrate=True, bm25_weight=0, cue_weight=0),
            "raw cosine + lexical": replace(custom, calibrate=False),
            "calibrated + lexical": replace(custom, calibrate=True),
        }
    results = benchmarks.evaluate_halves(data, args.model, scorings=scorings)
    for name, rows in results.items():
        print(f"\n{data.name}, mixed-language halves: {name}", file=out)
        _print_metrics(rows if args.verbose else rows[-2:], out)
    return 0


def cmd_fit_sts(args: argparse.Namespace, out: TextIO) -> int:
    from matching.bench_quality import read_sts_folder

    try:
        data = read_sts_folder(Path(args.folder), split=args.split)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    fitted = benchmarks.fit_sts_calibration(data.first, data.second, data.gold, args.model)
    print(
        f"{args.folder} ({data.split}, {len(data.gold)} rows): cosine = offset + scale·grade/5",
        file=out,
    )
    for (a, b), (offset, scale) in fitted.items():
        print(f"  {a}-{b}: ({offset:.3f}, {scale:.3f})", file=out)
    return 0


def cmd_bench_embed(args: argparse.Namespace, out: TextIO) -> int:
    lines = [x for x in Path(args.file).read_text(encoding="utf-8").splitlines() if x.strip()]
    if not lines:
        raise UsageError(f"{args.file}: no lines to embed")
    load_started = time.perf_counter()
    embedder = get_embedder(args.model)
    loaded = time.perf_counter() - load_started
    if hasattr(embedder, "batch_size"):
        embedder.batch_size = args.batch_size
    embedder.embed(lines[: args.batch_size])  # warm-up
    started = time.perf_counter()
    embedder.embed(lines)
    elapsed = time.perf_counter() - started
    print(
        f"{embedder.name}: {len(lines)} lines in {elapsed:.2f}s = {len(lines) / elapsed:.0f} "
        f"sentences/s at batch {args.batch_size} (model load {loaded:.2f}s)",
        file=out,
    )
    return 0


# --- entry point ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    models = ", ".join([*available_embedders(), "st:/path/to/model"])

    p = sub.add_parser("index", help="embed a JSONL file of documents into an index directory")
    p.add_argument("docs", help="documents, one JSON object per line")
    p.add_argument("--out", required=True, help="index directory (created or replaced)")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model: {models}")
    p.add_argument(
        "--ann-threshold", type=int, default=DEFAULT_ANN_THRESHOLD, help="HNSW beyond this size"
    )
    p.add_argument(
        "--match-out",
        metavar="FILE",
        help="also write each document's k nearest other documents (semantic score) as JSONL",
    )
    p.add_argument("-k", type=int, default=10, help="neighbours per document (default 10)")
    p.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="embed and match as Ray Data jobs on the running cluster at ADDRESS (host:port or "
        "auto), with results identical to a local run; pip install 'qiao[ray]' (docs/ray.md)",
    )
    p.add_argument("--ray-cpus", type=float, default=1.0, help="CPUs per Ray actor (default 1)")
    p.set_defaults(run=cmd_index)

    for name, helptext in (
        ("search", "search an index with a text in any language"),
        ("match", "match each document of a JSONL file against an index"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("dir", help="index directory")
        if name == "search":
            p.add_argument("text")
            p.add_argument("--language", choices=LANGUAGES, help="default: detected")
            p.set_defaults(run=cmd_search)
        else:
            p.add_argument("docs", help="documents, one JSON object per line")
            p.set_defaults(run=cmd_match)
        p.add_argument("-k", type=int, default=10, help="results per query (default 10)")
        p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        p.add_argument("--model", help="default: the model the index was built with")
        p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("eval-parallel", help="recall@1/@10 and MRR on a parallel folder")
    p.add_argument("folder", help="line-aligned {lang}.txt files, optional doc.txt")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model: {models}")
    p.add_argument("--method", choices=("embedding", "engine"), default="embedding")
    p.add_argument("--json", action="store_true", help="also print the results as JSON")
    p.set_defaults(run=cmd_eval_parallel)

    p = sub.add_parser("eval-halves", help="mixed-language topical matching on a parallel folder")
    p.add_argument("folder", help="a parallel folder with doc.txt and zh/ru/en files")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model: {models}")
    defaults = Scoring()
    p.add_argument("--bm25-weight", type=float, default=defaults.bm25_weight)
    p.add_argument("--cue-weight", type=float, default=defaults.cue_weight)
    p.add_argument("--no-calibration", action="store_true", help="rank by raw cosine")
    p.add_argument("--doc-vector", choices=("text", "passages", "both"), default="both")
    p.add_argument("--compare", action="store_true", help="raw vs calibrated, ± lexical")
    p.add_argument("--fit", action="store_true", help="print the fitted language-pair calibration")
    p.add_argument("--verbose", action="store_true", help="every direction, not just the means")
    p.set_defaults(run=cmd_eval_halves)

    p = sub.add_parser("fit-sts", help="fit the language-pair calibration on graded STS pairs")
    p.add_argument("folder", help="STS folder of *-{lang}-{split}.csv files")
    p.add_argument("--split", default="dev", help="which split to fit on (default dev)")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model: {models}")
    p.set_defaults(run=cmd_fit_sts)

    p = sub.add_parser("bench-embed", help="embedding throughput on a text file, one per line")
    p.add_argument("file")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model: {models}")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(run=cmd_bench_embed)
    return parser


# `bench KIND ...` runs matching.bench_KIND.main: each benchmark owns its own options.
BENCHMARKS = {
    "quality": "translation retrieval, topic agreement and STS correlation, engine vs raw models",
    "speed": "embedding throughput, index build, query latency, memory and ANN recall",
}


def run_benchmark(argv: Sequence[str]) -> int:
    import importlib

    if not argv or argv[0] not in BENCHMARKS:
        listing = "\n".join(f"  {name:<8} {text}" for name, text in BENCHMARKS.items())
        print(f"usage: bench {{{','.join(BENCHMARKS)}}} [options]\n\n{listing}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"matching.bench_{argv[0]}")
    code: int = module.main(list(argv[1:]))
    return code


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["bench"]:
        return run_benchmark(arguments[1:])
    args = build_parser().parse_args(arguments)
    stream = out if out is not None else sys.stdout
    try:
        code: int = args.run(args, stream)
    except (
        UsageError,
        EmbedderError,
        IndexMismatchError,
        StorageError,
        benchmarks.UnsupportedFolder,
        OSError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code
