import pytest

from core.cli import build_parser, main


def test_accuracy_is_a_subcommand_with_a_quick_mode():
    args = build_parser().parse_args(["accuracy", "--quick", "--threads", "1"])
    assert args.command == "accuracy" and args.quick and args.threads == 1
    from gui.launcher import SUBCOMMANDS

    assert "accuracy" in SUBCOMMANDS


@pytest.mark.parametrize("argv, says", [
    (["accuracy", "--variants", "reference,best"], "Unknown variant 'best'"),
    (["accuracy", "--sets", "demo,lab"], "unknown set 'lab'"),
    (["accuracy", "--task", "chest_ct_nodules"], "needs --task, --reports and --gold"),
    (["accuracy", "--sets", "dragon", "--dragon-dir", "/nonexistent"], "DRAGON data not found"),
])
def test_bad_arguments_are_one_line_errors(argv, says, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
