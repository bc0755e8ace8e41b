"""The quick accuracy subset with the real embedded model: Abstractor's default settings
get at least as many fields right as the reference (llm_extractinator) prompt on every set.

About 24 extractions (6 demo reports and 2 cases of three DRAGON tasks, two variants);
the full measurement is ``abstractor accuracy`` (docs/accuracy.md)."""
import pytest

from core.accuracy import QUICK_VARIANTS, measure, quick_sets, variants
from core.accuracy.report import by_set, full_report

pytestmark = pytest.mark.model


def test_default_settings_are_at_least_the_reference_on_the_quick_subset(model_path, dragon_dir):
    sets = quick_sets(dragon_dir)
    assert [len(s) for s in sets] == [6, 2, 2, 2]
    results = measure(sets, variants(QUICK_VARIANTS), model_path)
    print(full_report(results))
    groups = by_set(results)
    assert len(groups) == 4
    for name, (reference, default) in groups.items():
        assert (reference.variant.name, default.variant.name) == ("reference", "default")
        assert default.task.options.evidence and default.failed == 0, name
        assert default.right >= reference.right, f"{name}: default {default.right} < reference {reference.right}"
