"""The fast address check gives email-validator's verdict and normal form, always."""

from __future__ import annotations

import random

import pytest
from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

from companion.emails import checked_email
from companion.imports.checks import validate_rows
from companion.imports.formats import Row

TRICKY = [
    "ada@example.com",
    "Ada.Lovelace@Example.COM",
    "ada+mentoring@sub.example.co.uk",
    "a!#$%&'*+/=?^_`{|}~-b@example.com",
    "ada@example.com.",
    "ada@-example.com",
    "ada@example-.com",
    "ada@example.123",
    "ada@localhost",
    "ada@foo.test",
    "ada@foo.invalid",
    "ada@b",
    "ada@[192.0.2.1]",
    "ada@münchen.de",
    "ada@xn--mnchen-3ya.de",
    "jöhn@example.com",
    '"ada lovelace"@example.com',
    ".ada@example.com",
    "ada.@example.com",
    "a..da@example.com",
    "ada@@example.com",
    "@example.com",
    "ada@",
    "ada",
    "Ada Lovelace <ada@example.com>",
    " ada@example.com ",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "ada@" + "b" * 63 + ".com",
    "ada@" + "b" * 64 + ".com",
    "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com",
    "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".com",
    "ada@exa_mple.com",
    "ada@example..com",
    "ada@EXAMPLE.com",
    "ada@example.c",
    "ada@123.com",
]


def verdict(check, address: str) -> str:
    try:
        return "ok " + check(address)
    except PydanticCustomError as err:
        return "refused " + str(err)


@pytest.mark.parametrize("address", TRICKY)
def test_the_fast_check_agrees_with_email_validator(address: str) -> None:
    assert verdict(checked_email, address) == verdict(lambda a: validate_email(a)[1], address)


def test_random_addresses_agree() -> None:
    rng = random.Random(7)
    alphabet = "abcXYZ09.-_+@ü \"'"
    for _ in range(3000):
        address = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        address += rng.choice(["", "@example.com", "@EXAMPLE.org", ".com", "@x-y.io"])
        assert verdict(checked_email, address) == verdict(
            lambda a: validate_email(a)[1], address
        ), address


def test_an_import_row_names_the_bad_address() -> None:
    row = Row(
        2, {"id": "p1", "name": "Ada", "email": "ada@-x.com", "role": "mentee", "seniority": "2"}
    )
    valid, problems = validate_rows([row], "people.csv")
    assert not valid and [p.field for p in problems] == ["email"]
    assert "not a valid email address" in problems[0].message
