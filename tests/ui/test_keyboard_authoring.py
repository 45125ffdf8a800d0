"""Keyboard-only authoring (issue 15): the diabetes day-case pathway built with keys alone.

Every action below is a key press or typed text (QTest.keyClick / keyClicks) on
the widget that has the keyboard focus; modal dialogs and menus are answered
with keys too. Nothing is clicked and no model method is called.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMenu

from window_support import make_window, settings  # noqa: F401 (fixtures)

K, M = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT, ALT = M.ControlModifier, M.ShiftModifier, M.AltModifier


_WINDOWS = []


def focus():
    """The focused widget. The offscreen platform does not hand activation back to
    the main window when a modal dialog closes (a desktop does): do it here."""
    if QApplication.focusWidget() is None and _WINDOWS:
        _WINDOWS[-1].activateWindow()
        _WINDOWS[-1].windowHandle().requestActivate()
        for _ in range(100):
            if QApplication.focusWidget() is not None:
                break
            QTest.qWait(20)
    return QApplication.focusWidget()


def press(key, modifiers=M.NoModifier, widget=None):
    QTest.keyClick(widget or focus(), key, modifiers)


def type_text(text, widget=None):
    QTest.keyClicks(widget or focus(), text)


def choose(text):
    """Type the start of an item's name in a list box. A list box adds keys typed within
    the keyboard input interval to one search (as Qt does for people), so wait it out
    first, as a person choosing in a second box would."""
    from PySide6.QtWidgets import QApplication

    QTest.qWait(QApplication.keyboardInputInterval() + 50)
    type_text(text)


def when(ready, action, tries=250):
    """Run ``action`` once ``ready()`` gives something (a menu or dialog has opened and
    taken the focus); polled from the event loop, since opening it blocks the test."""
    def poll(left=tries):
        found = ready()
        if found is not None:
            action(found)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


def answer_menu(letter):
    def ready():
        menu = QApplication.activePopupWidget()
        return menu if isinstance(menu, QMenu) and menu.isVisible() else None
    when(ready, lambda menu: QTest.keyClick(menu, letter))


def answer_dialog(text, check=None):
    def ready():
        dialog = QApplication.activeModalWidget()
        field = QApplication.focusWidget()
        if isinstance(dialog, QDialog) and isinstance(field, QLineEdit) \
                and dialog.isAncestorOf(field):
            return field
        return None

    def act(field):
        QTest.keyClicks(field, text)
        if check is not None:
            check(field.window())
        QTest.keyClick(field, K.Key_Return)
    when(ready, act)


def wait_for(condition, timeout_ms=3000):
    """Let the event loop run until ``condition`` holds (a dialog closing gives focus back)."""
    for _ in range(timeout_ms // 20):
        if condition():
            return True
        QTest.qWait(20)
    return condition()


def tab_to(widget, limit=40):
    """Press Tab until ``widget`` has the focus (keyboard users move like this)."""
    for _ in range(limit):
        if focus() is widget:
            return
        press(K.Key_Tab)
    assert focus() is widget, f"Tab never reached {widget.accessibleName()}"


def find_and_select(window, text):
    press(K.Key_F, CTRL)
    type_text(text)
    press(K.Key_Return)
    press(K.Key_Escape)
    assert focus() is window.view


def add_step(window, letter, name):
    answer_menu(letter)
    press(K.Key_Insert)
    # the new step's name editor takes the focus once the menu has gone
    wait_for(lambda: isinstance(focus(), QLineEdit))
    type_text(name)
    press(K.Key_Return)
    assert focus() is window.view


def connect_to(window, text):
    answer_dialog(text)
    press(K.Key_K, CTRL)
    wait_for(lambda: focus() is window.view)


def test_the_diabetes_day_case_pathway_built_with_the_keyboard_alone(make_window, qtbot):
    window = make_window()           # a new pathway: six standard lanes, entry and exit
    _WINDOWS[:] = [window]
    pathway = window.document.pathway
    window.view.setFocus()
    qtbot.waitUntil(lambda: focus() is window.view)
    props = window.properties_dock

    # the entry step: Alt+arrow selects it; F2 renames it in place
    press(K.Key_Right, ALT)
    assert window.scene.selected_ids() == ["referral"]
    press(K.Key_F2)
    type_text("GP referral for surgery")
    press(K.Key_Return)

    # a task in the GP lane, moved two lanes down to the hospital
    add_step(window, K.Key_T, "Preoperative assessment")
    press(K.Key_Down, CTRL | SHIFT)
    press(K.Key_Down, CTRL | SHIFT)
    pac = next(s for s in pathway.steps if s.name == "Preoperative assessment")
    assert pathway.setting(pac.setting).name == "Hospital"

    # its owner is a role the pathway does not have yet: the Owner list adds it
    press(K.Key_Return)                              # to the Properties panel
    page = props.step_page
    tab_to(page.owner.widget)
    answer_dialog("Preassessment nurse")
    press(K.Key_N)                                   # picks "New role…" in the list
    qtbot.waitUntil(lambda: pathway.step(pac.id).owner is not None)
    wait_for(lambda: focus() is page.owner.widget)   # focus is back
    press(K.Key_Escape)                              # back to the canvas
    assert focus() is window.view

    # referral -> assessment, with its handoff
    press(K.Key_Left, ALT)
    assert window.scene.selected_ids() == ["referral"]
    connect_to(window, "Preoperative")
    assert pathway.transition(f"referral->{pac.id}") is not None
    press(K.Key_H, CTRL | SHIFT)
    transition_page = props.transition_page
    assert focus() is transition_page.sender.widget
    choose("General")                             # General practitioner
    tab_to(transition_page.receiver.widget)
    choose("Pre")                                 # Preassessment nurse
    tab_to(transition_page.information.entry)
    type_text("HbA1c result")
    press(K.Key_Return)
    type_text("medicines list")
    press(K.Key_Return)
    tab_to(transition_page.handoff_channel.widget)
    type_text("e-referral")
    press(K.Key_Tab)
    press(K.Key_Escape)
    assert focus() is window.view

    # the decision, right of the assessment; assessment -> decision
    find_and_select(window, "Preoperative")
    add_step(window, K.Key_D, "HbA1c below 69 mmol/mol?")
    decision = next(s for s in pathway.steps if s.name.startswith("HbA1c"))
    press(K.Key_Left, ALT)
    assert window.scene.selected_ids() == [pac.id]
    connect_to(window, "HbA1c")

    # branch 1: decision -> day-case surgery, with its condition
    press(K.Key_Right, ALT)                          # along the arrow, to the decision
    assert window.scene.selected_ids() == [decision.id]
    add_step(window, K.Key_T, "Day-case surgery")
    surgery = next(s for s in pathway.steps if s.name == "Day-case surgery")
    find_and_select(window, "HbA1c below")
    connect_to(window, "Day-case")
    press(K.Key_Return)                              # edit the new transition
    assert focus() is transition_page.condition.widget
    type_text("HbA1c below 69 mmol/mol")
    press(K.Key_Tab)
    press(K.Key_Escape)

    # branch 2: decision -> GP optimisation (back in the GP lane), then back again
    add_step(window, K.Key_T, "GP optimisation")
    optimise = next(s for s in pathway.steps if s.name == "GP optimisation")
    press(K.Key_Up, CTRL | SHIFT)
    press(K.Key_Up, CTRL | SHIFT)
    assert pathway.step(optimise.id).setting == "gp"
    connect_to(window, "Preoperative")               # optimised patients are reassessed
    find_and_select(window, "HbA1c below")
    connect_to(window, "optimisation")
    press(K.Key_Return)
    type_text("HbA1c 69 mmol/mol or above")
    press(K.Key_Tab)
    press(K.Key_Escape)
    QTest.qWait(1500)    # the debounced checks settle first: their refresh of the
    #                      panel would reset a choice typed while they run
    press(K.Key_H, CTRL | SHIFT)                     # hospital -> GP: a handoff
    choose("Pre")
    tab_to(transition_page.receiver.widget)
    choose("General")
    tab_to(transition_page.information.entry)
    type_text("HbA1c result")
    press(K.Key_Return)
    tab_to(transition_page.handoff_channel.widget)
    type_text("letter")
    press(K.Key_Tab)
    press(K.Key_Escape)

    # surgery -> the exit (home)
    find_and_select(window, "Day-case surgery")
    connect_to(window, "Back to usual")

    # what was built
    names = {s.name for s in pathway.steps}
    assert names == {"GP referral for surgery", "Preoperative assessment",
                     "HbA1c below 69 mmol/mol?", "Day-case surgery", "GP optimisation",
                     "Back to usual activities"}
    assert pathway.step(decision.id).kind.value == "decision"
    branches = {t.target: t.condition for t in pathway.transitions if t.source == decision.id}
    assert branches == {surgery.id: "HbA1c below 69 mmol/mol",
                        optimise.id: "HbA1c 69 mmol/mol or above"}
    first = pathway.transition(f"referral->{pac.id}").handoff
    assert (first.sender, first.receiver, first.information, first.channel) == (
        "gp", pathway.step(pac.id).owner, ["HbA1c result", "medicines list"], "e-referral")
    assert pathway.role(pathway.step(pac.id).owner).name == "Preassessment nurse"
    back = pathway.transition(f"{decision.id}->{optimise.id}").handoff
    assert back.is_complete()
    assert {t.key for t in pathway.transitions} >= {
        f"referral->{pac.id}", f"{pac.id}->{decision.id}", f"{decision.id}->{surgery.id}",
        f"{decision.id}->{optimise.id}", f"{optimise.id}->{pac.id}",
        f"{surgery.id}->recovered"}
    # every step undoes as one edit each: the stack holds them
    assert window.document.undo_stack.count() >= 20


def test_tab_leaves_the_timeline_table_and_every_other_list(make_window, qtbot):
    from PySide6.QtWidgets import QAbstractItemView

    window = make_window()
    _WINDOWS[:] = [window]
    table = window.timeline_dock.table
    table.setFocus()
    qtbot.waitUntil(lambda: focus() is table)
    seen = set()
    for _ in range(40):
        press(K.Key_Tab)
        seen.add(focus())
        if focus() is not table:
            break
    assert focus() is not table
    for view in window.findChildren(QAbstractItemView):
        assert not view.tabKeyNavigation(), view.objectName()
