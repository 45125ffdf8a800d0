"""New from template: an untitled local copy of a library pathway that remembers its source."""

from __future__ import annotations

from typing import Iterable

from designer.graph.model import DerivedFrom, Pathway, Status

TEMPLATE_VERSION = "0.1.0"


def new_from_template(template: Pathway, taken: Iterable[str] = ()) -> Pathway:
    """An untitled local copy of ``template`` to edit.

    The copy gets a fresh id (``<id>-local``, numbered if taken), status draft,
    version 0.1.0 and ``derived_from = {id, version}`` of the template, so the
    specification can say which exemplar it was localised from. Workshop notes,
    votes and priorities are not carried over.
    """
    used = set(taken) | {template.id}
    base = f"{template.id}-local"
    new_id, n = base, 2
    while new_id in used:
        new_id, n = f"{base}-{n}", n + 1
    data = template.model_dump(by_alias=True)
    data.update(
        id=new_id, status=Status.draft, version=TEMPLATE_VERSION,
        derived_from=DerivedFrom(id=template.id, version=template.version).model_dump(),
        notes=[], priorities=[], votes=[], workshop=None,
    )
    return Pathway.model_validate(data)
