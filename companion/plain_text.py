"""Text that shows what it says: no control characters, no bidirectional controls.

A name such as "\\x1b]0;pwned\\x07" retitles the terminal of whoever lists people;
"\\x1b[2J" clears it; U+202E (RIGHT-TO-LEFT OVERRIDE) makes "gpj.exe" read as
"exe.jpg". Such text is refused, never stripped: a silent repair would store something
other than what the file said and hide the attempt from the coordinator.

Refused in every text field: C0 controls (U+0000-U+001F), DEL and the C1 controls
(U+007F-U+009F) and the Unicode Bidi_Control characters (U+061C, U+200E, U+200F,
U+202A-U+202E, U+2066-U+2069). Multi-line free text (a mentee's goals, a mentor's bio)
may also hold tab, newline and carriage return + newline; a lone carriage return is still
refused, since it moves a terminal's cursor back over what was printed. (Lone surrogates,
which JSON can spell as "\\ud800", are not valid Unicode: pydantic refuses them already.)
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]|\r(?!\n)")


def refusal(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` is refused (its first unsafe character, where and what), or None."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    if found is None:
        return None
    return (
        f"holds {describe(found.group())} at character {found.start() + 1}; text with "
        "control or bidirectional characters is refused, not stripped: remove it"
    )


def describe(char: str) -> str:
    """A character named so a person can find it: 'the control character U+001B'."""
    code = f"U+{ord(char):04X}"
    if char in BIDI_CONTROLS:
        return f"the bidirectional control {code} ({unicodedata.name(char)})"
    return f"the control character {code}"


def printable(text: str, limit: int = 80) -> str:
    """`text` safe to print: unprintable characters escaped, and at most `limit` of them."""
    shown = text[:limit]
    escaped = "".join(c if c.isprintable() else _escape(c) for c in shown)
    return escaped + ("..." if len(text) > limit else "")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
