"""The Pathway page: header fields, the lanes and the roles (shown when nothing is selected)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from designer.graph.model import Status
from designer.ui.panels.properties.fields import (
    ChoiceField,
    ListTextField,
    LongTextField,
    TextField,
)
from designer.ui.panels.properties.lanes import LanesEditor, RolesEditor
from designer.ui.panels.properties.pages import YES_NO, PropertyPage
from designer.ui.panels.properties.rule_settings import RuleSettingsEditor
from designer.graph.vocabulary import STATUS_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext



class PathwayPage(PropertyPage):
    """Title, status, population and the other header fields; lanes and roles."""

    title = "Pathway"

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context)
        from designer.ui.commands import UpdateHeaderCommand

        def update(field: str, editor_name: str) -> Callable[[Any], str | None]:
            return self.setter(UpdateHeaderCommand, field, editor_name, keyed=False)

        form = self.form()
        self.title_field = self.bind(form, TextField("Title", self._set_title,
                                                     optional=False), lambda p: p.title)
        self.id_field = self.bind(form, TextField("Id", update("id", "id_field"),
                                                  optional=False,
                                                  tip="Short name used in file names and "
                                                      "links, e.g. eras-colorectal; it "
                                                      "follows the title until you change "
                                                      "it"),
                                  lambda p: p.id)
        # a quiet offer under the id when it looks left over (never a question box)
        self.id_offer = QPushButton("")
        self.id_offer.setObjectName("use-title-id")
        self.id_offer.clicked.connect(self._use_offered_id)
        offer_row = QWidget()
        row = QHBoxLayout(offer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.id_offer)
        row.addStretch(1)
        form.addRow("", offer_row)
        self.id_offer.hide()
        self._offered: str | None = None
        self._left_behind_id: str | None = None   # an id that followed the old title
        self.version = self.bind(form, TextField("Version", update("version", "version"),
                                                 optional=False), lambda p: p.version)
        self.status = self.bind(form, ChoiceField(
            "Status", update("status", "status"),
            [(s, STATUS_LABELS[s]) for s in Status]), lambda p: p.status)
        self.population = self.bind(form, TextField(
            "Population", update("population", "population"),
            placeholder="Who the pathway is for"), lambda p: p.population)
        self.organisation = self.bind(form, TextField(
            "Organisation", update("organisation", "organisation"),
            placeholder="ICS or place"), lambda p: p.organisation)
        self.specialties = self.bind(form, ListTextField(
            "Specialties", update("specialties", "specialties"),
            placeholder="Comma-separated, e.g. colorectal"), lambda p: p.specialties)
        self.tags = self.bind(form, ListTextField("Tags", update("tags", "tags"),
                                                  placeholder="Comma-separated"),
                              lambda p: p.tags)
        self.rule_packs = self.bind(form, ListTextField(
            "Rule packs", update("rule_packs", "rule_packs"),
            tip="Checks to run besides the core ones: perioperative, diabetes",
            placeholder="perioperative, diabetes"), lambda p: p.rule_packs)
        self.summary = self.bind(form, LongTextField(
            "Summary", update("summary", "summary"),
            tip="One paragraph for a board paper"), lambda p: p.summary)
        self.cancer_pathway = self.bind(form, ChoiceField(
            "Cancer pathway", update("cancer_pathway", "cancer_pathway"), YES_NO,
            none_label="(not said)",
            tip="Yes: the 31-day and 62-day cancer waiting times are checked on the "
                "timeline"), lambda p: p.cancer_pathway)
        self.older_people = self.bind(form, ChoiceField(
            "Older people", update("older_people", "older_people"), YES_NO,
            none_label="(not said)",
            tip="Yes: a frailty screen with a route to comprehensive geriatric "
                "assessment is expected"), lambda p: p.older_people)

        rules_box = QGroupBox("Rule settings for this pathway")
        column = QVBoxLayout(rules_box)
        self.rule_settings = RuleSettingsEditor(context)
        column.addWidget(self.rule_settings)
        self.layout_.addWidget(rules_box)

        lanes_box = QGroupBox("Lanes (settings of care, top to bottom)")
        column = QVBoxLayout(lanes_box)
        self.lanes = LanesEditor(context)
        column.addWidget(self.lanes)
        self.layout_.addWidget(lanes_box)

        roles_box = QGroupBox("Roles")
        column = QVBoxLayout(roles_box)
        self.roles = RolesEditor(context)
        column.addWidget(self.roles)
        self.layout_.addWidget(roles_box)

        from designer.ui.panels.properties.business_case import BusinessCaseBox

        self.business_case = BusinessCaseBox(self)
        self.layout_.addWidget(self.business_case)
        self.layout_.addStretch(1)
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(0)
        self._lists_timer.timeout.connect(self._refresh_lists)

    def item(self):
        return self.pathway

    def _set_title(self, title: str) -> str | None:
        """Retitle; an untouched id (``new-pathway``, or made from the old title in a
        draft) follows in the same undo step, as typing the title merges into one."""
        from designer.graph.ids import slugify
        from designer.ui.commands import UpdateHeaderCommand

        pathway = self.pathway
        changes = {"title": title}
        new_id = pathway.pathway_id_for_title(title)
        if new_id is not None:
            changes["id"] = new_id
        elif pathway.id == slugify(pathway.title, "pathway"):
            self._left_behind_id = pathway.id    # offer the new title's id instead
        return self.push(self.title_field, UpdateHeaderCommand, changes)

    def offered_id(self) -> str | None:
        """The id the button under the Id field offers (None: no offer)."""
        from designer.graph.ids import slugify

        pathway = self.pathway
        offer = pathway.suggested_id()
        if offer is None and self._left_behind_id == pathway.id:
            offer = slugify(pathway.title, "pathway")
        return None if offer == pathway.id else offer

    def _use_offered_id(self) -> None:
        from designer.ui.commands import UpdateHeaderCommand

        if self._offered:
            message = self.push(None, UpdateHeaderCommand, {"id": self._offered})
            if message:
                self.id_field.show_error(message)

    def refresh_extra(self, pathway) -> None:
        self.heading.setText(f"Pathway: {pathway.title}")
        self._offered = self.offered_id()
        if self._offered:
            self.id_offer.setText(f"Use ‘{self._offered}’")
            self.id_offer.setToolTip(f"Make the id from the title: {self._offered} "
                                     "(file and export names follow it)")
            self.id_offer.setAccessibleName(f"Use {self._offered} as the id")
        self.id_offer.setVisible(bool(self._offered))
        self.business_case.refresh()
        self.rule_settings.refresh()

    def refresh_choices(self) -> None:
        # deferred: the lists may be inside their own itemChanged handler right now
        self._lists_timer.start()

    def _refresh_lists(self) -> None:
        self.lanes.refresh()
        self.roles.refresh()
