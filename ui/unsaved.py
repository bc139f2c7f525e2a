"""The question asked before unapplied emotion-curve edits would be lost."""

from __future__ import annotations

from PyQt6.QtWidgets import QMessageBox, QWidget


def ask_unsaved(parent: QWidget, closing: bool) -> str:
    """"apply", "discard" or "cancel". When only opening another Take, Apply is not offered."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unapplied emotion edits")
    box.setText("The emotion curves have edits that are not baked into the Take yet.")
    box.setInformativeText("Apply re-bakes the Take's emotion from them; Discard loses them." if closing
                           else "Opening another Take loses them.")
    apply = box.addButton("Apply", QMessageBox.ButtonRole.AcceptRole) if closing else None
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return "apply" if clicked is apply and apply is not None else "discard" if clicked is discard else "cancel"
