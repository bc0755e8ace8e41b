"""Evaluate against gold labels: a dialog over :mod:`core.evaluation`.

``EvaluationDialog(project, task)``: pick the gold file, match its columns
to the task's fields, then see fields × metrics, a confusion matrix per
yes/no or choice field and the reports that disagree
(``open_report_requested(report id)``).
"""
from gui.evaluation.confusion import ConfusionChart
from gui.evaluation.dialog import EvaluationDialog
from gui.evaluation.metrics_model import MetricsModel

__all__ = ["ConfusionChart", "EvaluationDialog", "MetricsModel"]
