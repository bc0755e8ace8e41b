"""A folder of awkward report files, made inside the test (nothing MB-sized is committed).

What a new user points the app at: odd encodings and line ends, Word tables, a scanned PDF
without text, damaged files, Office lock files, rows in CSV/XLSX, DRAGON JSON, a 3 MB
concatenated export and a 200,000-character single-line report.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from tests.core.reports.conftest import write_pdf

SENTENCES = [
    "CT thorax met contrast: solide nodule van {n} mm in de rechterbovenkwab.",
    "Geen pleuravocht, geen pericardvocht.",
    "Mediastinum: geen pathologisch vergrote lymfklieren.",
    "Conclusie: nodule, controle over zes maanden geadviseerd.",
    "CT chest: part-solid nodule of {n} mm in the left lower lobe.",
    "No pleural effusion. Heart size normal.",
]


def prose(rng: random.Random, chars: int, sep: str = "\n") -> str:
    out, size = [], 0
    while size < chars:
        s = rng.choice(SENTENCES).format(n=rng.randint(3, 30))
        out.append(s)
        size += len(s) + len(sep)
    return sep.join(out)[:chars]


# id -> what the runner must do with it: "ok" (read; ok or failed), "skipped-file" (the reader
# skips it), "too-long" (over the report length limit), "parts" (read in parts)
def make_awkward_folder(folder: Path, *, long_files: bool = True, part_chars: int = 0) -> dict[str, str]:
    import docx
    import openpyxl

    rng = random.Random(10)
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, kind: str = "ok") -> None:
        (folder / name).write_bytes(data)
        expect[name] = kind

    put("cp1252.txt", "Verslag: patiënt, 8 mm nodule in de rechterbovenkwab; café-au-lait.".encode("cp1252"))
    put("utf16.txt", "CT thorax: geen noduli. Conclusie: normaal.".encode("utf-16"))
    put("bom.txt", "\ufeffCT chest: 12 mm nodule, left lower lobe.".encode("utf-8"))
    put("cr_only.txt", b"CT thorax\rNodule 6 mm rechts.\rGeen vocht.")
    put("empty.txt", b"", "skipped-file")
    put("binary.txt", bytes(range(256)) * 8, "skipped-file")

    d = docx.Document()
    d.add_paragraph("Verslag CT thorax")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Bevinding", "Grootte"
    table.cell(1, 0).text, table.cell(1, 1).text = "nodule rechterbovenkwab", "9 mm"
    d.save(folder / "tabel.docx")
    expect["tabel.docx"] = "ok"
    put("kapot.docx", b"this is not a zip file", "skipped-file")
    put("~$tabel.docx", b"\x00lock", "hidden")
    put(".~lock.verslag.odt#", b"user,host", "hidden")

    write_pdf(folder / "scan.pdf", [])
    expect["scan.pdf"] = "skipped-file"
    whole = write_pdf(folder / "tekst.pdf", ["CT thorax: nodule van 7 mm links onder."]).read_bytes()
    expect["tekst.pdf"] = "ok"
    put("afgebroken.pdf", whole[: len(whole) * 2 // 3], "skipped-file")   # pypdf: "EOF marker not found"

    (folder / "rijen.csv").write_text("id;text\nr1;CT thorax: nodule 5 mm.\nr2;Geen afwijkingen.\n", "utf-8")
    expect["rijen.csv#r1"] = expect["rijen.csv#r2"] = "ok"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "text"])
    wb.active.append(["x1", "CT chest: nodule 11 mm right upper lobe."])
    wb.save(folder / "rijen.xlsx")
    expect["rijen.xlsx#x1"] = "ok"
    (folder / "dragon.json").write_text(json.dumps([
        {"uid": "case0", "text": "Patient presents with a lesion of 13 mm."},
        {"uid": "case1", "text": "No abnormalities."}]), "utf-8")
    expect["dragon.json#case0"] = expect["dragon.json#case1"] = "ok"

    if part_chars:
        put("lang.txt", prose(rng, part_chars).encode("utf-8"), "parts")
    if long_files:
        put("export_3mb.txt", prose(rng, 3 * 1024 * 1024).encode("utf-8"), "too-long")
        put("een_regel.txt", prose(rng, 200_000, sep=" ").encode("utf-8"), "too-long")
    return expect
