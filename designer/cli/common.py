"""What every ``periop`` command shares: the exit codes (defined once) and error output.

Exit codes: 0 the command did what was asked (``diff``: the files are the same);
1 it ran but the answer is "no" (``validate``: errors remain; ``export``: an export
failed; ``diff``: the files differ); 2 an input file could not be read.
"""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_FINDINGS = 1       # validate: errors remain
EXIT_FAILED = 1         # export / library: something asked for could not be done
EXIT_UNREADABLE = 2     # a pathway file could not be read
EXIT_IDENTICAL = EXIT_OK
EXIT_DIFFERENT = 1      # diff: the two pathways differ
EXIT_INTERRUPTED = 130  # Ctrl+C


def print_err(message: str) -> None:
    """Write ``message`` for people on standard error."""
    print(message, file=sys.stderr)
