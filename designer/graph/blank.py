"""A new pathway: the six standard lanes of care, an entry and an exit.

Also :func:`place_unpositioned_steps`, which gives a freshly read pathway's
unplaced steps their auto-layout positions before anything draws them.
"""

from __future__ import annotations

from designer.graph.geometry import FIRST_COLUMN_X, FIRST_ROW_Y, LAYER_SPACING
from designer.graph.ids import DEFAULT_PATHWAY_ID
from designer.graph.model import Pathway, Role, Setting, Step

# The six standard settings of care: the lanes of a new pathway.
STANDARD_LANES = (
    ("home", "Patient at home", "home"),
    ("gp", "GP practice", "primary"),
    ("hub", "Community hub", "community"),
    ("hospital", "Hospital", "secondary"),
    ("social", "Social care", "social"),
    ("voluntary", "Voluntary sector", "voluntary"),
)


def blank_pathway() -> Pathway:
    """A sensible new pathway: the six standard lanes, an entry and an exit."""
    return Pathway(
        id=DEFAULT_PATHWAY_ID,
        title="New perioperative pathway",
        status="draft",
        rule_packs=["perioperative"],
        settings=[Setting(id=i, name=n, kind=k) for i, n, k in STANDARD_LANES],
        roles=[Role(id="patient", name="Patient"),
               Role(id="gp", name="General practitioner")],
        steps=[
            Step(id="referral", name="Referral for surgical opinion", kind="entry",
                 activity="referral", phase="contemplation", setting="gp", owner="gp",
                 position=(FIRST_COLUMN_X, FIRST_ROW_Y)),
            Step(id="recovered", name="Back to usual activities", kind="exit",
                 phase="recovery", setting="home", owner="patient",
                 position=(FIRST_COLUMN_X + 3 * LAYER_SPACING, FIRST_ROW_Y)),
        ],
    )


def place_unpositioned_steps(pathway: Pathway) -> int:
    """Give steps without a position one from the auto-layout; returns how many.

    Done before any view listens, so it is neither an undo step nor a change.
    (A position that is not a finite number never gets this far: the model
    refuses it when the file is read.)
    """
    missing = sum(1 for s in pathway.steps if s.position is None)
    if not missing:
        return 0
    try:
        from designer.graph.layout import with_positions
        placed = with_positions(pathway)
    except Exception:  # a layout failure must never stop a file from opening
        return 0       # the canvas draws unplaced steps where auto-layout would put them
    pathway.steps[:] = placed.steps
    return missing
