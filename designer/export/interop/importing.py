"""One entry point for every importer: pick the reader from the file, run it.

Used by ``periop import`` and by File > Import in the editor.
"""

from __future__ import annotations

from pathlib import Path

from designer.export.interop.import_common import ImportRefused, ImportResult, read_bytes

BPMN_SUFFIXES = (".bpmn", ".bpmn2", ".xml")
FHIR_SUFFIXES = (".json",)
FORMATS = ("bpmn", "fhir")


def detect_format(path: Path, data: bytes) -> str:
    """``"bpmn"`` or ``"fhir"`` from the suffix, else from the first character."""
    suffix = path.suffix.lower()
    if suffix in BPMN_SUFFIXES:
        return "bpmn"
    if suffix in FHIR_SUFFIXES:
        return "fhir"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "bpmn"
    if head[:1] in (b"{", b"["):
        return "fhir"
    raise ImportRefused(path.name, "it is neither BPMN 2.0 XML (.bpmn) nor FHIR JSON (.json)",
                        "unknown format")


def import_file(path: str | Path, fmt: str | None = None, sub_pathways: bool = False
                ) -> ImportResult:
    """Import ``path`` (BPMN 2.0 or a FHIR PlanDefinition); :class:`ImportRefused` if not.

    ``sub_pathways``: also import each BPMN sub-process as a pathway of its own.
    """
    p = Path(path)
    data = read_bytes(p)
    kind = fmt or detect_format(p, data)
    if kind == "bpmn":
        from designer.export.interop.bpmn_import import bpmn_to_pathway

        return bpmn_to_pathway(data, p.name, p.stem, sub_pathways)
    from designer.export.interop.fhir_import import fhir_to_pathway

    return fhir_to_pathway(data, p.name, p.stem, folder=p.parent, self_path=p)


def link_sub_pathways(result: ImportResult, out: Path) -> list[tuple[Path, ImportResult]]:
    """The files for ``result``'s sub-pathways beside ``out`` (``OUT.STEP.yaml``, nested
    ones ``OUT.STEP.INNER.yaml``), each parent step's description naming its file."""
    stem = out.name[:-len(out.suffix)] if out.suffix else out.name
    files: list[tuple[Path, ImportResult]] = []
    for step_id, sub in result.sub_pathways.items():
        target = out.with_name(f"{stem}.{step_id}{out.suffix or '.yaml'}")
        step = result.pathway.step(step_id)
        if step is not None:
            note = f"Detail: the sub-pathway in {target.name}."
            result.pathway.update_step(step_id, description=(
                f"{step.description}\n\n{note}" if step.description else note))
        files.append((target, sub))
        files += link_sub_pathways(sub, target)
    return files


def report_path(out: Path) -> Path:
    """Where the import report goes: ``OUT.import-report.md`` beside ``OUT.yaml``."""
    stem = out.name[:-len(out.suffix)] if out.suffix else out.name
    return out.with_name(stem + ".import-report.md")
