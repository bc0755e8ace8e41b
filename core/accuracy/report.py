"""Tables of accuracy results: per set, per field and variant; a summary; numbers.

Plain text for the terminal, or Markdown (``markdown=True``) for docs/accuracy.md.
"""
from __future__ import annotations

from core.accuracy.runner import SetResult
from core.accuracy.score import NUMBER_OUTCOMES


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w)  # noqa: E731
                              for i, (x, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, rows)])


def by_set(results: list[SetResult]) -> dict[str, list[SetResult]]:
    out: dict[str, list[SetResult]] = {}
    for r in results:
        out.setdefault(r.set.name, []).append(r)
    return out


def _dragon_cell(r: SetResult) -> str:
    d = r.dragon()
    return "n/a" if d is None else f"{d:.3f}"


def set_table(rs: list[SetResult], markdown: bool = False) -> str:
    """Fields right per field (rows) and variant (columns) for one set."""
    header = ["field"] + [r.variant.name for r in rs]
    rights = [r.field_right() for r in rs]
    n = len(rs[0].set)
    rows = [[key] + [f"{fr[key]}/{n}" for fr in rights] for key in rights[0]]
    rows.append(["**total**" if markdown else "TOTAL"] + [f"{r.right}/{r.total}" for r in rs])
    if any(r.failed for r in rs):
        rows.append(["failed reports"] + [str(r.failed) for r in rs])
    if rs[0].set.dragon_task:
        from core.evaluation.dragon import TASK_TYPE

        metric = TASK_TYPE[rs[0].set.dragon_task].value
        rows.append([f"DRAGON: {metric}"] + [_dragon_cell(r) for r in rs])
    return _table(header, rows, markdown)


def summary_table(results: list[SetResult], markdown: bool = False) -> str:
    """Total fields right per set (rows) and variant (columns), with the sum over sets."""
    groups = by_set(results)
    names = [r.variant.name for r in next(iter(groups.values()))]
    rows = []
    sums = {n: [0, 0] for n in names}
    for set_name, rs in groups.items():
        rows.append([set_name] + [f"{r.right}/{r.total}" for r in rs])
        for r in rs:
            sums[r.variant.name][0] += r.right
            sums[r.variant.name][1] += r.total
    rows.append(["**all sets**" if markdown else "ALL SETS"] + [f"{a}/{b}" for a, b in sums.values()])
    return _table(["set"] + names, rows, markdown)


def numbers_table(results: list[SetResult], markdown: bool = False) -> str:
    """How each number field's answers came out, per variant."""
    header = ["set", "field", "variant", *NUMBER_OUTCOMES]
    rows = []
    for r in results:
        for key, c in r.numbers().items():
            rows.append([r.set.name, key, r.variant.name, *[str(c.get(o, 0)) for o in NUMBER_OUTCOMES]])
    return _table(header, rows, markdown) if rows else ""


def full_report(results: list[SetResult], markdown: bool = False) -> str:
    parts = []
    h = "### " if markdown else "== "
    for name, rs in by_set(results).items():
        parts.append(f"{h}{name} ({len(rs[0].set)} reports)\n\n{set_table(rs, markdown)}")
    parts.append(f"{h}Summary: fields right\n\n{summary_table(results, markdown)}")
    nums = numbers_table(results, markdown)
    if nums:
        parts.append(f"{h}Numbers: how they came out\n\n{nums}")
    return "\n\n".join(parts) + "\n"


def as_json(results: list[SetResult]) -> list[dict]:
    return [{"set": r.set.name, "variant": r.variant.name, "prompt_style": r.task.options.prompt_style,
             "evidence": r.task.options.evidence, "right": r.right, "total": r.total, "failed": r.failed,
             "fields": r.field_right(), "dragon": r.dragon(),
             "numbers": {k: dict(c) for k, c in r.numbers().items()},
             "answers": {rid: {"status": a.status, "values": a.values, "reason": a.reason}
                         for rid, a in r.answers.items()}}
            for r in results]
