"""Find the library exemplar a pathway was made from (its ``derived_from``)."""

from __future__ import annotations

from designer.graph.model import Pathway


class ExemplarNotFound(Exception):
    """No exemplar to compare with; the message says why and what to do instead."""


def find_exemplar(pathway: Pathway) -> tuple[Pathway, str]:
    """Load the exemplar named by ``pathway.derived_from``.

    Returns
    -------
    (Pathway, str)
        The exemplar, and a note for people (e.g. when the library now holds a
        newer version than the one this pathway was made from; "" otherwise).

    Raises
    ------
    ExemplarNotFound
        When the pathway has no ``derived_from`` or the exemplar cannot be found
        or read.
    """
    origin = pathway.derived_from
    if origin is None:
        raise ExemplarNotFound(
            "This pathway was not made from a library exemplar, so there is nothing to "
            "compare it with. Use Workshop > Compare with File… to compare it with any "
            "pathway file.")
    from designer.library.index import Library, LibraryError

    library = Library()
    if library.get(origin.id) is None:
        raise ExemplarNotFound(
            f"The library exemplar '{origin.id}' this pathway was made from is not in "
            "the library on this computer. Use Workshop > Compare with File… if you "
            "have a copy of it.")
    try:
        exemplar = library.load(origin.id)
    except LibraryError as exc:
        raise ExemplarNotFound(str(exc)) from None
    note = ""
    if exemplar.version != origin.version:
        note = (f"This pathway was made from version {origin.version}; the library now "
                f"holds version {exemplar.version}, so some differences are changes made "
                "to the exemplar since.")
    return exemplar, note
