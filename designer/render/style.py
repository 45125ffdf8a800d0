"""The look of a pathway diagram, shared by the canvas and the exported pictures.

Pure data (no Qt): colours are hex strings, font sizes are points; step and lane
sizes live in designer.graph.geometry (the layout needs them without export).
The canvas (designer.ui) and the diagram renderer (designer.export.diagram) both
read these so the exported picture is the picture on screen.
"""

from __future__ import annotations

from designer.graph.model import Activity, SettingKind

FONT_FAMILY = "DejaVu Sans"
FONT_SIZE = 9.5            # points, step names
SMALL_FONT_SIZE = 8.0      # owner line, badges
LANE_FONT_SIZE = 11.0

# Lane colours by setting kind: (band fill, header fill, header text)
LANE_COLOURS: dict[SettingKind, tuple[str, str, str]] = {
    SettingKind.home: ("#f4f9f1", "#d8ecd0", "#1f4d14"),
    SettingKind.primary: ("#eef5fb", "#cfe2f3", "#0b3c6b"),
    SettingKind.community: ("#f6f1fa", "#e2d4ef", "#46236b"),
    SettingKind.secondary: ("#fdf6ec", "#f5dfbd", "#6b3f00"),
    SettingKind.social: ("#fbeff3", "#f1cfdb", "#6b1834"),
    SettingKind.voluntary: ("#f0f7f7", "#cbe6e6", "#0f4f4f"),
}

# Step fill by activity group; border by kind.
ACTIVITY_COLOURS: dict[Activity, str] = {
    Activity.referral: "#dbe9f6",
    Activity.shared_decision_making: "#fde8c8",
    Activity.risk_assessment: "#fde8c8",
    Activity.listing: "#e8e8e8",
    Activity.preassessment: "#d9efe3",
    Activity.optimisation: "#d0ecd6",
    Activity.prehabilitation: "#cdebd2",
    Activity.education: "#fff2b3",
    Activity.admission: "#e4e0f3",
    Activity.surgery: "#f6c9c9",
    Activity.inpatient_recovery: "#ecdff5",
    Activity.discharge: "#d6e4f0",
    Activity.follow_up: "#dbe9f6",
    Activity.rehabilitation: "#cdebd2",
    Activity.waiting_well: "#e3f1e6",
    Activity.smoking_cessation: "#d0ecd6",
    Activity.glycaemic_optimisation: "#d0ecd6",
    Activity.anaemia_management: "#d0ecd6",
    Activity.nutrition: "#d0ecd6",
    Activity.frailty_assessment: "#d9efe3",
    Activity.diabetes_plan: "#d9efe3",
    Activity.discharge_planning: "#d6e4f0",
    Activity.cga: "#d9efe3",
    Activity.psychological_support: "#d0ecd6",
}
DEFAULT_STEP_FILL = "#ffffff"
STEP_BORDER = "#37474f"
SELECTED_BORDER = "#005eb8"        # NHS blue
EDGE_COLOUR = "#455a64"
HANDOFF_OK = "#2e7d32"
HANDOFF_INCOMPLETE = "#c62828"
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
CRITICAL_PATH = "#d5281b"
TEXT = "#212b32"
MUTED_TEXT = "#4c6272"



def step_fill(activity: Activity | None) -> str:
    return ACTIVITY_COLOURS.get(activity, DEFAULT_STEP_FILL) if activity else DEFAULT_STEP_FILL


def lane_colours(kind: SettingKind) -> tuple[str, str, str]:
    return LANE_COLOURS.get(kind, ("#f7f7f7", "#e0e0e0", "#212b32"))
