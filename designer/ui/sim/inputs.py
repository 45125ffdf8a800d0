"""The Simulation panel's inputs: run settings, resources, cohorts, unit costs, scenarios.

Every field edits through an undo command of :mod:`designer.ui.commands.flow`
pushed by the editor context, exactly like the Properties panel: a refused
value is marked, its message shown under the field in plain words, and nothing
changes; undo and redo bring the fields back to the model's values.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from designer.graph.flow import CHANGE_FIELDS, Change
from designer.ui.commands import (
    AddCohortCommand, AddCostCommand, AddResourceCommand, AddScenarioChangeCommand,
    AddScenarioCommand, RemoveCohortCommand, RemoveCostCommand, RemoveResourceCommand,
    RemoveScenarioChangeCommand, RemoveScenarioCommand, UpdateCohortCommand, UpdateCostCommand,
    UpdateFlowCommand, UpdateResourceCommand, UpdateScenarioChangeCommand,
    UpdateScenarioCommand,
)
from designer.ui.panels.properties.fields import (
    ChoiceField, ErrorLabel, FieldEditor, NumberField, TextField,
)

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

_ROLE = Qt.ItemDataRole.UserRole
# "resources[1].capacity: ..." -> the field editor names the field by its label
_PATH_PREFIX = re.compile(r"^[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*: ")


def field_message(message: str) -> str:
    """A model refusal without its field path (the field's own label names it)."""
    return _PATH_PREFIX.sub("", message, count=1)


class WholeNumberField(NumberField):
    """A whole number (replications, seed, capacity); blank means not given."""

    def parse(self, text: str) -> Any:
        value = super().parse(text)
        if value is None:
            return None
        if not float(value).is_integer():
            raise ValueError(f"Enter a whole number ({self.unit}), or leave it blank.")
        return int(value)


class ScheduleField(TextField):
    """A weekly arrivals schedule typed as ``week: patients a week, ...``."""

    def _show(self, value: Any) -> None:
        self._set_text(", ".join(f"{w:g}: {r:g}" for w, r in (value or [])))

    def parse(self, text: str) -> Any:
        text = text.strip()
        if not text:
            return None
        pairs = []
        for part in re.split(r"[,;]", text):
            if not part.strip():
                continue
            week, sep, rate = part.partition(":")
            try:
                pairs.append([float(week), float(rate)])
            except ValueError:
                raise ValueError("Write the schedule as week: patients a week, "
                                 "e.g. 0: 10, 52: 12.") from None
            if not sep:
                raise ValueError("Write the schedule as week: patients a week, "
                                 "e.g. 0: 10, 52: 12.")
        return pairs


class _Section(QWidget):
    """Fields bound to one model item, pushed through the editor context."""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__()
        self.context = context
        self.fields: list[tuple[FieldEditor, Callable[[Any], Any]]] = []
        self._source: FieldEditor | None = None

    def push(self, source: FieldEditor | None, factory, *args: Any) -> str | None:
        """Push ``factory(pathway, *args)``; None when done, else the refusal."""
        self._source = source
        try:
            command = self.context.editor.push(factory, *args)
        finally:
            self._source = None
        if command is None:
            return self.context.editor.last_refusal or "not changed"
        return None

    def bind(self, form: QFormLayout, editor: FieldEditor, getter: Callable[[Any], Any]
             ) -> FieldEditor:
        editor.add_to(form)
        self.fields.append((editor, getter))
        return editor

    def show_item(self, item: Any) -> None:
        for editor, getter in self.fields:
            value = getter(item) if item is not None else None
            if editor is self._source:
                editor._model_value = value   # keep what the user is typing untouched
            else:
                editor.set_value(value)
            editor.widget.setEnabled(item is not None)


def _apply(section: _Section, name: str, make: Callable[[Any], tuple]) -> Callable[[Any], Any]:
    """An apply callback: push the command ``make(value)`` returns, strip the field path."""
    def apply(value: Any) -> str | None:
        message = section.push(getattr(section, name), *make(value))
        return field_message(message) if message else None
    return apply


# ---------------------------------------------------------------------- run settings


class RunSettings(_Section):
    """Arrivals, horizon, warm-up, replications, seed and currency (the flow block)."""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def flow(field: str, editor: str) -> Callable[[Any], Any]:
            return _apply(self, editor, lambda v: (UpdateFlowCommand, {field: v}))

        self.arrivals_kind = self.bind(form, ChoiceField(
            "Arrivals given as", self._set_kind,
            [("per_week", "Patients a week"), ("schedule", "A weekly schedule")],
            tip="A steady rate, or rates that change from given weeks"), _arrivals_kind)
        self.per_week = self.bind(form, NumberField(
            "Referrals a week", _apply(self, "per_week", lambda v: (
                UpdateFlowCommand, {"arrivals": None if v is None else {"per_week": v}})),
            unit="patients a week", tip="New patients a week, arriving at random"),
            lambda f: f.arrivals.per_week if f and f.arrivals else None)
        self.schedule = self.bind(form, ScheduleField(
            "Schedule", _apply(self, "schedule", lambda v: (
                UpdateFlowCommand, {"arrivals": None if v is None else {"schedule": v}})),
            tip="From each week (counted from the start, warm-up included), that many "
                "patients a week", placeholder="week: patients a week, e.g. 0: 10, 52: 12"),
            lambda f: f.arrivals.schedule if f and f.arrivals else None)
        self.horizon = self.bind(form, NumberField(
            "Horizon (weeks)", flow("horizon_weeks", "horizon"), unit="weeks",
            tip="Weeks simulated after the warm-up", placeholder="156 (three years)"),
            lambda f: f.horizon_weeks if f else None)
        self.warmup = self.bind(form, NumberField(
            "Warm-up (weeks)", flow("warmup_weeks", "warmup"), unit="weeks",
            tip="Weeks simulated first and left out, so the pathway is already running",
            placeholder="26"), lambda f: f.warmup_weeks if f else None)
        self.replications = self.bind(form, WholeNumberField(
            "Replications", flow("replications", "replications"), unit="runs",
            tip="Independent runs; more give narrower intervals", placeholder="30"),
            lambda f: f.replications if f else None)
        self.seed = self.bind(form, WholeNumberField(
            "Seed", flow("seed", "seed"), unit="a whole number",
            tip="The same seed gives the same numbers"),
            lambda f: f.seed if f else None)
        self.currency = self.bind(form, TextField(
            "Currency", flow("currency", "currency"), placeholder="GBP"),
            lambda f: f.currency if f else None)

    def _set_kind(self, kind: Any) -> str | None:
        flow = self.context.pathway.flow
        arrivals = flow.arrivals if flow else None
        if kind == "schedule":
            rate = arrivals.per_week if arrivals and arrivals.per_week is not None else 0.0
            value = {"schedule": [[0.0, rate]]}
        else:
            rates = arrivals.schedule if arrivals and arrivals.schedule else [(0, 0.0)]
            value = {"per_week": rates[0][1]}
        message = self.push(self.arrivals_kind, UpdateFlowCommand, {"arrivals": value})
        return field_message(message) if message else None

    def refresh(self) -> None:
        flow = self.context.pathway.flow
        for editor, getter in self.fields:
            value = getter(flow)
            if editor is self._source:
                editor._model_value = value
            else:
                editor.set_value(value)
        schedule = _arrivals_kind(flow) == "schedule"
        self.per_week.widget.setEnabled(not schedule)
        self.schedule.widget.setEnabled(schedule)


def _arrivals_kind(flow) -> str:
    if flow is not None and flow.arrivals is not None and flow.arrivals.schedule:
        return "schedule"
    return "per_week"


# ------------------------------------------------------- resources, cohorts, costs


class ItemList(_Section):
    """A list of resources, cohorts, unit costs or scenarios, and a form for the selected one."""

    list_name = ""
    noun = ""
    add_factory: Any = None
    remove_factory: Any = None
    update_factory: Any = None

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        self.key: str | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(f"{self.noun.capitalize()}s")
        self.list.setMaximumHeight(110)
        self.list.currentItemChanged.connect(self._current_changed)
        column.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(f"Add {self.noun}")
        self.add_button.clicked.connect(self.add_new)
        self.remove_button = QPushButton(f"Remove {self.noun}")
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.problem = ErrorLabel("")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(f"{self.noun} problem")
        self.problem.hide()
        column.addWidget(self.problem)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(self.form)
        self.build_fields()

    # what a subclass provides
    def build_fields(self) -> None:
        raise NotImplementedError

    def new_item(self, taken: set[str]) -> dict:
        raise NotImplementedError

    def label_of(self, item) -> str:
        return item.name

    def field(self, editor_cls, label: str, field: str, name: str, **kw: Any) -> FieldEditor:
        apply = _apply(self, name, lambda v: (self.update_factory, self.key, {field: v}))
        editor = editor_cls(label, apply, **kw)
        setattr(self, name, editor)
        return self.bind(self.form, editor, lambda item: getattr(item, field))

    def items(self) -> list:
        return list(getattr(self.context.pathway, self.list_name))

    def current(self):
        return next((x for x in self.items() if x.id == self.key), None)

    def refresh(self) -> None:
        items = self.items()
        if self.key not in {x.id for x in items}:
            self.key = items[0].id if items else None
        self.list.blockSignals(True)
        self.list.clear()
        for item in items:
            row = QListWidgetItem(self.label_of(item))
            row.setData(_ROLE, item.id)
            self.list.addItem(row)
            if item.id == self.key:
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(self.key is not None)
        self.show_item(self.current())

    def _current_changed(self, row, _previous) -> None:
        if row is None:
            return
        for editor, _getter in self.fields:
            editor.settle()
        self.key = row.data(_ROLE)
        self._say("")
        for editor, _getter in self.fields:
            editor.clear_error()
        self.show_item(self.current())

    def _say(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    def add_new(self) -> None:
        data = self.new_item({x.id for x in self.items()})
        message = self.push(None, self.add_factory, data)
        self._say(field_message(message) if message else "")
        if not message:
            self.key = data["id"]
            self.refresh()

    def remove_current(self) -> None:
        if self.key is None:
            return
        message = self.push(None, self.remove_factory, self.key)
        self._say(message or "")


def _fresh(base: str, taken: set[str]) -> str:
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class ResourceList(ItemList):
    list_name, noun = "resources", "resource"
    add_factory, remove_factory, update_factory = (
        AddResourceCommand, RemoveResourceCommand, UpdateResourceCommand)

    def build_fields(self) -> None:
        self.field(TextField, "Name", "name", "name_field", optional=False)
        self.field(WholeNumberField, "Capacity", "capacity", "capacity_field",
                   unit="units at once", tip="How many patients it can serve at once "
                   "(theatre lists, beds, clinic slots)")
        self.field(ChoiceField, "Beds", "bed", "bed_field",
                   choices=[(True, "Yes: counts bed-days"), (False, "No")],
                   none_label="Not set (beds if its name says bed)")
        self.field(TextField, "Note", "note", "note_field",
                   placeholder="e.g. Planning assumption")

    def label_of(self, item) -> str:
        return f"{item.name}: {item.capacity} at once"

    def new_item(self, taken: set[str]) -> dict:
        return {"id": _fresh("resource", taken), "name": "New resource", "capacity": 1}


class CohortList(ItemList):
    list_name, noun = "cohorts", "cohort"
    add_factory, remove_factory, update_factory = (
        AddCohortCommand, RemoveCohortCommand, UpdateCohortCommand)

    def build_fields(self) -> None:
        self.field(TextField, "Name", "name", "name_field", optional=False)
        self.field(NumberField, "Share of referrals", "share", "share_field",
                   unit="0 to 1", tip="The share of new patients in this cohort, 0 to 1")
        self.field(TextField, "Note", "note", "note_field")

    def label_of(self, item) -> str:
        return f"{item.name}: {item.share:.0%}"

    def new_item(self, taken: set[str]) -> dict:
        return {"id": _fresh("cohort", taken), "name": "New cohort", "share": 0.0}


class CostList(ItemList):
    list_name, noun = "costs", "unit cost"
    add_factory, remove_factory, update_factory = (
        AddCostCommand, RemoveCostCommand, UpdateCostCommand)

    def build_fields(self) -> None:
        self.field(TextField, "Name", "name", "name_field", optional=False)
        self.field(NumberField, "Amount", "amount", "amount_field", unit="money",
                   tip="In the simulation's currency, at the prices of the year below")
        self.field(TextField, "Price year", "year", "year_field", placeholder="e.g. 2016/17")
        self.field(TextField, "Source", "source", "source_field",
                   placeholder="e.g. NHS reference costs")
        self.field(TextField, "Note", "note", "note_field")

    def label_of(self, item) -> str:
        flow = self.context.pathway.flow
        currency = (flow.currency if flow and flow.currency else "GBP")
        year = f" ({item.year})" if item.year else ""
        return f"{item.name}: {currency} {item.amount:,.2f}{year}"

    def new_item(self, taken: set[str]) -> dict:
        return {"id": _fresh("cost", taken), "name": "New unit cost", "amount": 0.0}


# ------------------------------------------------------------------------ scenarios

_KIND_LABELS = {"step": "Step", "transition": "Branch or wait", "resource": "Resource",
                "flow": "Arrivals", "cost": "Unit cost", "cohort": "Cohort"}


def describe_change(change: Change, pathway=None) -> str:
    """One line for a change, e.g. ``Resource theatre: capacity = 3``."""
    values = "; ".join(f"{k.replace('_', ' ')} = {format_value(v)}"
                       for k, v in change.values().items())
    target = change.target
    if pathway is not None:
        if change.kind == "step" and pathway.step(target):
            target = pathway.step(target).name
        elif change.kind == "transition":
            target = pathway.target_name(target)
        elif change.kind == "flow":
            target = "arrivals"
    return f"{_KIND_LABELS[change.kind]} {target}: {values}"


def format_value(value: Any) -> str:
    """A change's value as typed in the value box."""
    if hasattr(value, "dist"):
        params = " ".join(f"{k} {getattr(value, k):g}" for k in
                          ("value", "mean", "sd", "min", "mode", "max")
                          if getattr(value, k) is not None)
        return f"{value.dist} {params}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v:g}" for k, v in value.items())
    if isinstance(value, list):
        parts = []
        for x in value:
            if hasattr(x, "cost"):
                parts.append(f"{x.cost} per {x.per}")
            elif isinstance(x, (tuple, list)):
                parts.append(f"{x[0]:g}: {x[1]:g}")
            else:
                parts.append(str(x))
        return ", ".join(parts)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_value(field: str, text: str) -> Any:
    """What the user typed for ``field`` of a change; ValueError with a hint if unreadable."""
    text = text.strip()
    if not text:
        raise ValueError("Type a value for the change.")
    try:
        if field in ("duration", "wait"):
            words = text.replace("=", " ").split()
            data: dict[str, Any] = {"dist": words[0]}
            for key, value in zip(words[1::2], words[2::2]):
                data[key] = float(value)
            return data
        if field == "uses":
            return [w.strip() for w in text.split(",") if w.strip()]
        if field == "costs":
            out = []
            for part in text.split(","):
                words = part.split()
                out.append({"cost": words[0], "per": words[-1] if len(words) > 1 else "visit"})
            return out
        if field in ("probability_by_cohort", "schedule"):
            pairs = [p.split(":") for p in text.split(",") if p.strip()]
            if field == "schedule":
                return [[float(a), float(b)] for a, b in pairs]
            return {a.strip(): float(b) for a, b in pairs}
        if field == "capacity":
            number = float(text)
            if not number.is_integer():
                raise ValueError
            return int(number)
        return float(text)
    except (ValueError, IndexError):
        raise ValueError(_HINTS.get(field, "Type a number.")) from None


_HINTS = {
    "duration": "Type a distribution, e.g. lognormal mean 7 sd 2, or fixed value 3.",
    "wait": "Type a distribution, e.g. exponential mean 14.",
    "uses": "Type resource ids separated by commas, e.g. theatre, ward-beds.",
    "costs": "Type unit cost ids with per visit or per day, e.g. bed-day per day.",
    "probability_by_cohort": "Type cohort: probability pairs, e.g. imd-1: 0.45, imd-2-5: 0.3.",
    "schedule": "Type week: patients a week pairs, e.g. 0: 10, 52: 12.",
    "capacity": "Type a whole number.",
}


class ScenarioList(ItemList):
    """Scenarios, and the changes of the one selected."""

    list_name, noun = "scenarios", "scenario"
    add_factory, remove_factory, update_factory = (
        AddScenarioCommand, RemoveScenarioCommand, UpdateScenarioCommand)

    def build_fields(self) -> None:
        self.field(TextField, "Name", "name", "name_field", optional=False)
        self.field(TextField, "Description", "description", "description_field")
        box = QGroupBox("Changes this scenario makes to the pathway as drawn")
        column = QVBoxLayout(box)
        self.changes = QListWidget()
        self.changes.setAccessibleName("Changes of the scenario")
        self.changes.setMaximumHeight(100)
        self.changes.currentRowChanged.connect(self._change_selected)
        column.addWidget(self.changes)
        row = QHBoxLayout()
        self.change_kind = QComboBox()
        self.change_kind.setAccessibleName("What the change is to")
        for kind, label in _KIND_LABELS.items():
            self.change_kind.addItem(label, kind)
        self.change_kind.currentIndexChanged.connect(self._kind_changed)
        self.change_target = QComboBox()
        self.change_target.setAccessibleName("Which one")
        self._shown_targets: list | None = None   # (key, label) rows now in change_target
        self._shown_fields = None                 # the field names now in change_field
        self.change_field = QComboBox()
        self.change_field.setAccessibleName("Which value")
        for widget in (self.change_kind, self.change_target, self.change_field):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(8)
            row.addWidget(widget, 1)
        column.addLayout(row)
        self.change_value = QLineEdit()
        self.change_value.setAccessibleName("New value")
        self.change_value.setPlaceholderText("New value, e.g. 3 or lognormal mean 7 sd 2")
        self.change_value.returnPressed.connect(self.add_change)
        column.addWidget(self.change_value)
        buttons = QHBoxLayout()
        self.add_change_button = QPushButton("Add change")
        self.add_change_button.clicked.connect(self.add_change)
        self.replace_change_button = QPushButton("Replace selected")
        self.replace_change_button.clicked.connect(self.replace_change)
        self.remove_change_button = QPushButton("Remove selected")
        self.remove_change_button.clicked.connect(self.remove_change)
        for b in (self.add_change_button, self.replace_change_button,
                  self.remove_change_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.change_problem = ErrorLabel("")
        self.change_problem.setWordWrap(True)
        self.change_problem.hide()
        column.addWidget(self.change_problem)
        self.form.addRow(box)
        self._kind_timer = QTimer(self)
        self._kind_timer.setSingleShot(True)
        self._kind_timer.setInterval(0)
        self._kind_timer.timeout.connect(lambda: self._kind_changed(0))

    def label_of(self, item) -> str:
        n = len(item.changes)
        return f"{item.name} ({n} change{'s' if n != 1 else ''})"

    def new_item(self, taken: set[str]) -> dict:
        return {"id": _fresh("scenario", taken), "name": "New scenario"}

    def show_item(self, item) -> None:
        super().show_item(item)
        self.changes.blockSignals(True)
        row = self.changes.currentRow()
        self.changes.clear()
        for change in (item.changes if item is not None else ()):
            self.changes.addItem(describe_change(change, self.context.pathway))
        if 0 <= row < self.changes.count():
            self.changes.setCurrentRow(row)
        self.changes.blockSignals(False)
        for w in (self.add_change_button, self.change_value):
            w.setEnabled(item is not None)
        self._kind_changed(0)

    def _kind_changed(self, _index: int) -> None:
        kind = self.change_kind.currentData()
        pathway = self.context.pathway
        if kind == "flow":
            targets = [("arrivals", "Arrivals")]
        elif kind == "transition":
            targets = [(t.key, pathway.target_name(t.key)) for t in pathway.transitions]
        else:
            source = {"step": pathway.steps, "resource": pathway.resources,
                      "cost": pathway.costs, "cohort": pathway.cohorts}[kind]
            targets = [(x.id, x.name) for x in source]
        keep_target, keep_field = self.change_target.currentData(), \
            self.change_field.currentData()
        # Refilled only when what it lists changed: every edit of a step refreshes the
        # inputs, and refilling one item per step of a 2,000-step pathway held the GUI
        # thread 10-20 ms per edit (three times for a delete: the arrows, then the step).
        if targets != self._shown_targets:
            self._shown_targets = targets
            self.change_target.clear()
            for key, label in targets:
                self.change_target.addItem(label, key)
        fields = CHANGE_FIELDS[kind]
        if fields != self._shown_fields:
            self._shown_fields = fields
            self.change_field.clear()
            for field in fields:
                self.change_field.addItem(field.replace("_", " "), field)
        for combo, keep in ((self.change_target, keep_target), (self.change_field, keep_field)):
            if combo.currentData() == keep:
                continue
            index = combo.findData(keep)
            if index >= 0:
                combo.setCurrentIndex(index)

    def _change_selected(self, row: int) -> None:
        scenario = self.current()
        if scenario is None or not 0 <= row < len(scenario.changes):
            return
        change = scenario.changes[row]
        self.change_kind.blockSignals(True)
        self.change_kind.setCurrentIndex(self.change_kind.findData(change.kind))
        self.change_kind.blockSignals(False)
        self._kind_changed(0)
        self.change_target.setCurrentIndex(max(0, self.change_target.findData(change.target)))
        field, value = next(iter(change.values().items()))
        self.change_field.setCurrentIndex(max(0, self.change_field.findData(field)))
        self.change_value.setText(format_value(value))

    def _typed_change(self) -> dict | None:
        kind = self.change_kind.currentData()
        target = self.change_target.currentData()
        field = self.change_field.currentData()
        if target is None or field is None:
            self._say_change(f"There is no {_KIND_LABELS[kind].lower()} to change yet.")
            return None
        try:
            value = parse_value(field, self.change_value.text())
        except ValueError as exc:
            self._say_change(str(exc))
            return None
        return {kind: target, field: value}

    def _say_change(self, message: str) -> None:
        self.change_problem.setText(message)
        self.change_problem.setVisible(bool(message))

    def add_change(self) -> None:
        change = self._typed_change()
        if change is None or self.key is None:
            return
        message = self.push(None, AddScenarioChangeCommand, self.key, change)
        self._say_change(message or "")

    def replace_change(self) -> None:
        row = self.changes.currentRow()
        change = self._typed_change()
        if change is None or self.key is None or row < 0:
            return
        message = self.push(None, UpdateScenarioChangeCommand, self.key, row, change)
        self._say_change(message or "")

    def remove_change(self) -> None:
        row = self.changes.currentRow()
        if self.key is None or row < 0:
            return
        message = self.push(None, RemoveScenarioChangeCommand, self.key, row)
        self._say_change(message or "")


class InputsPage(QWidget):
    """Every simulation input, in groups; follows the model after each edit, undo or redo."""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__()
        self.context = context
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        self.run_settings = RunSettings(context)
        self.resources = ResourceList(context)
        self.cohorts = CohortList(context)
        self.costs = CostList(context)
        self.scenarios = ScenarioList(context)
        for title, widget in (("Arrivals and run", self.run_settings),
                              ("Shared resources", self.resources),
                              ("Patient cohorts", self.cohorts),
                              ("Unit costs", self.costs),
                              ("Scenarios", self.scenarios)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(6, 8, 6, 6)
            inner.addWidget(widget)
            column.addWidget(box)
        column.addStretch(1)

    def sections(self) -> tuple:
        return (self.run_settings, self.resources, self.cohorts, self.costs, self.scenarios)

    def refresh(self) -> None:
        for section in self.sections():
            section.refresh()
