"""A task with every field type, nested and repeating groups included."""
from core.task import Field, FieldType, Option, Task, TaskOptions


def all_types_task(evidence: bool = True) -> Task:
    return Task(
        name="Every field type",
        instructions="Extract the findings from the CT report.",
        options=TaskOptions(evidence=evidence, max_output_tokens=1024),
        fields=[
            Field(key="summary", type=FieldType.TEXT, description="One-line conclusion"),
            Field(key="nodule_count", type=FieldType.INTEGER, description="Number of nodules"),
            Field(key="largest_mm", type=FieldType.DECIMAL, unit="mm", minimum=1, maximum=60),
            Field(key="nodule_present", type=FieldType.YES_NO, optional=False),
            Field(key="scan_date", type=FieldType.DATE),
            Field(key="lobe", type=FieldType.CHOICE, options=[
                Option(value="right upper lobe", description="rechterbovenkwab"),
                Option(value="left lower lobe", description="linkeronderkwab")]),
            Field(key="other_findings", type=FieldType.MULTI_CHOICE, options=[
                Option(value="emphysema"), Option(value="effusion"), Option(value="lymphadenopathy")]),
            Field(key="keywords", type=FieldType.TEXT_LIST),
            Field(key="patient", type=FieldType.GROUP, fields=[
                Field(key="age", type=FieldType.INTEGER),
                Field(key="smoker", type=FieldType.YES_NO)]),
            Field(key="lesions", type=FieldType.GROUP_LIST, fields=[
                Field(key="location", type=FieldType.TEXT),
                Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")]),
        ],
    )


REPORT = (
    "CT thorax d.d. 2024-03-12. Patiënt 64 jaar, roker.\n"
    "Solide nodule van 8 mm in de rechterbovenkwab. Tweede nodule van 4 mm in de linkeronderkwab.\n"
    "Emfyseem. Geen pleuravocht.\n"
    "Conclusie: twee longnoduli, grootste 8 mm rechts boven."
)
