"""The commercial case: which settings of care deliver which steps, and who owns them."""

from __future__ import annotations

from designer.export.board.blocks import PageBreak, Table
from designer.export.board.content.common import CaseBuilder
from designer.graph.vocabulary import SETTING_KIND_LABELS


class CommercialCase(CaseBuilder):
    """The commercial case of the Five Case Model."""

    def commercial(self) -> None:
        p, t = self.p, self.t
        self.blocks.append(PageBreak())
        self.heading("commercial")
        self.para("Which settings of care deliver which steps, and who owns them (from the "
                  "pathway's lanes and roles).")
        rows = []
        for i, s in enumerate(p.settings):
            steps = [x for x in p.steps if x.setting == s.id]
            owners = list(dict.fromkeys(self.role_names.get(x.owner, x.owner)
                                        for x in steps if x.owner))
            rows.append([t.text(s.name, f"settings[{i}].name"),
                         SETTING_KIND_LABELS.get(s.kind, str(s.kind)),
                         t.text(s.description or "", f"settings[{i}].description"),
                         t.text("; ".join(x.name for x in steps), "steps[].name") or
                         "No steps",
                         t.text("; ".join(owners), "roles[].name") or "No owners"])
        self.blocks.append(Table(["Setting", "Kind", "Provider and description",
                                  "Steps delivered", "Delivered by"], rows,
                                 [0.16, 0.12, 0.24, 0.28, 0.2]))
