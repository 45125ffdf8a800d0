"""``periop schema``: print the JSON Schema of the pathway file format."""

from __future__ import annotations

import argparse
import json

from designer.cli.common import EXIT_OK


def register(subparsers) -> None:
    p = subparsers.add_parser("schema", help="print the JSON Schema of the pathway format",
                              description="Print the JSON Schema of periop-pathway/1.")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from designer.graph.io import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK
