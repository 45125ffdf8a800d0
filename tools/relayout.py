"""Rewrite designer imports written for the old layout (before issue 9) to the new one.

    python tools/relayout.py FILE...        # rewrites the files in place
    python tools/relayout.py --check FILE... # lists what would change, exit 1 if anything

For branches started before the house moves: a file they added (or a hunk they
re-apply) may import ``designer.export.style`` or ``from .commands_base import
...``. Each import of a moved module, or of a name that moved to another module,
is rewritten as an absolute import of its new home; dotted names in strings
(e.g. ``monkeypatch.setattr("designer.export.spec_pdf.x", ...)``) are rewritten
too. The module map is read from docs/layout.md. Delete this script once every
branch has landed.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# names that moved between modules: (old module, name) -> new module
NAMES = {
    ("designer.ui.document", "STANDARD_LANES"): "designer.graph.blank",
    ("designer.ui.document", "blank_pathway"): "designer.graph.blank",
    ("designer.ui.document", "place_unpositioned_steps"): "designer.graph.blank",
    ("designer.ui.clipboard", "FRAGMENT_HEADER"): "designer.graph.fragment",
    ("designer.ui.clipboard", "fragment_text"): "designer.graph.fragment",
    ("designer.ui.clipboard", "parse_fragment"): "designer.graph.fragment",
    ("designer.ui.clipboard", "FindBar"): "designer.ui.window.find_bar",
    ("designer.ui.palette", "STEP_MIME_TYPE"): "designer.graph.fragment",
    ("designer.ui.palette", "guess_phase"): "designer.graph.fragment",
    ("designer.ui.palette", "payload_for"): "designer.graph.fragment",
    ("designer.ui.palette", "step_from_payload"): "designer.graph.fragment",
    ("designer.ui.items", "step_outline"): "designer.render.shapes",
    ("designer.ui.items", "text_area"): "designer.render.shapes",
    ("designer.ui.items", "hourglass"): "designer.render.shapes",
    ("designer.export.diagram_layout", "edge_path"): "designer.render.shapes",
    ("designer.export.diagram_layout", "arrow_head"): "designer.render.shapes",
    ("designer.export.diagram_layout", "font"): "designer.render.text",
    ("designer.export.diagram_layout", "wrap_text"): "designer.render.text",
    ("designer.export.style", "SETTING_KIND_LABELS"): "designer.graph.vocabulary",
    ("designer.export.spec_content", "PHASE_LABELS"): "designer.graph.vocabulary",
    ("designer.export.spec_content", "STATUS_LABELS"): "designer.graph.vocabulary",
    ("designer.export.spec_content", "SEVERITY_LABELS"): "designer.graph.vocabulary",
    ("designer.ui.commands_base", "plural"): "designer.graph.vocabulary",
    ("designer.export.spec", "ExportError"): "designer.export.kit.files",
    ("designer.export.spec", "write_atomic"): "designer.export.kit.files",  # now write_export
    ("designer.export.school", "BODY_SIZE"): "designer.export.school.content",
    ("designer.export.school", "LARGE_PRINT_SIZE"): "designer.export.school.content",
    ("designer.cli_export", "FORMATS"): "designer.export",
    ("designer.cli_export", "ExportFormat"): "designer.export",
    ("designer.cli_export", "ExportRefused"): "designer.export",
    ("designer.cli_export", "export_one"): "designer.export",
    ("designer.cli_export", "default_file_name"): "designer.export",
    ("designer.cli_export", "same_file"): "designer.export",
    ("designer.library", "APP_NAME"): "designer.library",
}


def module_map() -> dict[str, str]:
    """old dotted module -> new dotted module, from docs/layout.md's module lines."""
    mapping = {}
    text = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        m = re.match(r"(designer/\S+\.py) -> (designer/\S+\.py)", line)
        if not m:
            continue
        old, new = (p[:-3].replace("/", ".") for p in m.groups())
        mapping[old.removesuffix(".__init__")] = new.removesuffix(".__init__")
    mapping["designer.cli"] = "designer.cli"
    mapping["designer.library"] = "designer.library"   # the package re-exports index and templates
    mapping["designer.ui.commands"] = "designer.ui.commands"   # re-exports every command
    return mapping


def _module_of(path: Path) -> tuple[str, bool]:
    rel = path.resolve().relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    return ".".join(parts), is_pkg


def _resolve(module: str, is_pkg: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_pkg:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def rewrite(path: Path, mapping: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    try:
        module, is_pkg = _module_of(path)
    except ValueError:
        module, is_pkg = "", False
    old_modules = set(mapping)
    edits = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _resolve(module, is_pkg, node.level, node.module) if node.level else node.module
        if not source or not source.startswith("designer"):
            continue
        groups: dict[str, list[str]] = {}
        for alias in node.names:
            as_ = f" as {alias.asname}" if alias.asname else ""
            sub = f"{source}.{alias.name}"
            if sub in old_modules and mapping[sub] != sub:
                parent, leaf = mapping[sub].rsplit(".", 1)
                if leaf != alias.name and not alias.asname:
                    as_ = f" as {alias.name}"
                groups.setdefault(parent, []).append(leaf + as_)
            elif (source, alias.name) in NAMES:
                groups.setdefault(NAMES[(source, alias.name)], []).append(alias.name + as_)
            else:
                groups.setdefault(mapping.get(source, source), []).append(alias.name + as_)
        indent = lines[node.lineno - 1][: node.col_offset]
        new = "".join(f"{indent}from {mod} import {', '.join(names)}\n"
                      for mod, names in groups.items())
        old = "".join(lines[node.lineno - 1: node.end_lineno])
        if new.strip() != " ".join(old.split()).strip() and node.level or any(
                mod != source for mod in groups):
            edits.append((node.lineno - 1, node.end_lineno, new))
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = [new]
    out = "".join(lines)
    for old in sorted(mapping, key=len, reverse=True):
        new = mapping[old]
        if new == old:
            continue
        guard = (r"(?!" + re.escape(new[len(old):]) + r"(?![\w]))") if new.startswith(old + ".") else ""
        out = re.sub(r"(?<![\w.])" + re.escape(old) + r"(?![\w])" + guard, new, out)
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = [Path(a) for a in argv if a != "--check"]
    mapping = module_map()
    changed = 0
    for path in files:
        before = path.read_text(encoding="utf-8")
        after = rewrite(path, mapping)
        if after != before:
            changed += 1
            print(path)
            if not check:
                path.write_text(after, encoding="utf-8")
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
