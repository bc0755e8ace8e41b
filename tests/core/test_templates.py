"""Bundled task templates, demo reports with gold labels, and user task files."""
import csv
import json
import re

import pytest

from core import templates as tpl
from core.evaluation.gold import load_gold
from core.prompt import system_message, task_description
from core.schema import json_schema
from core.task import Field, FieldType, Task

EXPECTED_TEMPLATES = {"chest_ct_nodules", "prostate_mri", "colon_biopsy", "pancreas_ct",
                      "hip_radiograph_oa", "recist_target_lesions"}


def _gold_rows():
    with tpl.demo_gold_file().open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


# ---------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------
def test_bundled_names_sorted_and_without_dragon():
    names = [n for n, _ in tpl.bundled_tasks()]
    assert names == sorted(names)
    assert EXPECTED_TEMPLATES <= set(names)
    assert not any(n.startswith("Task1") for n in names)  # dragon/ is not a template


@pytest.mark.parametrize("path", tpl.bundled_task_files(), ids=lambda p: p.stem)
def test_template_file_is_valid(path):
    text = path.read_text("utf-8")
    task = Task.model_validate_json(text)
    assert task.problems() == []
    # written as Task(...).model_dump(mode="json"), indent 2, no ASCII escaping
    assert text == json.dumps(task.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    assert task.name.strip() and task.description.strip() and task.instructions.strip()
    for fpath, f in task.walk():
        assert f.label and f.description.strip(), fpath
        if f.type.has_options:
            assert all(o.value == o.value.strip() for o in f.options), fpath
        if f.type.is_number:
            assert f.unit, fpath
    json_schema(task)
    assert task_description(task) in system_message(task)


def test_load_bundled_and_unknown_name():
    assert tpl.load_bundled("chest_ct_nodules") == tpl.demo_task()
    with pytest.raises(KeyError, match="chest_ct_nodules"):
        tpl.load_bundled("no_such_template")
    with pytest.raises(KeyError):
        tpl.load_bundled("dragon/Task101_Example_sl_bin_clf")


def test_chest_ct_template_fields():
    task = tpl.demo_task()
    assert [f.key for f in task.fields] == ["nodule_present", "largest_diameter_mm", "lobe", "solidity"]
    assert [f.type for f in task.fields] == [FieldType.YES_NO, FieldType.DECIMAL, FieldType.CHOICE,
                                             FieldType.CHOICE]
    assert task.field_at("largest_diameter_mm").unit == "mm"
    assert task.field_at("lobe").option_values() == [
        "right upper lobe", "middle lobe", "right lower lobe", "left upper lobe", "left lower lobe"]
    assert task.field_at("solidity").option_values() == ["solid", "part-solid", "ground-glass"]
    text = task.instructions + " ".join(f.description + str(f.options) for _, f in task.walk())
    for dutch in ("rechterbovenkwab", "middenkwab", "linkeronderkwab", "matglas", "deels solide",
                  "geen noduli"):
        assert dutch in text


def test_other_templates_shape():
    prostate = tpl.load_bundled("prostate_mri")
    assert prostate.field_at("pirads_index_lesion").option_values() == ["1", "2", "3", "4", "5"]
    assert prostate.field_at("pirads_index_lesion").ordered
    assert prostate.field_at("psa_ng_ml").unit == "ng/mL"
    assert prostate.field_at("prostate_volume_ml").unit == "mL"
    assert prostate.field_at("psa_density").unit == "ng/mL²"
    assert prostate.field_at("extraprostatic_extension").type is FieldType.YES_NO

    colon = tpl.load_bundled("colon_biopsy")
    assert colon.field_at("findings").type is FieldType.MULTI_CHOICE
    assert {"normal mucosa", "tubular adenoma", "sessile serrated lesion", "adenocarcinoma"} <= set(
        colon.field_at("findings").option_values())
    assert colon.field_at("dysplasia_grade").option_values() == ["none", "low-grade", "high-grade"]
    assert colon.field_at("dysplasia_grade").ordered

    pancreas = tpl.load_bundled("pancreas_ct")
    assert pancreas.field_at("location").option_values() == ["head", "uncinate process", "neck", "body", "tail"]

    hips = tpl.load_bundled("hip_radiograph_oa")
    for key in ("kl_grade_left", "kl_grade_right"):
        f = hips.field_at(key)
        assert f.ordered and f.option_values() == ["0", "1", "2", "3", "4"]
        assert all(o.description for o in f.options)

    recist = tpl.load_bundled("recist_target_lesions")
    lesions = recist.field_at("target_lesions")
    assert lesions.type is FieldType.GROUP_LIST
    assert [c.key for c in lesions.fields] == ["lesion", "organ", "size_mm"]
    assert recist.field_at("target_lesions.size_mm").unit == "mm"
    assert recist.field_at("sum_of_diameters_mm").type is FieldType.DECIMAL


# ---------------------------------------------------------------------------
# demo reports and gold labels
# ---------------------------------------------------------------------------
def test_demo_reports_present():
    names = sorted(p.name for p in tpl.demo_reports_dir().glob("*.txt"))
    assert names == [f"ct_thorax_{i:02d}.txt" for i in range(1, 13)]
    for name in names:
        lines = (tpl.demo_reports_dir() / name).read_text("utf-8").strip().splitlines()
        assert 5 <= len(lines) <= 15, name
    others = sorted(p.name for p in (tpl.demo_dir() / "other").glob("*.txt"))
    assert len(others) == 3
    assert (tpl.demo_dir() / "README.md").read_text("utf-8").lower().count("synthetic") >= 1


def test_gold_csv_one_valid_row_per_report():
    task = tpl.demo_task()
    raw = tpl.demo_gold_file().read_bytes()
    assert raw.decode("utf-8").splitlines()[0] == "report;nodule_present;largest_diameter_mm;lobe;solidity"
    rows = _gold_rows()
    reports = sorted(p.name for p in tpl.demo_reports_dir().glob("*.txt"))
    assert sorted(r["report"] for r in rows) == reports
    assert len(rows) == len(reports)
    for r in rows:
        assert r["nodule_present"] in ("yes", "no"), r
        assert r["lobe"] in ("", *task.field_at("lobe").option_values()), r
        assert r["solidity"] in ("", *task.field_at("solidity").option_values()), r
        if r["nodule_present"] == "no":
            assert r["largest_diameter_mm"] == r["lobe"] == r["solidity"] == "", r
        else:
            assert r["largest_diameter_mm"] and r["lobe"] and r["solidity"], r
            assert re.fullmatch(r"\d+(\.\d+)?", r["largest_diameter_mm"]), r
    # and the project's own gold importer reads it without complaint
    gold = load_gold(tpl.demo_gold_file(), task)
    assert set(gold) == set(reports)
    assert gold["ct_thorax_03.txt"]["nodule_present"] is False
    assert gold["ct_thorax_07.txt"]["largest_diameter_mm"] == 7.5


_LOBE_WORDS = {
    "right upper lobe": ("rechterbovenkwab", "right upper lobe"),
    "middle lobe": ("middenkwab", "middle lobe"),
    "right lower lobe": ("rechteronderkwab", "right lower lobe"),
    "left upper lobe": ("linkerbovenkwab", "left upper lobe", "lingula"),
    "left lower lobe": ("linkeronderkwab", "left lower lobe"),
}
_SOLIDITY_WORDS = {
    "solid": ("solide", "solid", "verkalkt"),
    "part-solid": ("deels solide", "part-solid", "part solid"),
    "ground-glass": ("matglas", "ground-glass", "ground glass"),
}


@pytest.mark.parametrize("row", _gold_rows(), ids=lambda r: r["report"])
def test_gold_label_is_in_report_text(row):
    text = (tpl.demo_reports_dir() / row["report"]).read_text("utf-8")
    low = text.lower()
    if row["largest_diameter_mm"]:
        num = row["largest_diameter_mm"]
        variants = {num, num.replace(".", ",")}
        pattern = "|".join(re.escape(v) for v in variants)
        assert re.search(rf"(?<![\d,.])(?:{pattern})\s?mm\b", text), (row["report"], num)
    if row["lobe"]:
        assert any(w in low for w in _LOBE_WORDS[row["lobe"]]), row
    if row["solidity"]:
        assert any(w in low for w in _SOLIDITY_WORDS[row["solidity"]]), row
    if row["nodule_present"] == "no":
        assert re.search(r"geen (pulmonale |long)?noduli|no pulmonary nodules", low), row


# ---------------------------------------------------------------------------
# user tasks
# ---------------------------------------------------------------------------
@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(tpl.DATA_DIR_ENV, str(tmp_path / "data"))
    return tmp_path / "data" / "tasks"


def test_user_tasks_dir_created(user_dir):
    assert not user_dir.exists()
    assert tpl.user_tasks_dir() == user_dir
    assert user_dir.is_dir()
    assert tpl.user_tasks() == []


def test_save_user_task_round_trip(user_dir):
    task = tpl.load_bundled("hip_radiograph_oa")
    path = tpl.save_user_task(task)
    assert path.parent == user_dir
    assert path.name == "hip_radiograph_osteoarthritis_kellgren_lawrence.json"
    assert Task.load(path) == task
    assert tpl.user_tasks() == [(path, task)]
    # saving the same task again reuses the file
    assert tpl.save_user_task(task) == path
    assert len(list(user_dir.glob("*.json"))) == 1


def test_save_user_task_never_overwrites_a_different_task(user_dir):
    a = Task(name="Mijn taak: longnoduli", fields=[Field(key="nodule_present", type=FieldType.YES_NO)])
    b = a.model_copy(update={"instructions": "Other instructions"})
    c = a.model_copy(update={"description": "Third"})
    pa, pb, pc = tpl.save_user_task(a), tpl.save_user_task(b), tpl.save_user_task(c)
    assert [p.name for p in (pa, pb, pc)] == ["mijn_taak_longnoduli.json", "mijn_taak_longnoduli_2.json",
                                              "mijn_taak_longnoduli_3.json"]
    assert Task.load(pa) == a and Task.load(pb) == b and Task.load(pc) == c
    assert [t for _, t in tpl.user_tasks()] == [a, b, c]


def test_user_tasks_skips_bad_files(user_dir):
    user_dir.mkdir(parents=True)
    (user_dir / "broken.json").write_text("{not json", "utf-8")
    good = tpl.save_user_task(Task(name="Good", fields=[Field(key="x")]))
    assert [p for p, _ in tpl.user_tasks()] == [good]


def test_slugify():
    assert tpl.slugify("Chest CT – pulmonary nodules") == "chest_ct_pulmonary_nodules"
    assert tpl.slugify("Ünïcode  café") == "unicode_cafe"
    assert tpl.slugify("   ") == "task"
    assert tpl.slugify("../../etc/passwd") == "etc_passwd"


def test_saving_a_new_version_replaces_its_own_file(monkeypatch, tmp_path):
    from core import templates
    from core.task import Field, FieldType, Task

    monkeypatch.setattr(templates, "user_tasks_dir", lambda: tmp_path)
    v1 = Task(name="Mijn taak", fields=[Field(key="a", type=FieldType.TEXT)])
    p1 = templates.save_user_task(v1)
    v2 = v1.model_copy(update={"instructions": "new"})
    assert templates.save_user_task(v2, replace=p1) == p1
    assert Task.load(p1) == v2
    assert templates.save_user_task(v1) != p1  # without replace a different task never overwrites
    outside = tmp_path.parent / "elsewhere.json"
    assert templates.save_user_task(v1, replace=outside) != outside  # only files in the tasks folder
