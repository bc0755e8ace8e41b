"""A question with named answers ("Save and run", "Run the saved task", "Cancel").

:func:`ask_choice` shows a modal message box whose buttons carry the
answers' keys as object names (tests click them by key) and returns the
key of the button pressed; Escape and closing the box give *escape*.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_choice(parent: QWidget | None, title: str, text: str, choices: Sequence[tuple[str, str]], *,
               default: str, escape: str, details: str = "") -> str:
    """Ask; returns the key of the chosen answer (*choices*: ``(key, button label)``)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("choiceBox")
    if details:
        box.setInformativeText(details)
    buttons = {}
    for key, label in choices:
        role = QMessageBox.ButtonRole.RejectRole if key == escape else QMessageBox.ButtonRole.AcceptRole
        button = box.addButton(label, role)
        button.setObjectName(key)
        buttons[key] = button
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[escape])
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    for key, button in buttons.items():
        if button is clicked:
            return key
    return escape
