"""``periop simulate FILE``: run the pathway's patient flow and cost simulation.

Exit 0 on success; 2 when the file cannot be loaded or its flow inputs are
incomplete or inconsistent (one message naming the field, no traceback).
Progress goes to stderr; results to stdout (a table, or ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys

from designer.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, print_err


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _positive_int(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"give at least 1, not {value}")
    return value


def _seed(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"the seed must be 0 or more, not {value}")
    return value


def _weeks(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of weeks") from None
    if not (0 < value <= 5200):
        raise argparse.ArgumentTypeError(f"give a number of weeks from 1 to 5200, not {text}")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "simulate", help="simulate patient flow, waits, bed-days and costs",
        description="Run the pathway as a discrete-event simulation and report waits, "
                    "cancellations, bed-days and costs per year with 95%% intervals. "
                    "With two or more --scenario, the differences (later minus earlier) "
                    "are reported on common random numbers. Exit 0: done; 2: the file "
                    "or its flow inputs cannot be used.")
    p.add_argument("file", metavar="FILE", help="pathway YAML file with flow inputs")
    p.add_argument("--scenario", action="append", metavar="ID", dest="scenarios",
                   help="a scenario to run (repeat to compare; default: every scenario)")
    p.add_argument("--replications", type=_positive_int, metavar="N",
                   help="replications (default: the file's flow.replications, else 30)")
    p.add_argument("--weeks", type=_weeks, metavar="N",
                   help="simulated weeks after warm-up (default: flow.horizon_weeks, else 156)")
    p.add_argument("--seed", type=_seed, metavar="N", help="random seed (default: flow.seed)")
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="local worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask distributed cluster, e.g. tcp://host:8786")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--csv", metavar="DIR", help="also write per-replication CSV files to DIR")
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace) -> int:
    from designer.graph.io import PathwayLoadError, load_pathway
    from designer.sim import FlowInputError, SimulationCancelled, SimulationSetupError
    from designer.sim import run as simulate

    def fail(message: str) -> int:
        print_err(message)
        return EXIT_UNREADABLE

    try:
        pathway = load_pathway(args.file)
    except PathwayLoadError as exc:
        return fail(str(exc))

    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\rsimulating: {done}/{total} replications", end="", file=sys.stderr,
                  flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(f"simulating: {done}/{total} replications", file=sys.stderr, flush=True)

    try:
        results = simulate(pathway, args.scenarios, replications=args.replications,
                           weeks=args.weeks, seed=args.seed, workers=args.workers,
                           scheduler=args.scheduler, progress=progress, file=args.file)
    except FlowInputError as exc:
        return fail(f"Cannot simulate {args.file}: {exc}")
    except SimulationSetupError as exc:
        return fail(f"Cannot simulate {args.file}: {exc}")
    except SimulationCancelled:
        return EXIT_INTERRUPTED
    finally:
        if interactive:
            print(file=sys.stderr)
    for warning in results.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.csv:
        try:
            paths = results.to_csv(args.csv)
        except OSError as exc:
            return fail(f"Cannot write the CSV files to {args.csv}: {exc.strerror or exc}")
        print(f"wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    if args.json:
        print(json.dumps(results.to_json(), indent=2, ensure_ascii=False))
    else:
        print(results.to_text())
    return EXIT_OK
