"""Command line: ``periop`` / ``python -m designer``.

One module per command (``designer/cli/<command>.py``), each with
``register(subparsers)`` adding its parser and setting ``handler`` to a function
``(args) -> int`` (the exit code; the codes are in :mod:`designer.cli.common`).
A command module may instead define ``add_parser(subparsers)`` returning its
parser and ``run(args) -> int``.

Commands import what they need inside their handlers, so ``validate`` and
``export`` never load Qt widgets and start fast; only ``open`` does.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from typing import Sequence

# pydantic looks for third-party plugins in every installed package's metadata the
# first time a model is built (about 0.07 s); the designer uses none. Set before any
# command imports the model.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from designer.cli.common import EXIT_FAILED, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE
from designer.cli.pydantic_setup import skip_plugin_scan

# ...and with plugins off, its plugin loader need not import importlib.metadata
# (a tenth of `periop validate` on a small file; see designer/cli/pydantic_setup.py)
skip_plugin_scan()

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FINDINGS", "EXIT_FAILED", "EXIT_UNREADABLE"]

# the commands, in the order ``periop --help`` lists them
COMMANDS = (
    "designer.cli.validate",
    "designer.cli.timeline",
    "designer.cli.rules",
    "designer.cli.schema",
    "designer.cli.open",
    "designer.cli.library",   # library list|show|new
    "designer.cli.export",
    "designer.cli.diff",
    "designer.cli.simulate",
    "designer.cli.import_",   # import FILE.bpmn|FILE.json -o OUT.yaml
    "designer.cli.sources",   # sources: shared folders and git remotes of the library
    "designer.cli.update",    # update: a newer national version into a local variant
)


def _add_command(subparsers, module) -> None:
    if hasattr(module, "register"):
        module.register(subparsers)
        return
    parser = module.add_parser(subparsers)
    if parser is not None and parser.get_default("handler") is None:
        parser.set_defaults(handler=module.run)


def _command_name(module_name: str) -> str:
    return module_name.rsplit(".", 1)[1].rstrip("_")   # designer.cli.import_ -> import


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of the command ``only`` (which loads one
    command module instead of all of them: what a command's start-up needs)."""
    parser = argparse.ArgumentParser(
        prog="periop",
        description="Perioperative Pathway Designer: design, check and export "
                    "perioperative care pathways. With no command, opens the designer.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS:
        if only is not None and _command_name(module_name) != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        _add_command(sub, module)
    parser.commands = sub.choices   # command name -> its parser
    return parser


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for this command line: one command's when it names one (``periop``
    alone is ``periop open``), else every command's (``--help``, a mistake)."""
    first = argv[0] if argv else "open"
    if first in {_command_name(m) for m in COMMANDS}:
        parser = build_parser(only=first)
        if first in parser.commands:
            return parser
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up imports build thousands of lasting objects (classes, parsers) and no
    # garbage: the cycle collector would walk them again and again for nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        parser = _parser_for(sys.argv[1:] if argv is None else list(argv))
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            args = parser.parse_args(["open", *([] if argv is None else list(argv))])
    finally:
        if was_enabled:
            gc.enable()
    try:
        code = args.handler(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    if argv is None and args.command in QUICK_EXIT and isinstance(code, int):
        _exit_now(code)
    return code


#: commands that, run as the program itself (``periop validate``, not ``main([...])``
#: from Python), end the process as soon as their output is written: they leave no
#: files open and nothing to clean up, and the interpreter's own shutdown (freeing
#: every module and object one by one) is about a twentieth of `periop validate`'s
#: CPU time on a small file
QUICK_EXIT = frozenset({"validate"})


def _exit_now(code: int) -> None:
    """End the process with ``code`` without the interpreter's shutdown.

    Runs the ``atexit`` handlers and flushes standard output and error first, so the
    process says and does exactly what a normal exit would. If the flush fails (a
    closed pipe) it returns instead, and the normal shutdown reports as it always did.
    """
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
