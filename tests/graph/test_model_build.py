"""What keeps building the model classes cheap (every command builds them at start-up).

pydantic asks each default factory for its signature when it builds a class; a
builtin's (``list``, ``dict``, a subclass of them) is parsed from text, a Python
function's is not (designer/graph/defaults.py). Guarded here by structure, not time.
"""

from __future__ import annotations

import inspect

from pydantic import BaseModel

from designer.graph import business_case, elements, flow, model


def _models() -> list[type[BaseModel]]:
    found = []
    for module in (elements, flow, business_case, model):
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value.__module__ == module.__name__):
                found.append(value)
    return found


def test_every_default_factory_is_a_python_function():
    models = _models()
    assert model.Pathway in models and elements.Step in models and len(models) > 20
    builtins = []
    for cls in models:
        for name, info in cls.model_fields.items():
            if info.default_factory is not None and not inspect.isfunction(info.default_factory):
                builtins.append(f"{cls.__name__}.{name}")
        for name, private in cls.__private_attributes__.items():
            factory = private.default_factory
            if factory is not None and not inspect.isfunction(factory):
                builtins.append(f"{cls.__name__}.{name}")
    assert builtins == []


def test_the_factories_give_a_new_value_each_time():
    one, two = model.Pathway(id="a", title="A"), model.Pathway(id="b", title="B")
    assert one.steps == [] and one.steps is not two.steps
    assert one.rule_config == {} and one.rule_config is not two.rule_config
    assert type(one._listeners).__name__ == "_Listeners" and one._listeners is not two._listeners
