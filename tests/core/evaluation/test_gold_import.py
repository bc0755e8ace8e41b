"""Gold labels from csv / xlsx / DRAGON ground truth."""
import datetime as dt

import pytest

from core.evaluation.gold import GoldImportError, align_gold_ids, coerce_value, load_gold
from core.task import Field, FieldType, Option, Task

TASK = Task(name="t", fields=[
    Field(key="smoker", label="Current smoker", type=FieldType.YES_NO),
    Field(key="size", label="Tumour size", type=FieldType.DECIMAL, unit="mm"),
    Field(key="grade", type=FieldType.CHOICE, options=[Option(value="low"), Option(value="high")]),
    Field(key="seen", type=FieldType.DATE),
    Field(key="tumour", type=FieldType.GROUP, fields=[Field(key="count", type=FieldType.INTEGER)]),
    Field(key="drugs", type=FieldType.TEXT_LIST),
])


def test_csv_semicolon_with_bom_and_decimal_comma(tmp_path):
    p = tmp_path / "gold.csv"
    p.write_bytes(("\ufeffReport ID;current smoker;Tumour size;GRADE;seen;tumour.count;drugs\n"
                   "a.txt;ja;8,5;High;03-04-2023;2;aspirin; x\n"
                   "b.txt;nee;12 mm;low;2023-12-01;;\n").encode("utf-8"))
    # "aspirin; x" has a stray ';' -> extra column, ignored
    gold = load_gold(p, TASK)
    assert gold == {
        "a.txt": {"smoker": True, "size": 8.5, "grade": "high", "seen": "2023-04-03", "tumour.count": 2,
                  "drugs": ["aspirin"]},
        "b.txt": {"smoker": False, "size": 12.0, "grade": "low", "seen": "2023-12-01", "tumour.count": None,
                  "drugs": None},
    }


def test_csv_comma_explicit_mapping_and_problems(tmp_path):
    p = tmp_path / "gold.csv"
    p.write_text('file name,Rookt,mm\nr1.txt,Y,"4.5"\nr2.txt,maybe,x\n', "utf-8")
    problems: list[str] = []
    gold = load_gold(p, TASK, mapping={"Rookt": "smoker", "mm": "size"}, problems=problems)
    assert gold == {"r1.txt": {"smoker": True, "size": 4.5}, "r2.txt": {"smoker": None, "size": None}}
    assert len(problems) == 2 and "Row 3, column 'Rookt'" in problems[0]
    with pytest.raises(GoldImportError, match="Row 3"):
        load_gold(p, TASK, mapping={"Rookt": "smoker"})


def test_xlsx_with_native_cell_types(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "smoker", "size", "seen", "tumour count", "notes"])
    ws.append([101, True, 7, dt.datetime(2024, 1, 31), 3.0, "ignored"])
    ws.append([None, None, None, None, None, None])
    ws.append(["r2", 0, "1,25", "31/01/2024", None, None])
    p = tmp_path / "gold.xlsx"
    wb.save(p)
    gold = load_gold(p, TASK)
    assert gold == {
        "101": {"smoker": True, "size": 7.0, "seen": "2024-01-31", "tumour.count": 3},
        "r2": {"smoker": False, "size": 1.25, "seen": "2024-01-31", "tumour.count": None},
    }


def test_errors(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("name;smoker\na;yes\n", "utf-8")
    with pytest.raises(GoldImportError, match="id column"):
        load_gold(p, TASK)
    p.write_text("id;smoker\na;yes\na;no\n", "utf-8")
    with pytest.raises(GoldImportError, match="twice"):
        load_gold(p, TASK)
    p.write_text("id;other\na;yes\n", "utf-8")
    with pytest.raises(GoldImportError, match="No column"):
        load_gold(p, TASK)


@pytest.mark.parametrize("raw,expected", [
    ("yes", True), ("Ja", True), ("TRUE", True), ("1", True), (1, True), ("y", True),
    ("no", False), ("nee", False), ("false", False), ("0", False), ("n", False), ("", None), ("n/a", None),
])
def test_yes_no_tokens(raw, expected):
    assert coerce_value(TASK.fields[0], raw) is expected


def test_numbers_and_dates():
    dec, integer, date = TASK.field_at("size"), TASK.field_at("tumour.count"), TASK.field_at("seen")
    assert coerce_value(dec, "8,5") == 8.5
    assert coerce_value(dec, "-3") == -3.0
    assert coerce_value(integer, "4,0") == 4
    with pytest.raises(ValueError):
        coerce_value(integer, "4,5")
    assert coerce_value(date, "5-6-2021") == "2021-06-05"
    assert coerce_value(date, "2021-06-05T10:00") == "2021-06-05"
    with pytest.raises(ValueError):
        coerce_value(date, "31-02-2021")
    choice = Field(key="c", type=FieldType.CHOICE, options=[Option(value="NA"), Option(value="x")])
    assert coerce_value(choice, "na") == "NA"  # an option wins over the missing token


def test_align_ids_by_file_name_and_stem():
    aligned, unmatched = align_gold_ids({"p1.txt": {"a": 1}, "P2": {"a": 2}, "zz": {}},
                                        ["ct/p1.txt", "ct/p2.docx"])
    assert aligned == {"ct/p1.txt": {"a": 1}, "ct/p2.docx": {"a": 2}}
    assert unmatched == ["zz"]


def test_dragon_ground_truth_json(dragon_dir):
    from core.evaluation.dragon_tasks import load_dragon_task

    path = dragon_dir / "ground-truth" / "Task107_Example_ml_reg.json"
    gold = load_gold(path, load_dragon_task("Task107_Example_ml_reg"))
    assert len(gold) == 450
    assert gold["Task107_case15"] == {"finding_1_size": 6.0, "finding_2_size": None, "finding_3_size": None,
                                      "finding_4_size": None, "finding_5_size": None}
    gold = load_gold(dragon_dir / "ground-truth" / "Task105_Example_ml_mc_clf.json", TASK)
    assert gold["Task105_case2"] == {"diagnosis": "Unknown", "treatment": "beta blockers"}
