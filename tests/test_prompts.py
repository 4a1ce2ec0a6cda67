"""Every prompt template renders with exactly its declared variables."""

from __future__ import annotations

import pytest

from prompts import FOLDER, VARIABLES, PromptError, placeholders, render, template


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_each_template_declares_exactly_its_placeholders(name: str) -> None:
    assert placeholders(template(name)) == VARIABLES[name]
    values = {variable: f"<{variable}>" for variable in VARIABLES[name]}
    rendered = render(name, **values)
    assert all(f"<{variable}>" in rendered for variable in VARIABLES[name])
    assert "{" not in rendered


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_a_missing_or_extra_variable_is_an_error(name: str) -> None:
    values = {variable: "x" for variable in VARIABLES[name]}
    with pytest.raises(PromptError, match="missing"):
        render(name, **dict(list(values.items())[1:]))
    with pytest.raises(PromptError, match="unexpected \\['surprise'\\]"):
        render(name, **values, surprise="x")


def test_every_template_file_is_declared() -> None:
    assert {p.stem for p in FOLDER.glob("*.txt")} == set(VARIABLES)
