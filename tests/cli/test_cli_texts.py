"""Click's own texts (help headers, help option, usage errors) in Dutch; ``start`` in English."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.cli.parks import SHORT_HELP_EN


def _all_commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*path, name))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="parkplan")


def test_every_command_has_dutch_help():
    paths = [(), *_all_commands(main)]
    assert len(paths) > 20
    for path in paths:
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert "Gebruik: parkplan" in result.output, path
        assert "Opties:" in result.output, path
        assert "-h, --help" in result.output and "Toon deze hulp en stop." in result.output, path
        assert "Show this message" not in result.output and "Usage:" not in result.output, path


def test_group_help_lists_dutch_sections():
    result = invoke("--help")
    assert "Opdrachten:" in result.output and "Toon de versie en stop." in result.output
    assert invoke("--version").output.startswith("parkplan, versie ")


def test_usage_errors_in_dutch_and_english():
    dutch = invoke("start", "--bogus")
    assert dutch.exit_code == 2
    assert "Fout: Onbekende optie '--bogus'." in dutch.output
    assert "Probeer 'parkplan start --help' voor hulp." in dutch.output
    english = invoke("--lang", "en", "start", "--bogus")
    assert english.exit_code == 2
    assert "Error: No such option '--bogus'." in english.output
    assert "Try 'parkplan start --help' for help." in english.output
    # the next run without --lang is Dutch again
    assert "Fout: Onbekende optie" in invoke("start", "--bogus").output


def test_unknown_command_and_bad_choice_in_dutch():
    typo = invoke("strat")
    assert typo.exit_code == 2
    assert "Fout: Onbekende opdracht 'strat'. Bedoelde u 'start'?" in typo.output
    bad = invoke("--lang", "xx", "start")
    assert bad.exit_code == 2
    assert "Ongeldige waarde voor '--lang': 'xx' is niet een van 'nl', 'en'." in bad.output


def test_usage_errors_follow_parkplan_lang(monkeypatch):
    monkeypatch.setenv("PARKPLAN_LANG", "en")
    result = invoke("--bogus")
    assert result.exit_code == 2 and "Error: No such option '--bogus'." in result.output


def _listed_analyses() -> list[str]:
    names = []
    for name, command in main.commands.items():
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if arguments and arguments[0].name == "park_or_file":
            names.append(name)
    return sorted(names)


def test_every_analysis_in_start_has_an_english_line():
    from parkplan.cli.parks import NEXT_STEPS

    in_steps = {step[0] for step in NEXT_STEPS}
    missing = [n for n in _listed_analyses() if n not in in_steps and n not in SHORT_HELP_EN]
    assert missing == []


@pytest.mark.usefixtures("tmp_database_url")
def test_start_in_english_has_no_dutch_descriptions():
    english = invoke("--lang", "en", "start")
    assert english.exit_code == 0, english.output
    assert "Next steps:" in english.output
    for name, text in SHORT_HELP_EN.items():
        if name in main.commands:
            assert f"parkplan {name} mijnpark" in english.output
            assert text[:1].lower() + text[1:] in english.output
            dutch = main.commands[name].get_short_help_str(100).rstrip(".")
            assert dutch[:1].lower() + dutch[1:] not in english.output
    assert "Volgende stappen" not in english.output
    dutch = invoke("start")
    assert "Volgende stappen:" in dutch.output
    assert "nulmeting: energie en CO2 per bedrijf" in dutch.output
