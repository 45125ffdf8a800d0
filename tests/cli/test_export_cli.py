"""``periop export``: formats, output naming, exit codes and never writing over the pathway."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from types import ModuleType, SimpleNamespace

import pytest

from designer.cli import main
from designer.cli.export import FORMATS, parse_formats

PATHWAY_YAML = """\
format: periop-pathway/1
id: cli-demo
title: CLI demo <b>&</b>
version: 1.0.0
status: draft
settings:
  - {id: gp, name: GP practice, kind: primary}
  - {id: hospital, name: Hospital, kind: secondary}
roles:
  - {id: gp, name: General practitioner}
  - {id: surgeon, name: Surgeon}
steps:
  - {id: referral, name: Referral, kind: entry, setting: gp, owner: gp, position: [260, 70]}
  - {id: op, name: 'A & B "quoted"', kind: task, setting: hospital, owner: surgeon,
     position: [470, 70]}
  - {id: done, name: Home, kind: exit, setting: gp, owner: gp, position: [680, 70]}
transitions:
  - {from: referral, to: op, wait_days: 14}
  - {from: op, to: done}
"""


@pytest.fixture
def pathway_file(tmp_path):
    path = tmp_path / "cli-demo.yaml"
    path.write_text(PATHWAY_YAML, encoding="utf-8")
    return path


def test_several_formats_go_into_a_folder_named_from_the_pathway_id(pathway_file, tmp_path,
                                                                     capsys):
    out = tmp_path / "exports"
    code = main(["export", str(pathway_file), "--format", "fhir,bpmn", "-f", "graphml",
                 "--format", "svg", "--format", "png", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["cli-demo-plandefinition.fhir.json", "cli-demo.bpmn",
                            "cli-demo.graphml", "cli-demo-diagram.svg",
                            "cli-demo-diagram.png"])
    printed = capsys.readouterr().out.split()
    assert len(printed) == 5
    assert json.loads((out / "cli-demo-plandefinition.fhir.json").read_text())[
        "resourceType"] == "PlanDefinition"
    ET.parse(out / "cli-demo.bpmn")
    ET.parse(out / "cli-demo-diagram.svg")
    assert (out / "cli-demo-diagram.png").read_bytes()[:4] == b"\x89PNG"


def test_one_format_to_a_named_file(pathway_file, tmp_path):
    out = tmp_path / "plan.json"
    assert main(["export", str(pathway_file), "--format", "fhir", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "CLI demo <b>&</b>"


def test_never_writes_over_the_pathway_file(pathway_file, capsys):
    before = pathway_file.read_bytes()
    code = main(["export", str(pathway_file), "--format", "bpmn", "-o", str(pathway_file)])
    assert code == 1
    assert "pathway file itself" in capsys.readouterr().err
    assert pathway_file.read_bytes() == before


def test_never_writes_over_the_pathway_file_through_a_default_name(tmp_path, capsys):
    sneaky = tmp_path / "cli-demo.bpmn"        # the name the BPMN export would get
    sneaky.write_text(PATHWAY_YAML, encoding="utf-8")
    code = main(["export", str(sneaky), "--format", "bpmn", "--format", "fhir",
                 "-o", str(tmp_path)])
    assert code == 1
    assert sneaky.read_text(encoding="utf-8") == PATHWAY_YAML
    assert not (tmp_path / "cli-demo-plandefinition.fhir.json").exists()


def test_unreadable_input_exits_2_with_a_message(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main(["export", str(missing), "--format", "fhir", "-o", str(tmp_path)]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: periop-pathway/1\nid: [unclosed\n", encoding="utf-8")
    assert main(["export", str(broken), "--format", "fhir", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "Traceback" not in err


def test_unknown_or_missing_format_is_refused(pathway_file, tmp_path, capsys):
    assert main(["export", str(pathway_file), "--format", "pptx", "-o", str(tmp_path)]) == 1
    assert "unknown format 'pptx'" in capsys.readouterr().err
    assert main(["export", str(pathway_file), "-o", str(tmp_path)]) == 1
    assert parse_formats(["all"]) == list(FORMATS)


def test_a_failed_export_exits_1_and_the_others_are_still_written(pathway_file, tmp_path,
                                                                    monkeypatch, capsys):
    import designer.export.interop.graphml as graphml

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(graphml, "export_graphml", broken)
    code = main(["export", str(pathway_file), "--format", "graphml,bpmn",
                 "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "graphml" in err and "disk full" in err and "Traceback" not in err
    assert (tmp_path / "out" / "cli-demo.bpmn").exists()


def test_school_exports_print_reading_age_warnings_and_pass_large_print(
        pathway_file, tmp_path, monkeypatch, capsys):
    calls = []

    def export_school(pathway, fmt, out_path, large_print=False):
        calls.append((pathway.id, fmt, large_print))
        out_path.write_text("booklet", encoding="utf-8")
        return SimpleNamespace(warnings=["'After surgery' reads at age 13 (aim for 11)"])

    fake = ModuleType("designer.export.school")
    fake.export_school = export_school
    monkeypatch.setitem(sys.modules, "designer.export.school", fake)
    code = main(["export", str(pathway_file), "--format", "school-html", "--large-print",
                 "-o", str(tmp_path / "booklet.html")])
    captured = capsys.readouterr()
    assert code == 0
    assert calls == [("cli-demo", "html", True)]
    assert "'After surgery' reads at age 13" in captured.err
    assert (tmp_path / "booklet.html").read_text() == "booklet"


def test_spec_exports_go_to_the_documents_exporter_with_a_report(
        pathway_file, tmp_path, monkeypatch):
    calls = []

    def export_spec(pathway, fmt, out_path, report=None, diff=None):
        calls.append((fmt, report is not None))
        out_path.write_text("spec", encoding="utf-8")

    fake = ModuleType("designer.export.spec")
    fake.export_spec = export_spec
    monkeypatch.setitem(sys.modules, "designer.export.spec", fake)
    assert main(["export", str(pathway_file), "--format", "spec-md,spec-html",
                 "-o", str(tmp_path)]) == 0
    assert calls == [("md", True), ("html", True)]
    assert (tmp_path / "cli-demo-specification.md").exists()


def test_reading_age_warnings_are_printed_once_for_several_booklet_formats(
        pathway_file, tmp_path, monkeypatch, capsys):
    def export_school(pathway, fmt, out_path, large_print=False):
        out_path.write_text(fmt, encoding="utf-8")
        return SimpleNamespace(warnings=["'Going home' reads at age 12"])

    fake = ModuleType("designer.export.school")
    fake.export_school = export_school
    monkeypatch.setitem(sys.modules, "designer.export.school", fake)
    assert main(["export", str(pathway_file), "--format", "school-html,school-pdf,school-docx",
                 "-o", str(tmp_path / "booklets")]) == 0
    err = capsys.readouterr().err
    assert err.count("'Going home' reads at age 12") == 1
    assert len(list((tmp_path / "booklets").iterdir())) == 3


def test_several_formats_refuse_a_file_name(pathway_file, tmp_path, capsys):
    out = tmp_path / "diagram.png"
    assert main(["export", str(pathway_file), "--format", "svg,png", "-o", str(out)]) == 1
    assert "several formats need a folder" in capsys.readouterr().err
    assert not out.exists()
