"""Sample task and values for the export tests (imported by conftest and the tests)."""
from __future__ import annotations


from core.task import Field, FieldType, Option, Task

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]


def make_task() -> Task:
    return Task(name="Lung CT", instructions="Extract the findings.", fields=[
        Field(key="diagnosis", label="Diagnosis", type=FieldType.CHOICE,
              options=[Option(value="adenocarcinoma", description="glandular"), Option(value="squamous"),
                       Option(value="other, unspecified")]),
        Field(key="size_mm", label="Largest diameter", type=FieldType.DECIMAL, unit="mm", minimum=0, maximum=300),
        Field(key="count", label="Number of nodules", type=FieldType.INTEGER),
        Field(key="metastasis", label="Metastasis", type=FieldType.YES_NO),
        Field(key="exam_date", label="Exam date", type=FieldType.DATE),
        Field(key="sites", label="Sites", type=FieldType.MULTI_CHOICE,
              options=[Option(value="liver"), Option(value="lung"), Option(value="bone")]),
        Field(key="findings", label="Findings", type=FieldType.TEXT_LIST),
        Field(key="comment", label="Comment", type=FieldType.TEXT),
        Field(key="tumour", label="Tumour", type=FieldType.GROUP, fields=[
            Field(key="grade", label="Grade", type=FieldType.CHOICE,
                  options=[Option(value="G1"), Option(value="G2"), Option(value="G3")]),
            Field(key="margin_mm", label="Margin", type=FieldType.DECIMAL, unit="mm")]),
        Field(key="lesions", label="Target lesions measured on the baseline CT scan", type=FieldType.GROUP_LIST,
              fields=[Field(key="location", label="Location", type=FieldType.TEXT),
                      Field(key="size_mm", label="Size", type=FieldType.INTEGER, unit="mm")]),
    ])


R1_VALUES = {"diagnosis": "adenocarcinoma", "size_mm": 12.5, "count": 3, "metastasis": True,
             "exam_date": "2023-04-05", "sites": ["liver", "bone"], "findings": ["nodule RUL", "effusion"],
             "comment": "stable", "tumour": {"grade": "G2", "margin_mm": 1.5},
             "lesions": [{"location": "RUL", "size_mm": 12}, {"location": "liver", "size_mm": 30}]}
R2_VALUES = {"diagnosis": "other, unspecified", "size_mm": None, "count": 0, "metastasis": False,
             "exam_date": None, "sites": [], "findings": HOSTILE[1:3], "comment": HOSTILE[0],
             "tumour": {"grade": None, "margin_mm": None}, "lesions": [{"location": "@SUM(A1)", "size_mm": 5}]}
