from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from companion.imports import ImportFailed, import_people
from companion.workspace import Workspace
from tests.conftest import BASE_ROWS, csv_text, newcomer, write_csv


def rows_with(**changes: dict[str, str]) -> list[dict[str, str]]:
    """The base rows with some fields changed, by row id."""
    rows = copy.deepcopy(BASE_ROWS)
    for row in rows:
        row.update(changes.get(row["id"], {}))
    return rows


def do_import(workspace: Workspace, path: Path, **kwargs):
    return import_people(path, workspace.store, workspace.embedder, **kwargs)


@pytest.fixture
def stored(workspace: Workspace, tmp_path: Path) -> list:
    """A store that already holds one person, to show a failed import keeps it."""
    seed = write_csv(
        tmp_path / "seed.csv",
        [
            {
                "id": "z1",
                "name": "Zoe Weber",
                "email": "zoe@example.com",
                "role": "mentor",
                "seniority": "4",
                "skills_offered": "hiring",
            }
        ],
    )
    do_import(workspace, seed)
    return workspace.store.people()


BAD_CSV = [
    pytest.param(
        csv_text(rows_with(e1={"email": "not-an-email"})), 3, "email", "email", id="bad-email"
    ),
    pytest.param(csv_text(rows_with(e1={"role": "boss"})), 3, "role", "mentee", id="unknown-role"),
    pytest.param(
        csv_text(rows_with(m1={"capacity": "-1"})),
        2,
        "capacity",
        "greater than or equal to 0",
        id="negative-capacity",
    ),
    pytest.param(
        csv_text(rows_with(e2={"seniority": "9"})),
        4,
        "seniority",
        "less than or equal",
        id="seniority-out-of-range",
    ),
    pytest.param(
        csv_text(rows_with(e2={"timezone": "Mars/Olympus"})),
        4,
        "timezone",
        "unknown time zone",
        id="unknown-timezone",
    ),
    pytest.param(
        csv_text([{**r, "favourite_colour": "red"} for r in BASE_ROWS]),
        1,
        "favourite_colour",
        "unknown column",
        id="unknown-column",
    ),
    pytest.param(
        csv_text([{k: v for k, v in r.items() if k != "email"} for r in BASE_ROWS]),
        1,
        "email",
        "required column is missing",
        id="missing-required-column",
    ),
    pytest.param(
        csv_text(rows_with(e2={"manager_id": "ghost"})),
        4,
        "manager_id",
        "'ghost' names nobody",
        id="manager-names-nobody",
    ),
    pytest.param(
        csv_text(
            rows_with(m1={"manager_id": "e2"}, e2={"manager_id": "e1"}, e1={"manager_id": "m1"})
        ),
        2,
        "manager_id",
        "manager chain loops",
        id="manager-cycle",
    ),
    pytest.param(
        csv_text(rows_with(e1={"manager_id": "e1"})),
        3,
        "manager_id",
        "own manager",
        id="own-manager",
    ),
    pytest.param(
        csv_text(rows_with(e2={"id": "e1"})), 4, "id", "also appears on line 3", id="duplicate-id"
    ),
    pytest.param(
        csv_text(rows_with(e2={"email": "BEN@example.com"})),
        4,
        "email",
        "also appears on line 3",
        id="duplicate-email",
    ),
    pytest.param(
        csv_text(rows_with(e1={"exclude": "m1;nobody"})),
        3,
        "exclude",
        "'nobody' names nobody",
        id="exclude-names-nobody",
    ),
    pytest.param(
        csv_text(BASE_ROWS) + "x1,Xu Li\n", 5, None, "2 cells, but the header has", id="short-row"
    ),
    pytest.param(
        csv_text(rows_with(e1={"name": ""})),
        3,
        "name",
        "required field is missing",
        id="blank-required-cell",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "why"), BAD_CSV)
