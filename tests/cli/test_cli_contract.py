"""docs/cli.md is the contract: every command and every option must be in it."""

from __future__ import annotations

import re
from pathlib import Path

import click

from parkplan.cli import main

CLI_MD = Path(__file__).parents[2] / "docs" / "cli.md"


def _leaf_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out.extend(_leaf_commands(command, f"{full} "))
        else:
            out.append((full, command))
    return out


def _section_rows(text: str, command: str) -> str:
    """The table rows of one command: its first row and the continuation rows after it."""
    lines = text.splitlines()
    rows: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(f"| `{command}` "):
            inside = True
        elif line.startswith("| `") or not line.startswith("|"):
            inside = False
        if inside:
            rows.append(line)
    return "\n".join(rows)


def test_every_command_and_option_is_documented():
    text = CLI_MD.read_text(encoding="utf-8")
    missing = []
    for name, command in _leaf_commands(main):
        rows = _section_rows(text, name)
        if not rows:
            missing.append(f"command {name}")
            continue
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            names = [o for o in param.opts if o.startswith("--")]
            if names and not any(re.search(rf"`{re.escape(o)}[` =\\|]", rows) for o in names):
                missing.append(f"{name} {names[0]}")
    assert not missing, f"not in docs/cli.md: {missing}"
