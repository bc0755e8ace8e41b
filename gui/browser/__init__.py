"""The report browser: table model, filter proxy, table view and text viewer."""
from gui.browser.model import STATUSES, ReportTableModel
from gui.browser.proxy import ReportFilterProxy
from gui.browser.text_view import ReportTextView
from gui.browser.view import ReportBrowser

__all__ = ["STATUSES", "ReportBrowser", "ReportFilterProxy", "ReportTableModel", "ReportTextView"]
