"""`python -m designer`: the command line; with no sub-command, the designer window."""

from designer.cli import main

if __name__ == "__main__":
    import sys

    if getattr(sys, "frozen", False):  # only a frozen app needs it (and the import costs)
        import multiprocessing

        multiprocessing.freeze_support()  # simulation worker processes in a frozen app
    raise SystemExit(main())
