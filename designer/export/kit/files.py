"""Writing an export's file: through the one atomic writer, failing with :class:`ExportError`."""

from __future__ import annotations

from pathlib import Path


class ExportError(Exception):
    """An export that could not be written; the message is for people."""


def write_export(target, write) -> Path:
    """Write an export through the one atomic writer (:func:`designer.graph.io.write_file_atomic`).

    ``write(tmp)`` fills a temporary file beside ``target``; a failure leaves any
    earlier file untouched. Raises :class:`ExportError` when the file cannot be written.
    """
    from designer.graph.io import write_file_atomic

    return write_file_atomic(Path(target), write, error=ExportError)


def write_export_text(target, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically (see :func:`write_export`)."""
    return write_export(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
