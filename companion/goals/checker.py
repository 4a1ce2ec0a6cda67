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

from companion.goals.lexicon import COMPLETING, CREDENTIAL, PERSONAL, QUALIFYING
from companion.goals.models import CRITERIA, CriterionCheck, SmartGoal
from companion.goals.slots import GoalSlots, read_slots
from companion.language.grammar import parse

MIN_LEAD_DAYS = 14
# chosen on the dev split (evals/data/goals_dev.jsonl), never the test
RELEVANCE_FLOOR = 0.15
PERSONAL_FLOOR = 0.5


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


# Goals beyond one person in a programme's months ("become CTO", "double revenue").
GRANDIOSE = re.compile(
    r"\b(become|be made|promoted to|get promoted to)\s+(the\s+|an?\s+)?"
    r"(ceo|cto|cfo|coo|vp|director|head)\b"
    r"|\b(land|get|secure|win)\s+(the\s+|a\s+)?([\w-]+\s+){0,2}(director|vp|head of \w+|chief \w+)"
    r"\s+(job|role|post|position)\b"
    r"|\b(double|triple|quadruple|10x)\s+(the\s+|our\s+)?(\w+\s+)?(company|revenue|sales"
    r"|profit|customers|users|clients|members|subscribers|turnover|income|donations)\b|\bfluent\b"
    r"|\b(whole|entire|all)\b.{0,40}\b(on my own|by myself|alone|single-handed)"
    # qualifications that take years: a degree, a licence to fly, every level of an exam
    r"|\b(finish|complete|get|earn|do|obtain|pass)\s+(a |an |my |the )?(full |whole )?"
    r"(part[- ]time |online )?(mba|phd|doctorate|degree|masters|master'?s|msc|ma|bachelor'?s)\b"
    r"|\b(qualify as|become) an? (barrister|solicitor|doctor|surgeon|architect|actuary|vet"
    r"|dentist|pharmacist|chartered \w+)\b"
    # an audience of tens of thousands, won by one person in months
    r"|\b\d{2,3},?000\+? (downloads|users|customers|subscribers|followers|members|visitors)\b"
    r"|\b(qualify as|become) an? (commercial |airline )?pilot\b|\bpilot'?s? licen[cs]e\b"
    # the whole company's network, platform or strategy, redesigned by one person
    r"|\b(redesign|rebuild|transform|overhaul|restructure)\b.{0,40}"
    r"\b(company'?s|organisation'?s|group'?s|global|european|national|worldwide)\b"
    # outcomes a government or parliament decides
    r"|\b(adopted|taken up|passed|enacted)\b.{0,30}\b(national|government|parliament|law)\b"
    r"|\bchange the law\b"
    r"|\ball (\d|three|four|five|six|seven) [\w ]{0,12}(levels|exams|papers|modules)\b",
    re.I,
)
# A language exam or level, and starting from nothing: both together are years of study.
LANGUAGE = re.compile(
    r"\b(french|german|spanish|japanese|mandarin|chinese|italian|arabic|portuguese|korean"
    r"|dutch|polish|russian|jlpt|delf|dalf|dele|hsk|goethe|[bc][12]|n[12])\b",
    re.I,
)
FROM_NOTHING = re.compile(
    r"\b(from zero|from scratch|zero|no prior|none|never (studied|spoken|learned|learnt)"
    r"|complete beginner|starting from nothing)\b",
    re.I,
)


def _slots(goal: SmartGoal, ctx: GoalContext) -> GoalSlots:
    if goal.slots is not None:
        return goal.slots
    slots = read_slots(goal.statement, ctx.today)
    if goal.due_date and not slots.due_date:
        slots.due_date = goal.due_date
    return slots


