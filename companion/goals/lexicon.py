"""The words the goal reader knows: which verbs wish, which name no action, which make
a thing, which show a result, and which words count. Chosen on the goals dev split."""

from __future__ import annotations

import re

# Verbs that wish rather than act: the action is what they govern ("want to present").
WISHING = frozenset(
    {
        "want",
        "need",
        "like",
        "love",
        "hope",
        "hoping",
        "try",
        "plan",
        "aim",
        "wish",
        "would",
        "wanna",
        "have",
        "intend",
        "mean",
        "start",
        "begin",
        "keep",
        "continue",
        "ask",
        "let",
    }
)
# Verbs that name no action of their own ("get better at", "improve my SQL").
VAGUE = frozenset(
    {
        "improve",
        "better",
        "be",
        "become",
        "learn",
        "work",
        "develop",
        "grow",
        "understand",
        "focus",
        "brush",
        "enhance",
        "boost",
        "know",
        "feel",
        "gain",
        "level",
        "upskill",
        "strengthen",
        "sharpen",
        "polish",
        "explore",
        "think",
        "look",
        "practice",
        "practise",
        "study",
        "read",
        "get",
        "go",
        "stop",
    }
)
# Verbs of getting better at something: what they govern is the skill, not a doing.
IMPROVING = frozenset(
    {"improve", "better", "learn", "develop", "understand", "grow", "enhance", "strengthen"}
    | {"sharpen", "know", "polish", "brush"}
)
# Verbs whose doing is a result others can see ("pass the exam", "land the contract").
ACHIEVING = frozenset({"pass", "land", "win", "secure", "qualify"})
# Outcomes that are someone else's decision: "get promoted" is a result, not an action.
OTHERS_DECIDE = frozenset(
    {"promoted", "noticed", "recognised", "recognized", "seen", "heard", "picked", "chosen"}
)
# A doing with no amount: "chair the huddle sometimes", "present more".
VAGUE_AMOUNT = re.compile(
    r"\b(better|more|good|well|best|sometimes|occasionally|now and then|when i can|a bit"
    r"|more often|here and there|if i can|where possible)\b",
    re.I,
)
# Success as a feeling, seen by nobody else: "run some simulations and get a feel for FEA".
FEELING = re.compile(
    r"\b(get a feel|feel (more |a lot more |much more )?(confident|comfortable|ready|sure|at ease)"
    r"|understand (it|them|this|that)?\s*(properly|better|fully)|get my head (a)?round"
    r"|get the hang of)\b",
    re.I,
)
# Life outside work: a goal about one's family, home, money, hobby or a social event serves
# a workplace skill only when it is plainly about it ("run the charity quiz" for "events").
PERSONAL = re.compile(
    r"\b(my|our|me and my) (\w+ )?(son|daughter|kids|children|boys|girls|wife|husband|partner"
    r"|family|mum|mom|dad|parents|car|house|home|flat|garden|dog|cat|pension|mortgage|wedding|holiday)\b"
    r"|\b(my own|personal) (leave|holiday|blog|website|finances|budget|project|savings)\b"
    r"|\b(household|hobby|gym|marathon|sourdough|caffeine|duolingo|airfix|bbq|barbecue)\b"
    r"|\b(quiz night|bake sale|fun run|5 ?a ?side|five a side|pub quiz|night out)\b"
    r"|\b(summer|christmas|xmas|festive|team|office|lab'?s?) (social|party|do)\b",
    re.I,
)
# Goals whose result is a credential, and wants that name getting one.
CREDENTIAL = re.compile(
    r"\b(pass(ed)?|exams?|cert|certificate|certification|course|licen[cs]e|qualif\w*|diploma"
    r"|accredit\w*)\b",
    re.I,
)
QUALIFYING = re.compile(
    r"\b(qualif|certif|accredit|chartered|chartership|exams?\b|licen[cs])", re.I
)
# Things one earns that others can check ("my PMP cert", "green belt").
CREDENTIALS = frozenset(
    {
        "cert",
        "certs",
        "belt",
        "licence",
        "license",
        "badge",
        "diploma",
        "qualification",
        "accreditation",
        "chartership",
    }
)
# Words of an observable result: a thing others can see happen.
RESULT_WORDS = CREDENTIALS | frozenset(
    {
        "sign",
        "signed",
        "signoff",
        "sign-off",
        "approve",
        "approved",
        "approval",
        "publish",
        "published",
        "launch",
        "launched",
        "live",
        "ship",
        "shipped",
        "pass",
        "passed",
        "certify",
        "certified",
        "certification",
        "certificate",
        "accept",
        "accepted",
        "merge",
        "merged",
        "adopt",
        "adopted",
        "deploy",
        "deployed",
        "release",
        "released",
        "rate",
        "rating",
        "score",
        "competency",
        "qualified",
        "booked",
        "hired",
        "closed",
        "submitted",
        "reviewed",
        "present",
        "presented",
        "presentation",
        "talk",
        "demo",
        "run",
        "runs",
        "exam",
        "go-live",
        "rolled",
        "production",
        "prod",
        "delivered",
        "sent",
        "award",
        "awarded",
        "graded",
        "promoted",
        "promotion",
        "interviewed",
        "featured",
        "finished",
        "completed",
    }
)
# Verbs whose doing, for an audience, is itself the observable result ("present X to Y").
DELIVERING = frozenset(
    {
        "present",
        "deliver",
        "run",
        "lead",
        "chair",
        "facilitate",
        "host",
        "teach",
        "give",
        "pitch",
        "demo",
        "publish",
        "launch",
        "ship",
        "submit",
        "pass",
        "send",
        "hold",
        "train",
    }
)
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "last", "next"})
# Verbs that make or finish a thing: done, the thing shows ("build a dashboard for ops").
COMPLETING = frozenset(
    {
        "build",
        "write",
        "rewrite",
        "create",
        "draft",
        "finish",
        "complete",
        "finalise",
        "finalize",
        "publish",
        "launch",
        "ship",
        "send",
        "share",
        "submit",
        "pass",
        "qualify",
        "present",
        "deliver",
        "run",
        "lead",
        "host",
        "teach",
        "migrate",
        "automate",
        "climb",
        "design",
        "document",
        "produce",
        "record",
        "organise",
        "organize",
        "hire",
        "book",
        "close",
        "certify",
        "earn",
        "obtain",
        "release",
        "deploy",
        "implement",
        "set",
        "map",
    }
)
NUMBER_WORDS = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "dozen",
        "half",
        "once",
        "twice",
        "double",
        "triple",
        "every",
        "weekly",
        "monthly",
        "daily",
    }
)