def test_a_bad_csv_is_refused_naming_row_and_field_and_writes_nothing(
    workspace: Workspace,
    tmp_path: Path,
    stored: list,
    text: str,
    line: int,
    field: str | None,
    why: str,
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    version = workspace.store.version()
    with pytest.raises(ImportFailed) as failure:
        do_import(workspace, path)
    named = [
        p
        for p in failure.value.problems
        if (p.file, p.line, p.field) == ("people.csv", line, field)
    ]
    assert named, failure.value.problems
    assert why in named[0].message
    assert f"people.csv, line {line}" in str(failure.value)
    assert workspace.store.people() == stored
    assert workspace.store.version() == version


@pytest.mark.parametrize(
    ("content", "why"),
    [
        pytest.param(b"", "the file is empty", id="empty-file"),
        pytest.param(b"  \n\n", "the file is empty", id="blank-file"),
        pytest.param(b"id,name,email,role,seniority\n", "holds no people", id="header-only"),
        pytest.param(
            "id,name,email,role,seniority\nj1,José Ruiz,j@example.com,mentee,2\n".encode("latin-1"),
            "not UTF-8 (byte 0xe9)",
            id="not-utf8",
        ),
    ],
)
def test_unreadable_files_are_refused(
    workspace: Workspace, tmp_path: Path, stored: list, content: bytes, why: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=why.replace("(", r"\(").replace(")", r"\)")):
        do_import(workspace, path)
    assert workspace.store.people() == stored


def test_not_utf8_names_the_line(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_text(BASE_ROWS).encode() + "j1,José,j@example.com,mentee,2\n".encode("cp1252")
    )
    with pytest.raises(ImportFailed) as failure:
        do_import(workspace, path)
    assert failure.value.problems[0].line == 5


def test_a_utf8_bom_is_accepted(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(BASE_ROWS).encode())
    assert do_import(workspace, path).written == 3


def test_list_fields_are_split_on_semicolons(workspace: Workspace, tmp_path: Path) -> None:
    do_import(workspace, write_csv(tmp_path / "p.csv", BASE_ROWS))
    ada = workspace.store.get("m1")
    assert ada is not None
    assert ada.skills_offered == ["public speaking", "python"]
    assert ada.capacity == 2 and ada.track is None and ada.manager_id is None


def test_reimport_upserts_by_id_without_duplicates(workspace: Workspace, tmp_path: Path) -> None:
    first = do_import(workspace, write_csv(tmp_path / "a.csv", BASE_ROWS))
    assert sorted(first.inserted) == ["e1", "e2", "m1"]
    changed = rows_with(e1={"title": "Senior Analyst", "seniority": "3"})
    changed.append(newcomer(manager_id="e2"))
    second = do_import(workspace, write_csv(tmp_path / "b.csv", changed))
    assert second.updated == ["e1"] and second.inserted == ["n1"]
    assert sorted(second.unchanged) == ["e2", "m1"]  # exactly as stored: not rewritten
    people = workspace.store.people()
    assert [p.id for p in people] == ["e1", "e2", "m1", "n1"]
    assert workspace.store.get("e1").title == "Senior Analyst"


def test_a_file_may_refer_to_people_already_stored(workspace: Workspace, tmp_path: Path) -> None:
    do_import(workspace, write_csv(tmp_path / "a.csv", BASE_ROWS))
    rows = [newcomer(manager_id="m1", exclude="e1")]
    assert do_import(workspace, write_csv(tmp_path / "b.csv", rows)).inserted == ["n1"]


def test_a_cycle_through_stored_people_is_caught(workspace: Workspace, tmp_path: Path) -> None:
    do_import(workspace, write_csv(tmp_path / "a.csv", BASE_ROWS))
    loop = [{**BASE_ROWS[0], "manager_id": "e1"}]
    with pytest.raises(ImportFailed, match="loops: m1 -> e1 -> m1"):
        do_import(workspace, write_csv(tmp_path / "b.csv", loop))


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = rows_with(e1={"email": "nope"})
    rows.append(newcomer(manager_id="e1"))
    report = do_import(workspace, write_csv(tmp_path / "p.csv", rows), skip_invalid=True)
    assert sorted(report.inserted) == ["e2", "m1"]
    reported = {(p.line, p.field) for p in report.skipped}
    # n1 is valid alone, but its manager e1 was dropped, so it goes too.
    assert reported == {(3, "email"), (5, "manager_id")}
    why = next(p.message for p in report.skipped if p.field == "manager_id")
    assert why == "'e1' is on line 3, which is invalid (see its error)"


def test_a_reference_to_an_id_in_another_case_or_to_a_name_says_who_was_meant(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [*BASE_ROWS, newcomer(manager_id="M1", exclude="Ada_Okafor")]
    with pytest.raises(ImportFailed) as refused:
        do_import(workspace, write_csv(tmp_path / "p.csv", rows))
    said = {p.field: p.message for p in refused.value.problems}
    assert said["manager_id"] == (
        "'M1' names nobody in the file or the store; did you mean m1 (Ada Okafor)?"
    )
    assert said["exclude"] == "'Ada_Okafor' names nobody in the file or the store"


def test_a_role_in_any_case_is_read(workspace: Workspace, tmp_path: Path) -> None:
    report = do_import(workspace, write_csv(tmp_path / "p.csv", [newcomer(role=" Mentee ")]))
    assert report.inserted == ["n1"] and workspace.store.get("n1").role.value == "mentee"


def test_json_and_jsonl_name_the_line_of_the_bad_record(
    workspace: Workspace, tmp_path: Path
) -> None:
    people = [{**r, "seniority": int(r["seniority"])} for r in BASE_ROWS]
    for person in people:
        for key in ("skills_offered", "skills_wanted"):
            if key in person:
                person[key] = person[key].split(";")
    people[2]["role"] = "boss"
    as_json = tmp_path / "people.json"
    as_json.write_text(json.dumps(people, indent=2))
    with pytest.raises(ImportFailed) as failure:
        do_import(workspace, as_json)
    starts = [n for n, text in enumerate(as_json.read_text().splitlines(), 1) if text == "  {"]
    assert (failure.value.problems[0].line, failure.value.problems[0].field) == (starts[2], "role")
    as_jsonl = tmp_path / "people.jsonl"
    as_jsonl.write_text("\n".join(json.dumps(p) for p in people) + "\n")
    with pytest.raises(ImportFailed) as failure:
        do_import(workspace, as_jsonl)
    assert (failure.value.problems[0].line, failure.value.problems[0].field) == (3, "role")
    people[2]["role"] = "both"
    as_jsonl.write_text("\n".join(json.dumps(p) for p in people) + "\n")
    assert do_import(workspace, as_jsonl).written == 3


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        pytest.param("p.json", '{"id": "x"}', "expected a JSON array", id="json-not-array"),
        pytest.param("p.json", '[{"id": "x"},\n  {"id": ', "invalid JSON", id="json-truncated"),
        pytest.param("p.json", "[1, 2]", "must be a JSON object", id="json-not-objects"),
        pytest.param(
            "p.jsonl", '{"id": "x"}\n{nope}\n', "line 2: invalid JSON", id="jsonl-bad-line"
        ),
        pytest.param(
            "p.json",
            '[{"id": "e9", "name": "E", "email": "e@example.com", "role": '
            '"mentee", "seniority": 2, "skills_wanted": "sql"}]',
            "field 'skills_wanted': Input should be a valid list",
            id="json-list-as-string",
        ),
        pytest.param("p.xlsx", "x", "cannot tell the format", id="unknown-suffix"),
    ],
)
def test_bad_json_files_are_refused(
    workspace: Workspace, tmp_path: Path, name: str, content: str, why: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ImportFailed) as failure:
        do_import(workspace, path)
    assert why in str(failure.value)
    assert workspace.store.count() == 0


def test_an_email_already_held_by_a_stored_person_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    do_import(workspace, write_csv(tmp_path / "a.csv", BASE_ROWS))
    clash = [
        {
            "id": "n1",
            "name": "Nia Shah",
            "email": "Ada@example.com",
            "role": "mentee",
            "seniority": "1",
        }
    ]
    with pytest.raises(ImportFailed, match="already belongs to 'm1'"):
        do_import(workspace, write_csv(tmp_path / "b.csv", clash))
