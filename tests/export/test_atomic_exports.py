"""Every export writes through the one atomic writer: a failure never leaves half a file."""

from __future__ import annotations

import os

import pytest

from designer.export import FORMATS, export_one
from designer.graph.io import load_pathway

from test_bpmn import LIBRARY

FAST = ["spec-md", "spec-html", "school-html", "fhir", "bpmn", "graphml", "svg", "png"]


@pytest.mark.parametrize("fmt", FAST)
def test_a_failed_export_keeps_the_old_file_and_leaves_no_temporary_file(
        fmt, tmp_path, monkeypatch, qapp):
    pathway = load_pathway(LIBRARY / "day-case-lap-chole.yaml")
    target = tmp_path / f"out{FORMATS[fmt].suffix}"
    target.write_bytes(b"the previous export")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(Exception, match="No space left on device"):
        export_one(pathway, fmt, target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


@pytest.mark.parametrize("fmt", FAST)
def test_an_export_replaces_the_old_file(fmt, tmp_path, qapp):
    pathway = load_pathway(LIBRARY / "day-case-lap-chole.yaml")
    target = tmp_path / f"out{FORMATS[fmt].suffix}"
    target.write_bytes(b"the previous export")
    export_one(pathway, fmt, target)
    assert target.read_bytes() != b"the previous export" and target.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_simulation_csv_files_are_written_atomically(tmp_path, monkeypatch, capsys):
    """`periop simulate --csv`: a failed write keeps the old files and says why (exit 1 or 2)."""
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "sim"))
    from test_cli_simulate import BASE

    from designer.cli import main

    source = tmp_path / "flow.yaml"
    source.write_text(BASE[:BASE.index("scenarios:")], encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "replications.csv").write_text("old", encoding="utf-8")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code = main(["simulate", str(source), "--replications", "2", "--weeks", "4",
                 "--csv", str(out)])
    assert code != 0
    assert "No space left on device" in capsys.readouterr().err
    assert (out / "replications.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in out.iterdir()) == ["replications.csv"]
