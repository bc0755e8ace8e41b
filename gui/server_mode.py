"""Choosing where the model runs from the main window: this computer or an inference server.

The server's address, model name and concurrency are remembered in the
settings so the dialog is filled in next time; the key never is (it is in
the OS keyring, or in memory for this session).  Every start of the app
begins with the local model: a server is always a deliberate choice.
"""
from __future__ import annotations


def model_dialog(w) -> None:
    """Run › Choose model…: a GGUF file (loaded as before) or a server."""
    from gui.dialogs.model_dialog import ModelDialog

    s = w.settings
    dlg = ModelDialog(w.host.model_path, s.recent_models(), w, server={
        "url": s.get("server_url"), "model": s.get("server_model"), "concurrency": s.get("server_concurrency"),
        "timeout_s": s.get("server_timeout"), "active": w.host.server is not None})
    if not dlg.exec():
        return
    chosen = dlg.selected_server()
    if chosen is not None:
        use_server(w, *chosen)
    elif dlg.selected_path():
        use_local(w)
        w.load_model(dlg.selected_path())


def use_server(w, config, api_key: str | None) -> bool:
    if w.host.busy:
        w.inform("Model", "A run is in progress. Cancel it before changing the model.")
        return False
    s = w.settings
    s.set("server_url", config.url)
    s.set("server_model", config.model)
    s.set("server_concurrency", config.concurrency)
    s.set("server_timeout", int(config.timeout_s))
    w.host.use_server(config, api_key)
    label = f"{config.model} on server {config.host}"
    w.status.model_label.setText(label)
    w.status.model_label.setToolTip(w.host.run_notice())
    w.status.backend_label.setText(f"server · {config.host}")
    w.run_panel.model_label.setText(f"Model: {label}. {w.host.run_notice()}")
    w.run_panel.refresh()
    return True


def use_local(w) -> None:
    if w.host.server is not None:
        w.host.use_local()
        w.status.set_model(w.host.model_path)
        w.run_panel.refresh()
