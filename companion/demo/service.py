"""`mentorkit demo`: generate the organisation, write its CSV, import it, summarise."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from companion.demo.history import demo_programme, simulate_history
from companion.demo.organisation import generate_organisation
from companion.demo.outcomes import write_demo_outcomes
from companion.guides import GuideLibrary
from companion.imports import ImportReport, import_people
from companion.imports.formats import write_people_csv
from companion.models import Person, Programme, Role
from companion.workspace import Workspace


@dataclass
class DemoSummary:
    csv_path: Path
    report: ImportReport
    programme: Programme
    people: int
    roles: dict[str, int]
    departments: dict[str, int]
    offices: dict[str, int]
    mentor_places: int
    mentees: int
    top_wanted: list[tuple[str, int]]
    embedded: int
    cache_hits: int
    seconds: float
    history: dict[str, int]


def run_demo(
    workspace: Workspace, size: int | None = None, seed: int | None = None, history: bool = False
) -> DemoSummary:
    """Build the demo organisation into the workspace's store and say what it holds."""
    started = time.perf_counter()
    settings = workspace.settings
    size = size or settings.demo.people
    seed = settings.demo.seed if seed is None else seed
    organisation = generate_organisation(size, seed)
    csv_path = settings.data_dir / "demo" / "people.csv"
    write_people_csv(organisation.people, csv_path, settings.imports.list_separator)
    report = import_people(
        csv_path,
        workspace.store,
        workspace.embedder,
        settings=settings.imports,
        today=settings.current_date(),
    )
    programme = organisation.programme
    if history:  # a programme that started weeks ago, lived in since
        programme = demo_programme(programme.name, settings.current_date())
    workspace.store.set_programme(programme)
    GuideLibrary(workspace).table()  # the starter guides, embedded now rather than at a first /ask
    stats = workspace.embedder.stats
    lived: dict[str, int] = {}
    if history and not workspace.ledger.events():  # a second run keeps the first's history
        lived = simulate_history(workspace, seed, settings.current_date())
        lived |= write_demo_outcomes(workspace, seed, csv_path.parent)
    return _summarise(
        organisation.people,
        csv_path,
        report,
        programme,
        stats.encoded,
        stats.cache_hits,
        time.perf_counter() - started,
        lived,
    )


def _summarise(
    people: list[Person],
    csv_path: Path,
    report: ImportReport,
    programme: Programme,
    embedded: int,
    cache_hits: int,
    seconds: float,
    history: dict[str, int],
) -> DemoSummary:
    mentees = [p for p in people if p.role.mentees]
    wanted = Counter(phrase for p in mentees for phrase in p.skills_wanted)
    return DemoSummary(
        csv_path=csv_path,
        report=report,
        programme=programme,
        people=len(people),
        roles=dict(Counter(p.role.value for p in people)),
        departments=dict(Counter(p.department for p in people).most_common()),
        offices=dict(Counter(p.location for p in people).most_common()),
        mentor_places=sum(p.capacity for p in people if p.role in (Role.MENTOR, Role.BOTH)),
        mentees=len(mentees),
        top_wanted=wanted.most_common(5),
        embedded=embedded,
        cache_hits=cache_hits,
        seconds=seconds,
        history=history,
    )
