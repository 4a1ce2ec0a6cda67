"""Work email addresses: email-validator's verdict (through pydantic's EmailStr check, as
before), with the common shape fast.

An import checks every address; email-validator spends most of its 0.1-0.2 ms per
address on the domain's IDNA rules (1 s of a 10,000-person re-import). An address whose
part before the @ is a plain ASCII dot-atom has the domain checked once per distinct
domain (email-validator on "a@domain"), and the part before the @ kept as it is, which
is what email-validator does with it. Any other address goes to email-validator whole,
and so does one whose domain fails, for its own error message. The same verdict and
normal form either way (tests/test_emails.py compares them on tricky addresses).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
LOCAL_MAX, ADDRESS_MAX = 64, 254  # RFC 5321


@lru_cache(maxsize=4096)
def _domain(domain: str) -> str | None:
    """The domain's normal form, or None when email-validator refuses it."""
    try:
        return validate_email(f"a@{domain}")[1].rpartition("@")[2]
    except PydanticCustomError:
        return None


def checked_email(value: str) -> str:
    """The address's normal form, or PydanticCustomError saying why it is not one."""
    local, at, domain = value.rpartition("@")
    if (
        at
        and value.isascii()
        and len(value) <= ADDRESS_MAX
        and len(local) <= LOCAL_MAX
        and _PLAIN_LOCAL.fullmatch(local)
    ):
        normal = _domain(domain)
        if normal is not None and len(local) + 1 + len(normal) <= ADDRESS_MAX:
            return f"{local}@{normal}"
    return validate_email(value)[1]
