"""Dialogs: model choice, preferences, help.  Import the submodules directly
(``from gui.dialogs.model_dialog import ModelDialog``) to keep start-up lean."""
