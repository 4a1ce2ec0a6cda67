"""The fairness audit on a programme counted by hand, the small-group rule, the statistics
it rests on, and attributes kept apart from everything but the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.goals import GoalContext, draft_smart_goal
from companion.imports import ImportFailed, import_people
from companion.llm import LLMGateway
from companion.llm.fake import FakeChatModel
from companion.matching import Matcher, MatchReview
from companion.models import Profile, Viewer
from companion.outcomes.attributes import Attributes, NotAllowed
from companion.outcomes.fairness import HIDDEN, OTHER, audit, fold_small
from companion.outcomes.metrics import programme_metrics
from companion.outcomes.stats import excludes_zero, interval, permutation_p, rate_interval
from companion.settings import Settings
from companion.workspace import Workspace
from embeddings.fake import HashingEncoder
from tests.conftest import write_csv

COORDINATOR = Viewer(role=Profile.COORDINATOR)


def mentee(pid: str, department: str) -> dict[str, str]:
    return {"id": pid, "name": f"Mentee {pid.upper()}", "email": f"{pid}@example.com",
            "role": "mentee", "seniority": "2", "department": department,
            "skills_wanted": "budgeting"}  # fmt: skip


# Sales 6 mentees (5 matched), Ops 6 (1 matched), Legal 2 (both matched), HR 1 (none)
GROUPS = {"Sales": (6, 5), "Ops": (6, 1), "Legal": (2, 2), "HR": (1, 0)}


@pytest.fixture
def org(isolated_data: Path, workspace: Workspace) -> Workspace:
    rows = [{"id": "boss", "name": "Mo Reyes", "email": "mo@example.com", "role": "mentor",
             "seniority": "5", "capacity": "20", "skills_offered": "budgeting"}]  # fmt: skip
    matched = []
    for group, (size, paired) in GROUPS.items():
        for i in range(size):
            pid = f"{group.lower()}{i}"
            rows.append(mentee(pid, group))
            if i < paired:
                matched.append(pid)
    import_people(write_csv(isolated_data / "p.csv", rows), workspace.store, workspace.embedder)
    for pid in matched:
        MatchReview(Matcher(workspace)).override(pid, "boss", by="Cora", reason="test")
    return workspace


def test_matched_rate_and_its_gap_per_group(org: Workspace) -> None:
    table = audit(org, "Department")  # any case
    rows = {r["group"]: r for r in table["groups"]}
    assert list(rows) == ["Sales", OTHER]  # Legal 2 + HR 1 is under 5: Ops (6) joins them
    sales = rows["Sales"]["matched_rate"]
    assert (sales["value"], sales["n"], sales["gap"]) == (0.8333, 6, 0.5)  # 5/6 vs 3/9
    other = rows[OTHER]["matched_rate"]
    assert (rows[OTHER]["wanting"], other["value"], other["gap"]) == (9, 0.3333, -0.5)
    assert other["interval"][0] < other["gap"] < other["interval"][1]
    assert other["flagged"] == excludes_zero(tuple(other["interval"]))


def test_small_groups_cannot_be_worked_out_by_subtraction(org: Workspace) -> None:
    rows = {r["group"]: r for r in audit(org, "department")["groups"]}
    assert "Legal" not in rows and "HR" not in rows and "Ops" not in rows
    text = CliRunner().invoke(app, ["fairness", "--by", "department"]).output
    assert "Legal" not in text and "HR" not in text and f"{OTHER}: 9 mentees" in text
    # a measure over fewer than 5 (other's 3 matched mentees' scores) is not shown, and
    # neither is Sales' (the overall mean minus Sales' would give other's) nor any gap
    assert rows[OTHER]["mean_score"] == {"value": None, "n": "<5", "gap": None,
                                         "interval": None, "flagged": False}  # fmt: skip
    assert rows["Sales"]["mean_score"]["value"] is None
    assert rows["Sales"]["mean_score"]["n"] == HIDDEN and rows["Sales"]["mean_score"]["gap"] is None
    assert rows["Sales"]["matched_rate"]["value"] == 0.8333  # over 6 and 9 people: shown
    assert fold_small({"a": "X", "b": "X", "c": "Y"}) == {"a": OTHER, "b": OTHER, "c": OTHER}
    assert fold_small({**{f"p{i}": "Big" for i in range(7)}, "q": "Tiny"})["q"] == OTHER
    assert set(fold_small({**{f"p{i}": "Big" for i in range(7)}, "q": "Tiny"}).values()) == {OTHER}


def test_groups_by_an_attribute_only_a_coordinator_reads(
    org: Workspace, isolated_data: Path
) -> None:
    rows = [{"person_id": f"sales{i}", "cohort_band": "A"} for i in range(6)]
    rows += [{"person_id": f"ops{i}", "cohort_band": "B"} for i in range(6)]
    path = write_csv(isolated_data / "attrs.csv", rows)
    attributes = Attributes(org.settings.store_dir)
    attributes.import_file(path, org.store.people())
    groups = {r["group"]: r for r in audit(org, "cohort_band")["groups"]}
    assert groups["B"]["matched_rate"]["value"] == 0.1667
    assert "A" not in groups and groups[OTHER]["wanting"] == 9  # 3 without a band, and A
    with pytest.raises(NotAllowed):
        attributes.read(Viewer(person_id="sales0", role=Profile.MENTEE))
    unknown = CliRunner().invoke(app, ["fairness", "--by", "band"])
    assert unknown.exit_code == 1 and "no attribute 'band'" in unknown.output


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([{"person_id": "nobody", "band": "A"}], "person_id", "no person with id 'nobody'"),
        ([{"person_id": "sales0", "band": "x\x1b[2J"}], "band", "control character"),
        ([{"person_id": "sales0", "band": "A" * 201}], "band", "at most 200"),
        (
            [{"person_id": "sales0", "band": "A"}, {"person_id": "sales0", "band": "B"}],
            "person_id",
            "also on line 2",
        ),  # fmt: skip
        ([{"person_id": "sales0", "department": "A"}], "department", "profile field"),
        ([{"person_id": "sales0", "Band Name": "A"}], "Band Name", "lower-case"),
    ],
)
def test_a_bad_attributes_file_names_the_row_and_field_and_writes_nothing(
    org: Workspace, isolated_data: Path, rows: list[dict], field: str, message: str
) -> None:
    attributes = Attributes(org.settings.store_dir)
    first = write_csv(isolated_data / "ok.csv", [{"person_id": "ops0", "band": "B"}])
    attributes.import_file(first, org.store.people())
    with pytest.raises(ImportFailed) as caught:
        attributes.import_file(write_csv(isolated_data / "bad.csv", rows), org.store.people())
    assert any(p.field == field and message in p.message for p in caught.value.problems)
    assert attributes.read(COORDINATOR) == {"ops0": {"band": "B"}}  # as before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"person_id": "ops0", "band": {"x": [1, 2]}}]', "a list or object is not"),
        ('[{"person_id": "ops0", "band": NaN}]', "not a finite number"),
        ('[{"person_id": "ops0", "band": ' + "9" * 40 + "}]", "a number of 40 digits"),
    ],
)
def test_odd_json_attribute_values_are_refused(
    org: Workspace, isolated_data: Path, text: str, message: str
) -> None:
    path = isolated_data / "a.data"
    path.write_text(text)
    with pytest.raises(ImportFailed, match=message):
        Attributes(org.settings.store_dir).import_file(path, org.store.people(), fmt="json")


class SpyEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts)


def test_attribute_values_never_reach_the_encoder_a_model_or_a_profile(
    org: Workspace, isolated_data: Path
) -> None:
    secret = "zq-heritage-7731"
    path = write_csv(isolated_data / "a.csv", [{"person_id": f"ops{i}", "band": secret}
                                               for i in range(6)])  # fmt: skip
    runner = CliRunner()
    assert runner.invoke(app, ["attributes", "import", str(path)]).exit_code == 0
    encoder, local, general = SpyEncoder(), FakeChatModel(local=True), FakeChatModel(local=False)
    gateway = LLMGateway(Settings().llm, local=local, general=general)
    spied = Workspace(Settings(), gateway=gateway, encoder=encoder)
    spied.embedder.cache = None  # every text reaches the encoder
    changed = mentee("ops1", "Ops") | {"goals": "Own the quarterly budget", "title": "Analyst"}
    import_people(write_csv(isolated_data / "p2.csv", [changed]), spied.store, spied.embedder)
    matcher = Matcher(spied)
    matcher.suggest("ops1")
    matcher.cohort()
    audit(spied, "band")
    programme_metrics(spied)
    start = dt.date(2027, 1, 11)
    context = GoalContext(start, start, start + dt.timedelta(days=160), wanted=["budgeting"])
    draft_smart_goal(
        "Present a monthly budget variance report to my finance team by 30 April 2027",
        context,
        gateway,
    )
    sent = [str(m) for model in (local, general) for r in model.history for m in r.messages]
    assert encoder.seen and sent  # both were used, so a leak would have shown
    assert not any(secret in text for text in encoder.seen + sent)
    assert not any(secret in p.model_dump_json() for p in spied.store.people())
    assert runner.invoke(app, ["attributes", "list"]).output == "band: 6 people\n"


def test_newcombe_interval_matches_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80
    found = rate_interval([1.0] * 56 + [0.0] * 14, [1.0] * 48 + [0.0] * 32)
    assert found is not None and (round(found[0], 4), round(found[1], 4)) == (0.0524, 0.3339)


def test_bootstrap_and_permutation_see_a_real_difference_and_not_a_null_one() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(1.0, 1.0, 60), rng.normal(0.0, 1.0, 60)
    assert excludes_zero(interval(a, b)) and (permutation_p(a, b) or 1) < 0.01
    same = rng.normal(0.0, 1.0, 60)
    assert not excludes_zero(interval(b, same)) and (permutation_p(b, same) or 0) > 0.05
    assert interval([1.0], [2.0, 3.0]) is None  # too few to say
