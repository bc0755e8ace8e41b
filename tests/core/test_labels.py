"""Messages name settings as the window shows them (issue 14, problem 5)."""
from __future__ import annotations

import ast
from pathlib import Path

from core.labels import SETTING_LABELS, answer_too_long, report_cut

ROOT = Path(__file__).resolve().parents[2]


def _sentences(path: Path):
    """The string constants in a module that read as text for people (have a space), docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and " " in node.value.strip():
            yield node.lineno, node.value


def test_no_message_names_a_setting_by_its_internal_name():
    internal = {k: (k, k.replace("_", " ")) for k in SETTING_LABELS if "_" in k}
    found = []
    for package in ("core", "gui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, text in _sentences(path):
                low = text.lower()
                for key, spellings in internal.items():
                    if any(s in low for s in spellings):
                        found.append(f"{path.relative_to(ROOT)}:{line}: {text[:80]!r} names {key!r}; "
                                     f"say {SETTING_LABELS[key]!r}")
    assert not found, "\n".join(found)


def test_the_length_message_says_what_preferences_calls_the_setting():
    from gui.settings import OPTIONS

    text = answer_too_long(1024)
    assert "1,024 tokens" in text and "“Longest answer”" in text and "File › Preferences" in text
    assert OPTIONS["max_output_tokens"].label.startswith(SETTING_LABELS["max_output_tokens"])
    assert OPTIONS["n_ctx"].label.startswith(SETTING_LABELS["n_ctx"])
    assert "“Context size”" in report_cut(100, 500)
