"""Placeholder until its issue lands: install(window) adds this part's menus and docks."""


def install(window) -> None:  # pragma: no cover - replaced by the real module
    return None
