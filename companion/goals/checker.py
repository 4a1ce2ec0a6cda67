"""The deterministic SMART checker: per criterion, pass, or why not and what to ask.

It judges the goal's one-sentence statement and due date, not the model's opinion of
them, so a goal passes the same checks whichever model drafted it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from companion.goals.models import CRITERIA, CriterionCheck, SmartGoal

VAGUE = re.compile(
    r"\b(get(ting)? better at|improve|be better|be more|become more|work on|learn (more )?about"
    r"|develop my|grow my|get good at|enhance|boost|brush up|focus on|understand|know more)\b",
    re.I,
)
CONCRETE = re.compile(
    r"\b(present|deliver|lead|run|write|publish|complete|build|ship|launch|mentor|coach|"
    r"negotiate|pass|obtain|earn|facilitate|organi[sz]e|design|host|teach|submit|close|hire|"
    r"chair|draft|create|automate|migrate|analy[sz]e|prepare|speak|give|train|finish|"
    r"release|implement|document|reduce|increase|cut|grow \w+ by|raise)\w*\b",
    re.I,
)
NUMBER = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*%?|\b(zero|no more than|at least|two|three|four|five|six|seven"
    r"|eight|nine|ten|twelve|twenty|once|twice|weekly|monthly|every (?:week|month|sprint))\b",
    re.I,
)
OBSERVABLE = re.compile(
    r"\b(sign-?off|signed off|approved|certificat\w+|published|launched|delivered|presented|"
    r"completed|shipped|passed|accepted|feedback score|rating|review(?:ed)? by)\b|"
    r"\b(present|deliver|publish|launch|ship|pass|complete|submit|run|lead|chair|give|host|"
    r"teach)\w*\b.{0,60}\b(to|at|for|in front of)\b",
    re.I,
)
MIN_LEAD_DAYS = 14
RELEVANCE_FLOOR = 0.3


@dataclass
class GoalContext:
    """What a goal is judged against: today, the programme, what the mentee wants."""

    today: dt.date
    programme_start: dt.date
    programme_end: dt.date
    wanted: list[str] = field(default_factory=list)  # skills wanted and goals text
    similarity: Callable[[str, list[str]], float] | None = None  # best cosine to `wanted`


def embedding_similarity(
    embed: Callable[[list[str]], np.ndarray],
) -> Callable[[str, list[str]], float]:
    """A similarity function from an embedder: the best cosine of a text to any target."""

    def best(text: str, targets: list[str]) -> float:
        vectors = embed([text, *targets])
        return float((vectors[1:] @ vectors[0]).max()) if targets else 0.0

    return best


STOPWORDS = frozenset(
    (
        "want",
        "would",
        "like",
        "with",
        "that",
        "this",
        "from",
        "into",
        "them",
        "they",
        "their",
        "have",
        "will",
        "more",
        "better",
        "what",
        "when",
        "your",
        "about",
        "make",
        "some",
        "over",
    )
)


def stems(text: str) -> set[str]:
    """Content words cut to five letters: 'presenting' and 'presentation' meet."""
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOPWORDS}


def _specific(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    words = goal.statement.split()
    if len(words) < 6:
        return CriterionCheck.fail(
            "specific",
            "too short to say what will be done",
            "What exactly will you do, and where or for whom?",
        )
    if not VAGUE.search(goal.statement) and not CONCRETE.search(goal.statement):
        return CriterionCheck.fail(
            "specific",
            "does not say what you will do",
            "What will you do? For example: present, lead, write or deliver what, and for whom?",
        )
    # "get better at presenting": the object of a vague verb is no action of its own.
    rest = re.sub(VAGUE.pattern + r"\s+\w+", " ", goal.statement, flags=re.I)
    found = VAGUE.search(goal.statement)
    if found and not CONCRETE.search(rest):
        vague = found[0]
        return CriterionCheck.fail(
            "specific",
            f"'{vague}' alone does not say what you will do",
            "What will you actually do to show it? For example: present what, to whom; "
            "lead which meeting; write which document?",
        )
    return CriterionCheck.ok("specific", "says what will be done")


def _measurable(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    if NUMBER.search(goal.statement) or OBSERVABLE.search(goal.statement):
        return CriterionCheck.ok("measurable", "has a quantity or an observable result")
    return CriterionCheck.fail(
        "measurable",
        "no quantity and no observable result",
        "How will you and your mentor know it is done: what number, or what visible result "
        "(a talk given, a document signed off)?",
    )


def _time_bound(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    if goal.due_date is None:
        return CriterionCheck.fail(
            "time_bound",
            "no date or duration",
            "By when would you like to do this? The programme runs until "
            f"{ctx.programme_end:%d %B %Y}.",
        )
    if not ctx.programme_start <= goal.due_date <= ctx.programme_end:
        return CriterionCheck.fail(
            "time_bound",
            f"{goal.due_date} is outside the programme "
            f"({ctx.programme_start} to {ctx.programme_end})",
            f"Could you pick a date between {ctx.programme_start:%d %B} and "
            f"{ctx.programme_end:%d %B %Y}?",
        )
    return CriterionCheck.ok("time_bound", f"due {goal.due_date}")


def _achievable(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    if goal.due_date is not None and (goal.due_date - ctx.today).days < MIN_LEAD_DAYS:
        return CriterionCheck.fail(
            "achievable",
            f"due in under {MIN_LEAD_DAYS} days, little time to practise with a mentor",
            "Is that date realistic alongside your day job, or would a later one work better?",
        )
    targets = len(re.findall(r"\band\b|,", goal.statement))
    if targets >= 4:
        return CriterionCheck.fail(
            "achievable",
            "several outcomes in one goal",
            "Which one of these matters most for this programme? We can keep the others for later.",
        )
    return CriterionCheck.ok("achievable", "one outcome with time to work on it")


def _relevant(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    if not ctx.wanted:
        return CriterionCheck.ok("relevant", "no stated skills or goals to compare with")
    if stems(goal.statement) & set().union(*(stems(w) for w in ctx.wanted)):
        return CriterionCheck.ok("relevant", "shares terms with what you want to grow")
    if ctx.similarity is not None and ctx.similarity(goal.statement, ctx.wanted) >= RELEVANCE_FLOOR:
        return CriterionCheck.ok("relevant", "close in meaning to what you want to grow")
    return CriterionCheck.fail(
        "relevant",
        "not connected to your stated skills or goals",
        f"How does this connect to what you want to grow toward ({', '.join(ctx.wanted[:3])})?",
    )


CHECKS = {
    "specific": _specific,
    "measurable": _measurable,
    "achievable": _achievable,
    "relevant": _relevant,
    "time_bound": _time_bound,
}
assert tuple(CHECKS) == CRITERIA


def check_smart(goal: SmartGoal, ctx: GoalContext) -> list[CriterionCheck]:
    """One check per SMART criterion, in order."""
    return [CHECKS[name](goal, ctx) for name in CRITERIA]
