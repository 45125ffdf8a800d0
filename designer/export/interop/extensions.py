"""Our own XML namespace for what BPMN cannot say (round-trip extension elements).

The BPMN writer puts, inside ``bpmn:extensionElements``, one element of this
namespace per thing it exports (``periop:pathway`` on the process,
``periop:setting`` on a lane, ``periop:step`` on a flow node,
``periop:transition`` on a sequence flow). Other modellers keep or ignore
them; our reader reads them back, so export -> import loses nothing.

The encoding is driven by the pydantic models, so a new field travels without
new code:

* a scalar field (text, number, yes/no, enum) is an attribute
  (``duration_days="3"``); the field ``id`` is written ``ident``, so that no
  attribute of ours reads as an XML id clashing with the BPMN element ids;
* a nested model is a child element named after the field
  (``<periop:handoff sender="gp" .../>``), a list of models one child each;
* a list of scalars is one child element per item, holding the text
  (``<periop:information>HbA1c</periop:information>``);
* a mapping (``codes``) is one child per entry with ``key`` and ``value``.

Decoding gives plain data that the caller validates with the model, so a
hand-edited extension is checked like any pathway file.
"""

from __future__ import annotations

import types
import typing
import xml.etree.ElementTree as ET
from enum import Enum
from typing import Any, Iterable

from pydantic import BaseModel

NAMESPACE = "https://periop-pathway-designer.github.io/ns/bpmn/1"
PREFIX = "periop"


_ATTRIBUTE = {"id": "ident"}


def q(tag: str) -> str:
    """``{namespace}tag`` for a tag of our namespace."""
    return f"{{{NAMESPACE}}}{tag}"


def _field_kind(annotation: Any) -> tuple[str, Any]:
    """("scalar" | "model" | "models" | "scalars" | "mapping", inner type)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _field_kind(args[0])
        return "scalar", None
    if origin in (list, tuple, set):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        inner = args[0] if args else str
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "models", inner
        return "scalars", inner
    if origin is dict:
        return "mapping", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    return "scalar", None


def _text(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fields_to_write(model: BaseModel, exclude: Iterable[str] = ()):
    """``(name, kind, value)`` for each field of ``model`` worth writing: None, empty
    collections and non-None defaults are left out (our BPMN and FHIR extensions alike)."""
    skip = set(exclude)
    for name, info in type(model).model_fields.items():
        if name in skip:
            continue
        value = getattr(model, name)
        if value is None or (isinstance(value, (list, tuple, dict)) and not value):
            continue
        if not info.is_required() and info.default is not None and value == info.default:
            continue
        kind, _inner = _field_kind(info.annotation)
        yield name, kind, value


def encode(parent: ET.Element, tag: str, model: BaseModel,
           exclude: Iterable[str] = ()) -> ET.Element:
    """Append ``<periop:TAG>`` holding ``model``'s fields (defaults and None left out)."""
    element = ET.SubElement(parent, q(tag))
    for name, kind, value in fields_to_write(model, exclude):
        if kind == "model":
            encode(element, name, value)
        elif kind == "models":
            for item in value:
                encode(element, name, item)
        elif kind == "scalars":
            for item in value:
                ET.SubElement(element, q(name)).text = _text(item)
        elif kind == "mapping":
            for key, item in value.items():
                ET.SubElement(element, q(name), {"key": str(key), "value": _text(item)})
        else:
            element.set(_ATTRIBUTE.get(name, name), _text(value))
    return element


def decode(element: ET.Element, model: type[BaseModel]) -> dict[str, Any]:
    """The plain data of ``element`` for ``model`` (validate it with the model)."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kind, inner = _field_kind(info.annotation)
        if kind == "scalar":
            attribute = _ATTRIBUTE.get(name, name)
            if attribute in element.attrib:
                data[name] = element.attrib[attribute]
            continue
        children = element.findall(q(name))
        if not children:
            continue
        if kind == "model":
            data[name] = decode(children[0], inner)
        elif kind == "models":
            data[name] = [decode(child, inner) for child in children]
        elif kind == "scalars":
            data[name] = [child.text or "" for child in children]
        else:
            data[name] = {child.get("key", ""): child.get("value", "") for child in children}
    return data


def find(element: ET.Element, tag: str) -> ET.Element | None:
    """Our ``periop:TAG`` inside ``element``'s ``extensionElements``, if any."""
    for extensions in element:
        if isinstance(extensions.tag, str) and extensions.tag.endswith("}extensionElements"):
            found = extensions.find(q(tag))
            if found is not None:
                return found
    return None
