"""Every exemplar's BPMN passes the rules of bpmnlint's ``recommended`` set that it broke.

The Python checks below are the guard (they run everywhere); when node and
bpmnlint are installed (``make test`` installs it into ``benchmarks/node_modules``
when npm is on PATH; ``BPMNLINT`` may name another binary) the real linter runs too
and must report 0 errors and 0 warnings. With node present but bpmnlint missing the
test fails rather than skipping, so a broken install cannot pass unnoticed.

Rules checked in Python (bpmnlint's names):

* ``no-implicit-split``: a task or event with 2+ outgoing flows; every fork is a gateway.
* ``fake-join``: a task or event with 2+ incoming flows; every join is a gateway.
* ``no-gateway-join-fork``: a gateway that both joins and forks.
* ``conditional-flows``: a fork that has a condition or default on one flow has
  one on every flow (a flow without one would always be taken).
* ``superfluous-label``: a labelled flow that is neither conditional, default, nor
  leaving a forking gateway.
* ``label-required``: a forking exclusive gateway, task or event without a name.
* ``no-inclusive-gateway``, ``superfluous-gateway`` (one in, one out).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designer.export.interop.bpmn import bpmn_xml
from designer.graph.io import load_pathway

M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
            "complexGateway"}
NOT_NODES = {"laneSet", "sequenceFlow", "documentation", "extensionElements",
             "textAnnotation", "association"}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def lint(xml: str) -> list[str]:
    """The problems bpmnlint's recommended rules would report (those we fixed)."""
    process = ET.fromstring(xml).find(f"{M}process")
    nodes = {el.get("id"): el for el in process if local(el.tag) not in NOT_NODES}
    flows = process.findall(f"{M}sequenceFlow")
    out: dict[str, list] = {i: [] for i in nodes}
    into: dict[str, list] = {i: [] for i in nodes}
    for flow in flows:
        out[flow.get("sourceRef")].append(flow)
        into[flow.get("targetRef")].append(flow)
    problems = []
    for ident, node in nodes.items():
        kind = local(node.tag)
        gateway = kind in GATEWAYS
        if not gateway and len(out[ident]) > 1:
            problems.append(f"{ident}: no-implicit-split")
        if not gateway and len(into[ident]) > 1:
            problems.append(f"{ident}: fake-join")
        if gateway and len(into[ident]) > 1 and len(out[ident]) > 1:
            problems.append(f"{ident}: no-gateway-join-fork")
        if gateway and len(into[ident]) <= 1 and len(out[ident]) <= 1:
            problems.append(f"{ident}: superfluous-gateway")
        if kind == "inclusiveGateway":
            problems.append(f"{ident}: no-inclusive-gateway")
        default = node.get("default")
        conditional = default or any(f.find(f"{M}conditionExpression") is not None
                                     for f in out[ident])
        if conditional:
            for f in out[ident]:
                if f.find(f"{M}conditionExpression") is None and f.get("id") != default:
                    problems.append(f"{f.get('id')}: conditional-flows")
        forking = gateway and len(out[ident]) > 1
        if (kind == "exclusiveGateway" and forking or not gateway and kind != "startEvent"
                and kind != "endEvent") and not (node.get("name") or "").strip():
            problems.append(f"{ident}: label-required")
        for f in out[ident]:
            if (f.get("name") or "").strip() and f.find(f"{M}conditionExpression") is None \
                    and f.get("id") != default and not forking:
                problems.append(f"{f.get('id')}: superfluous-label")
    return problems


def test_the_checks_catch_an_implicit_split_and_a_fake_join():
    xml = f"""<definitions xmlns="{M[1:-1]}"><process id="P">
      <task id="A" name="A"/><task id="B" name="B"/><task id="C" name="C"/>
      <sequenceFlow id="f1" sourceRef="A" targetRef="B" name="if so">
        <conditionExpression>if so</conditionExpression></sequenceFlow>
      <sequenceFlow id="f2" sourceRef="A" targetRef="C"/>
      <sequenceFlow id="f3" sourceRef="B" targetRef="C" name="label"/>
    </process></definitions>"""
    assert sorted(lint(xml)) == ["A: no-implicit-split", "C: fake-join",
                                 "f2: conditional-flows", "f3: superfluous-label"]


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_exemplar_bpmn_breaks_none_of_the_rules(path):
    assert lint(bpmn_xml(load_pathway(path))) == []


def test_the_frailty_discharge_keeps_its_condition():
    """Discharge leads on to the care package only when one is needed, else straight to
    the early call: an exclusive gateway with a condition and a default, not both."""
    xml = bpmn_xml(load_pathway(LIBRARY / "frailty-hip-pops.yaml"))
    process = ET.fromstring(xml).find(f"{M}process")
    (after,) = [f for f in process.findall(f"{M}sequenceFlow")
                if f.get("sourceRef") == "Step_discharge"]
    split = next(el for el in process if el.get("id") == after.get("targetRef"))
    assert local(split.tag) == "exclusiveGateway"
    ways = [f for f in process.findall(f"{M}sequenceFlow")
            if f.get("sourceRef") == split.get("id")]
    conditions = {f.findtext(f"{M}conditionExpression") for f in ways}
    assert "Care package needed" in conditions
    assert split.get("default") in {f.get("id") for f in ways}


def _bpmnlint() -> str | None:
    found = os.environ.get("BPMNLINT") or shutil.which("bpmnlint")
    if found:
        return found
    candidate = Path(__file__).resolve().parents[2] / "benchmarks" / "node_modules" / ".bin" / "bpmnlint"
    return str(candidate) if candidate.exists() else None


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (bpmnlint is an npm package)")
def test_bpmnlint_recommended_reports_nothing(tmp_path):
    assert _bpmnlint() is not None, "bpmnlint is not installed: run `make node-tools`"
    (tmp_path / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}')
    files = []
    for path in EXEMPLARS:
        out = tmp_path / f"{path.stem}.bpmn"
        out.write_text(bpmn_xml(load_pathway(path)), encoding="utf-8")
        files.append(out.name)
    result = subprocess.run([_bpmnlint(), *files], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (bpmnlint is an npm package)")
@pytest.mark.parametrize("first_parallel", [False, True])
def test_bpmnlint_passes_unmarked_ways_without_conditions(tmp_path, first_parallel):
    """Alternatives with no condition split at an exclusive gateway bpmnlint accepts."""
    from test_bpmn_parallel import alternatives_pathway

    assert _bpmnlint() is not None, "bpmnlint is not installed: run `make node-tools`"
    (tmp_path / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}')
    (tmp_path / "alt.bpmn").write_text(bpmn_xml(alternatives_pathway(first_parallel)),
                                       encoding="utf-8")
    result = subprocess.run([_bpmnlint(), "alt.bpmn"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
