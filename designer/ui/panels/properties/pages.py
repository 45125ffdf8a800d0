"""Property pages for one step, one transition (with its handoff) and one lane.

Each page edits through the undo commands only. While the user types, the
field being typed in is not rewritten from the model (so the cursor stays put);
every other field, and every field after undo or redo, follows the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtWidgets import (
    QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from designer.graph.model import (
    ACTIVITY_LABELS,
    CHANNEL_LABELS,
    Activity,
    Channel,
    Milestone,
    Phase,
    SettingKind,
    StepKind,
)
from designer.ui.panels.properties.fields import (
    ChoiceField,
    FieldEditor,
    LongTextField,
    NumberField,
    StringListEditor,
    TextField,
)
from designer.graph.vocabulary import PHASE_LABELS, SETTING_KIND_LABELS, STEP_KIND_LABELS
from designer.graph.vocabulary import plural

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

KIND_LABELS = STEP_KIND_LABELS
NEW_ROLE = "\x00new-role"      # the Owner list's last entry: add a role

#: the choices of an optional yes/no fact (with a "(not said)" entry for unset)
YES_NO = ((True, "Yes"), (False, "No"))
MILESTONE_LABELS = {Milestone.referral: "Referral (starts the 18-week and 62-day clocks)",
                    Milestone.decision_to_treat: "Decision to treat (starts the 31-day "
                                                 "clock)"}
#: the facts about an operation: field, label, tip
SURGERY_FACTS = (
    ("major", "Major surgery", "Enhanced recovery, Surgery School and the anaemia screen "
                               "apply; No for minor surgery"),
    ("day_case", "Day case", "Home the same day: exempt from Surgery School, no inpatient "
                             "VTE plan"),
    ("major_blood_loss", "Major blood loss", "Expected loss over 500 mL or transfusion risk "
                                             "over 10%: Hb and iron checked weeks before"),
    ("extended_vte_prophylaxis", "Extended VTE prophylaxis",
     "Prophylaxis continues at home: every discharge after it must hand it over"),
)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class PropertyPage(QWidget):
    """Base of the pages: the key being shown, pushing commands, refreshing fields."""

    title = ""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__()
        self.context = context
        self.key: str | None = None
        self._source: FieldEditor | None = None
        self.fields: list[tuple[FieldEditor, Callable[[Any], Any]]] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.heading = _heading(self.title)
        self.layout_.addWidget(self.heading)

    @property
    def pathway(self):
        return self.context.pathway

    def form(self, title: str | None = None) -> QFormLayout:
        holder: QWidget = QGroupBox(title) if title else QWidget()
        form = QFormLayout(holder)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(6, 8 if title else 0, 6, 6)
        self.layout_.addWidget(holder)
        return form

    def bind(self, form: QFormLayout, editor: FieldEditor, getter: Callable[[Any], Any]
             ) -> FieldEditor:
        editor.add_to(form)
        self.fields.append((editor, getter))
        return editor

    def push(self, source: FieldEditor | None, factory, *args, **kwargs) -> str | None:
        """Push an undo command (the one edit API); the refusal message, or None when done."""
        self._source = source
        try:
            editor = self.context.editor
            done = editor.push(factory, *args, **kwargs) is not None
        finally:
            self._source = None
        return None if done else editor.last_refusal

    def setter(self, factory, field: str, editor_name: str, keyed: bool = True
               ) -> Callable[[Any], str | None]:
        """What a field calls with its new value: push ``factory`` for ``{field: value}``.

        ``editor_name`` names the page attribute holding the field's editor (looked up
        when the value arrives, since the editor is made after its setter); ``keyed``
        passes the shown item's key first (every command but the header's).
        """
        def apply(value: Any) -> str | None:
            args = (self.key,) if keyed else ()
            return self.push(getattr(self, editor_name), factory, *args, {field: value})
        return apply

    def item(self):
        raise NotImplementedError

    def show_key(self, key: str | None) -> None:
        if key != self.key and self.item() is not None:
            # a refused value still being typed belongs to the item shown until now
            for editor, _getter in self.fields:
                editor.settle()
        self.key = key
        for editor, _getter in self.fields:
            editor.clear_error()
        self.refresh()

    def refresh(self) -> None:
        item = self.item()
        if item is None:
            return
        for editor, getter in self.fields:
            value = getter(item)
            if editor is self._source:
                editor._model_value = value  # keep what the user is typing untouched
            else:
                editor.set_value(value)
        self.refresh_extra(item)

    def refresh_extra(self, item) -> None:
        """Pages with more than plain fields update the rest here."""

    def refresh_choices(self) -> None:
        """Lanes or roles changed: rebuild the choosers."""

    def role_choices(self) -> list[tuple[str, str]]:
        return [(r.id, r.name) for r in self.pathway.roles]


class StepPage(PropertyPage):
    """Every field of a step."""

    title = "Step"

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        from designer.ui.commands import UpdateStepCommand

        editors = {"name": "name", "kind": "kind", "activity": "activity", "phase": "phase",
                   "setting": "setting", "owner": "owner", "duration_days": "duration",
                   "channel": "channel", "description": "description",
                   "patient_info": "patient_info", "patient_name": "patient_name",
                   "milestone": "milestone", "timing_assumed": "timing_assumed"}

        def update(field: str) -> Callable[[Any], str | None]:
            return self.setter(UpdateStepCommand, field, editors[field])

        main = self.form()
        self.name = self.bind(main, TextField("Name", update("name"), optional=False,
                                              tip="What the step is called on the canvas"),
                              lambda s: s.name)
        self.name.widget.editingFinished.connect(self._name_finished)
        self.step_id = self.bind(main, TextField("Id", self._rename, optional=False,
                                                 tip="The step's id in the file; references "
                                                     "to it follow a change"),
                                 lambda s: s.id)
        self.step_id.widget.textEdited.disconnect()
        self.step_id.widget.editingFinished.disconnect()
        self.step_id.widget.editingFinished.connect(self._rename_finished)
        self.kind = self.bind(main, ChoiceField(
            "Kind", update("kind"), [(k, KIND_LABELS[k]) for k in StepKind]), lambda s: s.kind)
        self.activity = self.bind(main, ChoiceField(
            "Activity", update("activity"),
            sorted(((a, ACTIVITY_LABELS.get(a, a.value)) for a in Activity),
                   key=lambda pair: pair[1]), none_label="(none)"), lambda s: s.activity)
        self.phase = self.bind(main, ChoiceField(
            "Phase", update("phase"), [(p, PHASE_LABELS[p]) for p in Phase],
            none_label="(none)"), lambda s: s.phase)
        self.setting = self.bind(main, ChoiceField("Setting (lane)", update("setting"),
                                                   none_label="(no lane)"),
                                 lambda s: s.setting)
        self.owner = self.bind(main, ChoiceField("Owner", self._set_owner,
                                                 none_label="(no owner)",
                                                 tip="The role responsible for this step"),
                               lambda s: s.owner)
        self.duration = self.bind(main, NumberField("Duration (days)", update("duration_days"),
                                                    tip="Typical length of the step in days"),
                                  lambda s: s.duration_days)
        self.channel = self.bind(main, ChoiceField(
            "Channel", update("channel"), [(c, CHANNEL_LABELS[c]) for c in Channel],
            none_label="(not given)"), lambda s: s.channel)
        text = self.form("Descriptions")
        self.description = self.bind(text, LongTextField(
            "For professionals", update("description")), lambda s: s.description)
        self.patient_info = self.bind(text, LongTextField(
            "For patients", update("patient_info"),
            tip="Plain English: what happens to the patient at this step"),
            lambda s: s.patient_info)
        self.patient_name = self.bind(text, TextField(
            "Name for patients", update("patient_name"),
            tip="What patients call this step in the Surgery School booklet; blank uses "
                "the name", placeholder="Same as the name"), lambda s: s.patient_name)
        self.milestone = self.bind(main, ChoiceField(
            "Milestone", update("milestone"),
            [(m, MILESTONE_LABELS[m]) for m in Milestone], none_label="(none)",
            tip="A waiting-time clock that starts at this step"), lambda s: s.milestone)
        self.timing_assumed = self.bind(main, ChoiceField(
            "Day assumed", update("timing_assumed"), YES_NO, none_label="(not said)",
            tip="Yes when no source gives when this step happens: the timeline marks its "
                "day as assumed and the patient booklet gives no day count"),
            lambda s: s.timing_assumed)
        surgery = self.form("Surgery (facts the checks need)")
        self.surgery: dict[str, ChoiceField] = {}
        for fact, label, tip in SURGERY_FACTS:
            self.surgery[fact] = self.bind(surgery, ChoiceField(
                label, self._surgery_setter(fact), YES_NO, none_label="(not said)", tip=tip),
                lambda s, f=fact: getattr(s.surgery, f) if s.surgery else None)
        codes = self.form("Clinical codes")
        self.codes = self.bind(codes, LongTextField(
            "Codes", self._set_codes, lines=2,
            tip="One per line, e.g. 'snomed: 183452005'"), _codes_text)
        self.layout_.addStretch(1)

    def item(self):
        return self.pathway.step(self.key) if self.key else None

    def refresh_choices(self) -> None:
        self.setting.set_choices([(s.id, s.name) for s in self.pathway.settings])
        # the list ends with a way to add the role that is missing from it
        self.owner.set_choices(self.role_choices() + [(NEW_ROLE, "New role…")])

    def _set_owner(self, value) -> str | None:
        from designer.ui.commands import UpdateStepCommand

        if value != NEW_ROLE:
            return self.push(self.owner, UpdateStepCommand, self.key, {"owner": value})
        return self._new_owner()

    def _new_owner(self) -> str | None:
        """Ask for a new role's name; add the role and make it this step's owner (one undo)."""
        from PySide6.QtWidgets import QInputDialog

        from designer.graph.model import Role
        from designer.ui.commands import AddRoleCommand, UpdateStepCommand

        name, ok = QInputDialog.getText(self, "New role", "Name of the role, e.g. "
                                        "'Diabetes specialist nurse':")
        name = " ".join(name.split())
        if not ok or not name:
            self.owner.revert()
            return None
        existing = next((r for r in self.pathway.roles if r.name.casefold() == name.casefold()),
                        None)
        key = self.key
        editor = self.context.editor
        with editor.macro(f"Make {name} the owner"):
            if existing is None:
                role = Role(id=self.pathway.new_id(name, (r.id for r in self.pathway.roles)),
                            name=name)
                if editor.push(AddRoleCommand, role) is None:
                    return editor.last_refusal
                existing = role
            message = self.push(self.owner, UpdateStepCommand, key, {"owner": existing.id})
        return message

    def refresh_extra(self, step) -> None:
        self.heading.setText(f"Step: {step.name}")

    def _rename(self, _value) -> str | None:
        return None

    def _name_finished(self) -> None:
        """A new step's placeholder id ("new-step-2") takes the name just typed, in
        the same undo step as the typing (when that is the last edit)."""
        from designer.ui.commands import IdFollowsNameCommand, UpdateStepCommand

        stack = self.context.editor.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        step = self.item()
        if step is None or not isinstance(top, UpdateStepCommand) or top.key != self.key \
                or set(top.new) != {"name"} or top.follow is not None:
            return
        named_from = top.old.get("name")
        if not named_from or self.pathway.step_id_for_name(self.key, step.name,
                                                           named_from) is None:
            return
        self.push(None, IdFollowsNameCommand, self.key, named_from)

    def _rename_finished(self) -> None:
        from designer.ui.commands import RenameStepCommand

        new_id = self.step_id.widget.text().strip()
        if not self.key or new_id == self.key:
            self.step_id.clear_error()
            return
        message = self.push(self.step_id, RenameStepCommand, self.key, new_id)
        if message:
            self.step_id.show_error(message)
            self.step_id.revert()
        else:
            self.step_id.clear_error()

    def follow_rename(self, old_id: str, new_id: str) -> None:
        if self.key == old_id:
            self.key = new_id

    def _surgery_setter(self, fact: str) -> Callable[[Any], str | None]:
        def apply(value: Any) -> str | None:
            from designer.ui.commands import UpdateSurgeryFactsCommand

            step = self.item()
            data = step.surgery.model_dump() if step and step.surgery else {}
            data[fact] = value
            facts = None if all(v is None for v in data.values()) else data
            return self.push(self.surgery[fact], UpdateSurgeryFactsCommand, self.key,
                             {"surgery": facts}, aspect=fact)
        return apply

    def _set_codes(self, text: str | None) -> str | None:
        from designer.ui.commands import UpdateStepCommand

        codes: dict[str, str] = {}
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            system, sep, code = line.partition(":")
            if not sep or not system.strip() or not code.strip():
                return "Write each code as 'system: code', e.g. 'snomed: 183452005'."
            codes[system.strip()] = code.strip()
        if codes == (self.item().codes if self.item() else {}):
            return None
        return self.push(self.codes, UpdateStepCommand, self.key, {"codes": codes})


def _codes_text(step) -> str:
    return "\n".join(f"{k}: {v}" for k, v in step.codes.items())


class TransitionPage(PropertyPage):
    """A transition's wait, condition and probability, and its handoff."""

    title = "Transition"

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        from designer.ui.commands import UpdateTransitionCommand

        def update(field: str, editor_name: str) -> Callable[[Any], str | None]:
            return self.setter(UpdateTransitionCommand, field, editor_name)

        main = self.form()
        self.wait = self.bind(main, NumberField("Wait (days)", update("wait_days", "wait"),
                                                tip="Expected gap before the next step"),
                              lambda t: t.wait_days)
        self.condition = self.bind(main, TextField(
            "Condition", update("condition", "condition"),
            tip="When patients take this route (needed on each branch of a decision)",
            placeholder="e.g. HbA1c 69 mmol/mol or more"), lambda t: t.condition)
        self.probability = self.bind(main, NumberField(
            "Share of patients", update("probability", "probability"), unit="0 to 1",
            tip="Optional share of patients on this branch, from 0 to 1"),
            lambda t: t.probability)
        self.parallel = self.bind(main, ChoiceField(
            "Parallel branch", update("parallel", "parallel"),
            [(True, "Yes: alongside the other ways on"), (False, "No: an alternative route")],
            none_label="(not said: an alternative route)",
            tip="Yes when patients take this branch as well as the other ways on from the "
                "same step (e.g. prehabilitation alongside the decision to treat)"),
            lambda t: t.parallel)

        self.handoff_box = QGroupBox("Handoff between settings")
        self.handoff_box.setCheckable(True)
        self.handoff_box.setAccessibleName("Handoff between settings")
        self.handoff_box.toggled.connect(self._toggle_handoff)
        self.layout_.addWidget(self.handoff_box)
        form = QFormLayout(self.handoff_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sender = self.bind(form, ChoiceField("Sender", self._handoff_setter("sender"),
                                                  none_label="(not given)"),
                                lambda t: t.handoff.sender if t.handoff else None)
        self.receiver = self.bind(form, ChoiceField("Receiver",
                                                    self._handoff_setter("receiver"),
                                                    none_label="(not given)"),
                                  lambda t: t.handoff.receiver if t.handoff else None)
        self.information = StringListEditor("Information passed on")
        self.information.changed.connect(self._set_information)
        self.information_error = QLabel("")
        self.information_error.setStyleSheet("color: #c62828;")
        self.information_error.setWordWrap(True)
        self.information_error.hide()
        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.information)
        col.addWidget(self.information_error)
        info_label = QLabel("Information:")
        info_label.setBuddy(self.information.entry)
        form.addRow(info_label, column)
        self.handoff_channel = self.bind(form, TextField(
            "Channel", self._handoff_setter("channel"),
            placeholder="e.g. e-referral, discharge letter"),
            lambda t: t.handoff.channel if t.handoff else None)
        self.within = self.bind(form, NumberField(
            "Within (days)", self._handoff_setter("within_days"),
            tip="Service level: the handoff happens within this many days"),
            lambda t: t.handoff.within_days if t.handoff else None)
        self.layout_.addStretch(1)

    def item(self):
        return self.pathway.transition(self.key) if self.key else None

    def show_key(self, key: str | None) -> None:
        # an information item typed but not yet added belongs to the transition it
        # was typed for: add it there before showing another, never carry it over
        if key != self.key and self.information.entry.text().strip() \
                and self.item() is not None:
            self.information.add_from_entry()
        self.information.entry.clear()
        super().show_key(key)

    def refresh_choices(self) -> None:
        for chooser in (self.sender, self.receiver):
            chooser.set_choices(self.role_choices())

    def refresh_extra(self, transition) -> None:
        source, target = self.pathway.step(transition.source), self.pathway.step(transition.target)
        self.heading.setText(f"Transition: {source.name if source else transition.source} → "
                             f"{target.name if target else transition.target}")
        has = transition.handoff is not None
        self.handoff_box.blockSignals(True)
        self.handoff_box.setChecked(has)
        self.handoff_box.blockSignals(False)
        self.information.set_values(list(transition.handoff.information) if has else [])

    def _handoff_data(self) -> dict[str, Any]:
        transition = self.item()
        if transition is None or transition.handoff is None:
            return {}
        return transition.handoff.model_dump()

    def _handoff_setter(self, field: str) -> Callable[[Any], str | None]:
        def apply(value: Any) -> str | None:
            from designer.ui.commands import UpdateTransitionCommand

            data = self._handoff_data()
            data[field] = value
            editor = {"sender": self.sender, "receiver": self.receiver,
                      "channel": self.handoff_channel, "within_days": self.within}[field]
            return self.push(editor, UpdateTransitionCommand, self.key, {"handoff": data})
        return apply

    def _set_information(self, values: list[str]) -> None:
        from designer.ui.commands import UpdateTransitionCommand

        data = self._handoff_data()
        data["information"] = values
        message = self.push(None, UpdateTransitionCommand, self.key, {"handoff": data})
        self.information_error.setText(message or "")
        self.information_error.setVisible(bool(message))
        self.refresh()

    def _toggle_handoff(self, on: bool) -> None:
        from designer.ui.commands import UpdateTransitionCommand

        transition = self.item()
        if transition is None or on == (transition.handoff is not None):
            return
        message = self.push(None, UpdateTransitionCommand, self.key,
                            {"handoff": {} if on else None})
        self.refresh()   # a refusal was reported by the editor


