"""Any text a user can type survives export -> import, in BPMN and in FHIR."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.export.interop.bpmn import bpmn_xml
from designer.export.interop.fhir import export_fhir
from designer.export.interop.bpmn_import import bpmn_to_pathway
from designer.export.interop.fhir_import import fhir_to_pathway
from designer.graph.model import EditRefused
from test_bpmn import interop_pathway

# XML 1.0 and FHIR cannot hold control characters other than tab, CR and LF: the
# writers leave those out, so they are not generated here
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
               min_size=1, max_size=30).filter(lambda s: s.strip())


def plain(pathway):
    data = pathway.model_dump()
    for step in data["steps"]:
        step.pop("position")
    # the transition to a step that does not exist is not exported
    data["transitions"] = [t for t in data["transitions"] if t["target"] != "ghost"]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, text=TEXT, condition=TEXT, item=TEXT, title=TEXT, info=TEXT)
def test_text_round_trips_exactly(name, text, condition, item, title, info):
    pathway = interop_pathway()
    try:
        pathway.update_header(title=title, summary=text, population=info)
        pathway.update_step("sdm", name=name, description=text, patient_info=info)
        pathway.update_step("fit", name=condition)
        pathway.update_transition("fit->wait", condition=condition)
        pathway.update_transition("referral->sdm", handoff={
            "sender": "gp", "information": [item, "medicines list"], "channel": text})
        pathway.update_setting("gp", name=name)
    except EditRefused:
        return
    via_bpmn = bpmn_to_pathway(bpmn_xml(pathway).encode("utf-8"), "p.bpmn").pathway
    via_fhir = fhir_to_pathway(export_fhir(pathway).encode("utf-8"), "p.json").pathway
    assert plain(via_bpmn) == plain(pathway)
    assert plain(via_fhir) == plain(pathway)
