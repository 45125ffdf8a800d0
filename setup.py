"""Packaging beyond what pyproject.toml can say: the exemplar library goes into the wheel.

``pathway_library/`` stays at the top of the repository (people browse it there);
the wheel carries it as ``designer/pathway_library/`` so an installed designer has
its exemplars (``designer.library.builtin_folder`` looks there first). Everything
else about the package is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["designer", "designer.*"],
                                       exclude=["*.__pycache__"]),
              "designer.pathway_library"],
    package_dir={"designer.pathway_library": "pathway_library"},
    package_data={
        "designer.export.templates": ["*"],
        "designer.pathway_library": ["*.yaml"],
    },
)
