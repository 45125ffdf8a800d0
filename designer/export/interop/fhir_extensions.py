"""Our FHIR extensions: what a PlanDefinition cannot say, as structured complex extensions.

Three extensions, each a complex extension whose sub-extensions are named
after the fields of our model (relative ``url`` = field name):

* ``{BASE}pathway`` on the PlanDefinition: the pathway's header, settings
  (lanes: id, name, kind), roles, evidence, waivers and workshop data;
* ``{BASE}step`` on each action that is a step: id, kind, activity, phase,
  setting, owner, duration, channel, patient information, codes, position;
* ``{BASE}transition`` on each ``relatedAction`` (one per transition, on the
  step the patient moves to): the transition's place in the list (``index``),
  wait, share of patients and the handoff (sender, receiver, information,
  channel, within_days) as nested sub-extensions.

Values: text and codes as ``valueString``, whole numbers as ``valueInteger``
and other numbers as ``valueDecimal``,
yes/no as ``valueBoolean``; a nested model is a sub-extension holding
sub-extensions; a list repeats the sub-extension; a mapping (``codes``) is one
sub-extension per entry holding ``key`` and ``value``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Iterable

from pydantic import BaseModel

from designer.export.interop.extensions import _field_kind, fields_to_write

BASE = "https://periop-pathway-designer.github.io/fhir/StructureDefinition/"
PATHWAY = BASE + "pathway"
STEP = BASE + "step"
TRANSITION = BASE + "transition"
LOOP_BACK = BASE + "loop-back"
_VALUES = ("valueString", "valueDecimal", "valueBoolean", "valueCode", "valueInteger")


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def _subs(model: BaseModel, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, kind, value in fields_to_write(model, exclude):
        if isinstance(value, str) and not value.strip():
            continue
        if kind == "model":
            out.append(_nested(name, value))
        elif kind == "models":
            out += [_nested(name, item) for item in value]
        elif kind == "scalars":
            out += [{"url": name, **_value(item)} for item in value]
        elif kind == "mapping":
            out += [{"url": name, "extension": [{"url": "key", "valueString": str(k)},
                                                {"url": "value", **_value(v)}]}
                    for k, v in value.items()]
        else:
            out.append({"url": name, **_value(value)})
    return out


def _nested(name: str, model: BaseModel) -> dict[str, Any]:
    subs = _subs(model)
    # an extension holds a value or sub-extensions: a model with every field at its
    # default is written as a bare "present"
    return {"url": name, "extension": subs} if subs else {"url": name, "valueBoolean": True}


def to_extension(url: str, model: BaseModel, exclude: Iterable[str] = (),
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The complex extension ``url`` holding ``model``'s fields (and ``extra`` scalars)."""
    subs = [{"url": k, **_value(v)} for k, v in (extra or {}).items()]
    subs += _subs(model, exclude)
    return {"url": url, "extension": subs} if subs else {"url": url, "valueBoolean": True}


def _scalar(sub: dict[str, Any]) -> Any:
    for key in _VALUES:
        if key in sub:
            return sub[key]
    return None


def from_extension(extension: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Plain data for ``model`` from a complex extension (validate it with the model)."""
    data: dict[str, Any] = {}
    subs = [s for s in extension.get("extension") or [] if isinstance(s, dict)]
    for name, info in model.model_fields.items():
        kind, inner = _field_kind(info.annotation)
        found = [s for s in subs if s.get("url") == name]
        if not found:
            continue
        if kind == "scalar":
            data[name] = _scalar(found[0])
        elif kind == "model":
            data[name] = from_extension(found[0], inner)
        elif kind == "models":
            data[name] = [from_extension(s, inner) for s in found]
        elif kind == "scalars":
            data[name] = [_scalar(s) for s in found]
        else:
            entries = {}
            for s in found:
                parts = {p.get("url"): _scalar(p) for p in s.get("extension") or []}
                if parts.get("key") is not None:
                    entries[str(parts["key"])] = str(parts.get("value", ""))
            data[name] = entries
    return data


def extra(extension: dict[str, Any], name: str) -> Any:
    """A scalar sub-extension that is not a model field (``index``)."""
    for sub in extension.get("extension") or []:
        if isinstance(sub, dict) and sub.get("url") == name:
            return _scalar(sub)
    return None


def find(element: dict[str, Any], url: str) -> dict[str, Any] | None:
    for candidate in element.get("extension") or []:
        if isinstance(candidate, dict) and candidate.get("url") == url:
            return candidate
    return None


def loop_back(related: dict[str, Any]) -> dict[str, Any]:
    """A transition back to an earlier step, kept out of ``relatedAction`` (no cycles).

    On the step the loop returns to: ``actionId`` (valueId) and ``relationship``
    (valueCode) as in a ``relatedAction``, ``offsetDuration`` (valueDuration)
    when there is a wait, and our transition extension.
    """
    subs: list[dict[str, Any]] = [{"url": "actionId", "valueId": related["actionId"]},
                                  {"url": "relationship", "valueCode": related["relationship"]}]
    if "offsetDuration" in related:
        subs.append({"url": "offsetDuration", "valueDuration": related["offsetDuration"]})
    subs += related.get("extension") or []
    return {"url": LOOP_BACK, "extension": subs}


def related_from_loop_back(extension: dict[str, Any]) -> dict[str, Any]:
    """The ``relatedAction`` a ``loop-back`` extension stands for (importer side)."""
    related: dict[str, Any] = {}
    others = []
    for sub in extension.get("extension") or []:
        if not isinstance(sub, dict):
            continue
        if sub.get("url") == "actionId":
            related["actionId"] = sub.get("valueId") or sub.get("valueString")
        elif sub.get("url") == "relationship":
            related["relationship"] = sub.get("valueCode") or sub.get("valueString")
        elif sub.get("url") == "offsetDuration":
            related["offsetDuration"] = sub.get("valueDuration")
        else:
            others.append(sub)
    if others:
        related["extension"] = others
    return related