def _specific(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    slots = _slots(goal, ctx)
    if not slots.action:
        wish = slots.intent or goal.statement
        return CriterionCheck.fail(
            "specific",
            f"'{_short(wish)}' does not say what you will do",
            f"What will you actually do about '{_short(wish)}', and for whom? For example: "
            "present, write, lead or build what?",
        )
    if len(slots.action.split()) < 2:
        return CriterionCheck.fail(
            "specific",
            f"'{slots.action}' does not say what it acts on",
            f"{slots.action.capitalize()} what, and for whom?",
        )
    return CriterionCheck.ok("specific", f"says what will be done: {_short(slots.action)}")


def _measurable(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    slots = _slots(goal, ctx)
    if slots.measure:
        return CriterionCheck.ok("measurable", f"success shows as: {_short(slots.measure)}")
    thing = _short(slots.action or slots.intent or goal.statement)
    return CriterionCheck.fail(
        "measurable",
        "no number and no result others can see",
        f"How will you and your mentor know '{thing}' is done: a number (how many, how "
        "much) or a visible result (signed off, published, presented to someone)?",
    )


def _time_bound(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    due = _slots(goal, ctx).due_date
    if due is None:
        return CriterionCheck.fail(
            "time_bound",
            "no date or duration",
            "By when would you like to do this? The programme runs until "
            f"{ctx.programme_end:%-d %B %Y}.",
        )
    if not ctx.programme_start <= due <= ctx.programme_end:
        return CriterionCheck.fail(
            "time_bound",
            f"{due:%-d %B %Y} is outside the programme "
            f"({ctx.programme_start:%-d %B %Y} to {ctx.programme_end:%-d %B %Y})",
            f"Could you pick a date between {ctx.programme_start:%-d %B %Y} and "
            f"{ctx.programme_end:%-d %B %Y}?",
        )
    return CriterionCheck.ok("time_bound", f"due {due:%-d %B %Y}")


def _achievable(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    slots = _slots(goal, ctx)
    due = slots.due_date
    if due is not None and (due - ctx.today).days < MIN_LEAD_DAYS and due >= ctx.today:
        return CriterionCheck.fail(
            "achievable",
            f"due in under {MIN_LEAD_DAYS} days, little time to practise with a mentor",
            "Is that date realistic alongside your day job, or would a later one work better?",
        )
    if due is not None and due < ctx.today:
        return CriterionCheck.fail(
            "achievable", f"{due:%-d %B %Y} has passed", "Which date ahead of you would work?"
        )
    text = f"{goal.statement} {slots.action}"
    if GRANDIOSE.search(text) or (LANGUAGE.search(text) and FROM_NOTHING.search(text)):
        return CriterionCheck.fail(
            "achievable",
            "more than one person can do in a few months",
            "Which first step of it could you finish within the programme?",
        )
    load = _weekly_load(slots, ctx)
    if load > MAX_PIECES_A_WEEK and due is not None:
        return CriterionCheck.fail(
            "achievable",
            f"about {load:.0f} pieces of work a week until {due:%-d %B}, beside the day job",
            "Which part of it could you finish by then, or which later date would fit?",
        )
    if slots.outcomes >= 3:
        return CriterionCheck.fail(
            "achievable",
            "several outcomes in one goal",
            "Which one of these matters most for this programme? We can keep the others for later.",
        )
    return CriterionCheck.ok("achievable", "one outcome with time to work on it")


MAX_PIECES_A_WEEK = 10  # written pieces one person makes beside the day job
# Pieces of work written or built one by one: "200 articles", "40 product pages".
PIECES = re.compile(
    r"\b(\d[\d,]*)\s+(?:[\w-]+\s+){0,2}(articles?|pages?|chapters?|reports?|guides?|videos?"
    r"|posts?|courses?|modules?|sops?|dashboards?|policies|policy|procedures?|templates?|decks?)\b",
    re.I,
)


def _weekly_load(slots: GoalSlots, ctx: GoalContext) -> float:
    """Pieces of work a week the goal asks to make until its due date (0 when none)."""
    if slots.due_date is None or slots.due_date <= ctx.today or not slots.action:
        return 0.0
    if parse(slots.action)[0].lemma_.lower() not in COMPLETING:
        return 0.0  # moving or filing 200 things is not making them
    counts = [
        int(m[1].replace(",", "")) for m in PIECES.finditer(f"{slots.action} {slots.measure}")
    ]
    weeks = max((slots.due_date - ctx.today).days / 7, 1.0)
    return max(counts, default=0) / weeks


def _relevant(goal: SmartGoal, ctx: GoalContext) -> CriterionCheck:
    slots = _slots(goal, ctx)
    if not ctx.wanted:
        return CriterionCheck.ok("relevant", "no stated skills or goals to compare with")
    if slots.serves and any(
        slots.serves.casefold() in w.casefold() or w.casefold() in slots.serves.casefold()
        for w in ctx.wanted
    ):
        return CriterionCheck.ok("relevant", f"serves {slots.serves}")
    purpose = PURPOSE.search(goal.statement)  # "so i can run site on my own"
    parts = (slots.action or slots.intent, slots.measure, slots.serves, purpose and purpose["why"])
    text = " ".join(x for x in parts if x) or goal.statement
    unconnected = CriterionCheck.fail(
        "relevant",
        "not connected to your stated skills or goals",
        f"Which of what you want to grow does this serve: {', '.join(ctx.wanted[:3])}?",
    )

    def close_enough(floor: float) -> bool:  # the encoder, only where the words cannot decide
        return ctx.similarity is not None and _closeness(text, ctx.wanted, ctx.similarity) >= floor

    if PERSONAL.search(goal.statement) and not any(PERSONAL.search(w) for w in ctx.wanted):
        # life outside work counts only when plainly about a wanted skill
        if close_enough(PERSONAL_FLOOR):
            return CriterionCheck.ok("relevant", "close in meaning to what you want to grow")
        return unconnected
    if CREDENTIAL.search(f"{goal.statement} {slots.measure}") and any(
        QUALIFYING.search(w) for w in ctx.wanted
    ):
        return CriterionCheck.ok("relevant", "a qualification, which you want to gain")
    if stems(text) & set().union(*(stems(w) for w in ctx.wanted)):
        return CriterionCheck.ok("relevant", "shares terms with what you want to grow")
    if close_enough(RELEVANCE_FLOOR):
        return CriterionCheck.ok("relevant", "close in meaning to what you want to grow")
    return unconnected


# Why the goal is wanted, when it says: "so I can run site on my own".
PURPOSE = re.compile(
    r"\b(so (that )?(i|we)( can| could| will|'ll| am|'m)?|in order to|to be able to)\b(?P<why>.+)$",
    re.I,
)


def _closeness(
    text: str, wanted: list[str], similarity: Callable[[str, list[str]], float]
) -> float:
    """How close a goal is to what the mentee wants: the mean of the whole goal's
    similarity and its closest noun phrase's ("a csat dashboard" to "reporting"). The
    phrase finds a topic a long sentence dilutes; the whole keeps one shared word in
    another sense ("CI pipeline", "sales pipeline") from deciding alone."""
    phrases = [c.text for c in parse(text).noun_chunks if len(c.text) > 3]
    whole = similarity(text, wanted)
    closest = max((similarity(p, wanted) for p in phrases), default=whole)
    return (whole + closest) / 2


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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
