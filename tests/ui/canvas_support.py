"""A small realistic pathway shared by the canvas and command tests."""

from __future__ import annotations

from designer.graph import routing
from designer.graph.model import Handoff, Pathway, Role, Setting, Step, Transition, Waiver


def sample_pathway() -> Pathway:
    """Referral to follow-up for an elective operation, over four lanes."""
    settings = [
        Setting(id="home", name="Patient at home", kind="home"),
        Setting(id="gp", name="GP practice", kind="primary"),
        Setting(id="hub", name="Community hub", kind="community"),
        Setting(id="hospital", name="Hospital", kind="secondary"),
    ]
    roles = [
        Role(id="patient", name="Patient"),
        Role(id="gp", name="General practitioner"),
        Role(id="surgeon", name="Consultant surgeon"),
        Role(id="pac-nurse", name="Preassessment nurse"),
        Role(id="physio", name="Physiotherapist"),
    ]
    steps = [
        Step(id="referral", name="Referral for surgical opinion", kind="entry",
             activity="referral", phase="contemplation", setting="gp", owner="gp",
             position=(260.0, 70.0)),
        Step(id="sdm", name="Shared decision making clinic", activity="shared-decision-making",
             phase="contemplation", setting="hospital", owner="surgeon",
             position=(470.0, 70.0)),
        Step(id="preassess", name="Preoperative assessment", activity="preassessment",
             phase="preoperative", setting="hospital", owner="pac-nurse",
             position=(680.0, 70.0)),
        Step(id="fit", name="Fit for surgery?", kind="decision", phase="preoperative",
             setting="hospital", owner="pac-nurse", position=(890.0, 70.0)),
        Step(id="optimise", name="Optimisation in primary care", activity="optimisation",
             phase="preoperative", setting="gp", owner="gp", position=(890.0, 70.0)),
        Step(id="prehab", name="Prehabilitation programme", activity="prehabilitation",
             phase="preoperative", setting="hub", owner="physio", duration_days=28,
             position=(680.0, 70.0)),
        Step(id="surgery", name="Surgery", activity="surgery", phase="intraoperative",
             setting="hospital", owner="surgeon", position=(1100.0, 70.0)),
        Step(id="discharge", name="Discharge home", activity="discharge",
             phase="postoperative", setting="hospital", owner="surgeon",
             position=(1310.0, 70.0)),
        Step(id="recovered", name="Recovered at home", kind="exit", activity="follow-up",
             phase="recovery", setting="home", owner="patient", position=(1520.0, 70.0)),
    ]
    transitions = [
        Transition(source="referral", target="sdm", wait_days=14, handoff=Handoff(
            sender="gp", receiver="surgeon", information=["referral letter", "medicines list"],
            channel="e-referral")),
        Transition(source="sdm", target="preassess"),
        Transition(source="sdm", target="prehab", handoff=Handoff(sender="surgeon")),
        Transition(source="preassess", target="fit"),
        Transition(source="fit", target="surgery", condition="fit"),
        Transition(source="fit", target="optimise", condition="needs optimisation",
                   handoff=Handoff(sender="pac-nurse", receiver="gp",
                                   information=["HbA1c"], channel="letter")),
        Transition(source="optimise", target="preassess"),
        Transition(source="prehab", target="surgery"),
        Transition(source="surgery", target="discharge"),
        Transition(source="discharge", target="recovered", handoff=Handoff(
            sender="surgeon", receiver="patient", information=["discharge summary"],
            channel="letter")),
    ]
    return Pathway(
        id="sample-elective", title="Sample elective surgery pathway",
        settings=settings, roles=roles, steps=steps, transitions=transitions,
        waivers=[Waiver(rule="handoff-without-channel", target="sdm->prehab",
                        reason="agreed by phone")],
    )


def make_canvas(qtbot, pathway: Pathway | None = None):
    """A shown 1200x800 canvas at 100% zoom, scrolled to the top-left."""
    from PySide6.QtGui import QUndoStack

    from designer.ui.canvas.scene import PathwayScene
    from designer.ui.canvas.view import PathwayView

    pathway = pathway or sample_pathway()
    stack = QUndoStack()
    scene = PathwayScene(pathway, stack)
    view = PathwayView(scene)
    scene.setParent(view)       # as in the main window: Qt deletes them in order
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.zoom_reset()
    view.home()
    return pathway, stack, scene, view


def view_point(view, scene_point):
    """Viewport coordinates (QPoint) of a scene point."""
    return view.mapFromScene(scene_point)


def labels_equal_a_fresh_placement(scene) -> int:
    """Every label and badge where a placement from scratch puts it; how many."""
    scene.tidy_now()
    requests = [r for key, edge in scene.transition_items().items() if key in scene._routes
                for r in edge.label_requests()]
    fresh = routing.place_labels(scene._routes, scene._route_nodes,
                                 [label for label, _ in requests],
                                 keep_clear=scene._captions_below())
    for label, item in requests:
        rect = fresh[(label.key, label.name)]
        centre = item.scenePos()
        assert abs(centre.x() - (rect[0] + rect[2]) / 2) < 1e-6, label
        assert abs(centre.y() - (rect[1] + rect[3]) / 2) < 1e-6, label
    return len(requests)