class LanePage(PropertyPage):
    """One lane (setting of care): its name, kind and description."""

    title = "Lane"

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        from designer.ui.commands import UpdateSettingCommand

        def update(field: str, editor_name: str) -> Callable[[Any], str | None]:
            return self.setter(UpdateSettingCommand, field, editor_name)

        form = self.form()
        self.name = self.bind(form, TextField("Name", update("name", "name"), optional=False),
                              lambda s: s.name)
        self.kind = self.bind(form, ChoiceField(
            "Kind of setting", update("kind", "kind"),
            [(k, SETTING_KIND_LABELS[k]) for k in SettingKind]), lambda s: s.kind)
        self.description = self.bind(form, LongTextField(
            "Description", update("description", "description")), lambda s: s.description)
        back = QPushButton("Back to Pathway")
        back.setAccessibleName("Back to the pathway's properties")
        back.setToolTip("Lanes are added, reordered and deleted on the Pathway page")
        back.clicked.connect(self.context.selection_requested.emit)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)

    def item(self):
        return self.pathway.setting(self.key) if self.key else None

    def refresh_extra(self, setting) -> None:
        count = sum(1 for s in self.pathway.steps if s.setting == setting.id)
        self.heading.setText(f"Lane: {setting.name} ({plural(count, 'step')})")
