"""Read clinical reports from a folder of files or a tabular source.

Public API::

    read_folder(folder)          -> Iterator[Report]  (recursive, sorted, never raises per file)
    read_path(path, root)        -> list[Report]      (one file; tabular files give one per row)
    read_dragon_dataset(path)    -> list[Report]      (DRAGON nlp-test-dataset.json)
    SUPPORTED_SUFFIXES

Formats: .txt .md .rtf .docx .pdf .html .htm (one report per file) and
.csv .tsv .xlsx .json .jsonl .ndjson (one report per row).  Files that cannot
be used become reports with ``status == "skipped"`` and a plain-language
``reason``.
"""
from __future__ import annotations

from .dragon import read_dragon_dataset
from .folder import SUPPORTED_SUFFIXES, read_folder, read_path
from .model import READY, SKIPPED, Report

__all__ = [
    "READY",
    "SKIPPED",
    "Report",
    "SUPPORTED_SUFFIXES",
    "read_dragon_dataset",
    "read_folder",
    "read_path",
]
