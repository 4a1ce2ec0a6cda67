"""A goal as slots, read from the mentee's words by code, and the sentence composed from them.

- action: what will be done, a verb and what it acts on ("present the Q1 results to the
  board"); `intent` keeps a vague wish ("get better at finance") when there is no action;
- measure: how success is observed, a number with what it counts ("3 talks", "from 25%
  to 40%") or an observable result ("signed off by legal", "merged to prod");
- due: the deadline, resolved to a date (companion.language.dates);
- serves: which wanted skill or stated goal it serves.

Reading uses spaCy (companion.language.grammar's pipeline) for verbs and numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from companion.goals.lexicon import (
    COMPLETING,
    CREDENTIALS,
    DELIVERING,
    NUMBER_WORDS,
    ORDINALS,
    OTHERS_DECIDE,
    RESULT_WORDS,
    VAGUE,
    VAGUE_AMOUNT,
    WISHING,
)
from companion.language import dates
from companion.language.grammar import parse


class GoalSlots(BaseModel):
    action: str = ""
    intent: str = ""  # a vague wish, kept to ask about it in the mentee's own words
    measure: str = ""
    due_text: str = ""
    due_date: dt.date | None = None
    serves: str = ""
    outcomes: int = 0  # separate actions named (several outcomes in one goal)
    measure_is_action: bool = False  # the thing made is the result ("build a dashboard")
    rest: str = ""  # the words besides the date, as read


def _preposition_start(text: str, start: int) -> int:
    """Where a date's phrase begins, its preposition included ("within", "by the")."""
    found = re.search(
        r"(?:\b(?:by|before|within|in|on|until|till|for|at|b4)\s+(?:the\s+)?(?:next\s+)?)$",
        text[:start],
        re.I,
    )
    return found.start() if found else start


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–.!?")
    return re.sub(r"\s+(and|or|so|but|to|by|before|in|at|for|with|w|&|\+)$", "", text, flags=re.I)


def _numbers(doc: Any) -> list[str]:
    """Numbers with what they count ("3 talks", "25%", "£40k"); years and dates left out."""
    found = []
    for token in doc:
        if token.text == "%" or not (token.like_num or token.lower_ in NUMBER_WORDS):
            continue
        if token.lower_ in ORDINALS or token.tag_ == "JJ":
            continue  # "my first PR": an order, not a quantity
        if (
            not token.like_num
            and token.dep_ != "nummod"
            and token.lower_ not in NUMBER_WORDS - {"one"}
        ):
            continue  # "the old one": a pronoun
        if token.text.isalpha() and token.head.pos_ == "PROPN" and token.head.i > token.i:
            continue  # "six sigma": a name, not a count
        if re.fullmatch(r"(19|20)\d\d", token.text):
            continue  # a year ("claims from 2026"): part of a date, not a measure
        head = token.head
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head  # "10 minute slot": the whole noun
        counted = head.pos_ == "NOUN" and head.i > token.i and head.i - token.i <= 4
        phrase = doc[token.i : head.i + 1].text if counted else token.text
        if token.i + 1 < len(doc) and doc[token.i + 1].text == "%":
            phrase = doc[token.i : token.i + 2].text
        found.append(phrase)
    return found


def _results(doc: Any) -> list[str]:
    found = []
    for token in doc:
        verb = token.pos_ in ("VERB", "AUX") and token.tag_ not in ("VBN", "VBD")
        if token.lower_ in RESULT_WORDS and (not verb or _by_someone_else(token)):
            # "signed off", "a talk", "get the FD to approve it"; not "presenting"
            if token.lower_ in CREDENTIALS:  # the whole name: "lean six sigma green belt"
                words = [t.text for t in doc[token.left_edge.i : token.i + 1] if t.dep_ != "poss"]
                found.append(" ".join(w for w in words if w.lower() not in ("a", "an", "the")))
            else:
                found.append(doc[token.i : min(len(doc), token.i + 4)].text)
    return found


_SELF = frozenset({"i", "we", "me", "myself", "us", "ourselves"})


def _by_someone_else(verb: Any) -> bool:
    """A result verb another person does ("get the FD to approve it", "want my mgr to
    rate me"): their doing it is what others can see."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "xcomp":
        subjects += [c for c in verb.head.children if c.dep_ == "dobj"]
    return any(s.pos_ in ("NOUN", "PROPN") and s.lower_ not in _SELF for s in subjects)


def _is_wish_object(verb: Any) -> bool:
    """A verb that is the object of a vague wish ("better at handling", "learn about
    managing"), or inside a purpose clause ("... so I stop nodding along")."""
    for ancestor in verb.ancestors:
        if ancestor.dep_ == "advcl" or any(
            c.lower_ in ("so", "because") for c in ancestor.children if c.dep_ == "mark"
        ):
            return True
        if ancestor.lower_ in ("at", "about", "on", "with") and any(
            a.lemma_.lower() in VAGUE for a in ancestor.ancestors
        ):
            return True
    return verb.dep_ == "advcl" and any(c.lower_ in ("so", "because") for c in verb.children)


def _wanted_done(wish: Any) -> Any | None:
    """ "want the induction checklist done": the state verb of a wished-for thing that the
    mentee completes (done, finished, written, live), else None."""
    for state in _states(wish):
        if state.lemma_.lower() in COMPLETING | {"do"} and _wished_thing(state) is not None:
            return state
    return None


def _states(wish: Any) -> list[Any]:
    things = [c for c in wish.children if c.dep_ == "dobj"]
    near = [*wish.children, *(things[0].subtree if things else ())]  # "done" hangs on either
    return [t for t in near if t.tag_ == "VBN" and t.dep_ in _STATE_DEPS]


_STATE_DEPS = ("ccomp", "xcomp", "oprd", "advcl", "acl")


def _wished_thing(state: Any) -> Any | None:
    """The thing a wished-for state is of: "want [the checklist] done"."""
    wish = next((a for a in state.ancestors if a.lemma_.lower() in WISHING), None)
    if wish is None:
        return None
    objects = [c for c in wish.children if c.dep_ == "dobj" and c.i < state.i]
    subjects = [c for c in state.children if c.dep_ in ("nsubj", "nsubjpass")]
    found = [t for t in objects + subjects if t.pos_ in ("NOUN", "PROPN")]
    return found[0] if found else None


def _someone_else_does(verb: Any) -> bool:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.lower_ in OTHERS_DECIDE and any(c.dep_ == "auxpass" for c in verb.children):
        return True  # "get promoted": done to the mentee
    return any(s.pos_ in ("NOUN", "PROPN", "NUM") and s.lower_ not in _SELF for s in subjects)


def _concrete_go(verb: Any) -> bool:
    """ "go through the forecast model with FP&A", "go to the gym": go somewhere or over
    something is a thing done; "go further" is not."""
    if verb.lemma_.lower() != "go":
        return False
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("through", "over", "to")
        and any(g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") for g in c.children)
        for c in verb.children
    )


def _concrete_get(verb: Any) -> bool:
    """ "get legal to sign it off", "get lean six sigma green belt": get + a thing or a
    result is an action; "get better at" is not."""
    if verb.lemma_.lower() != "get":
        return False
    if any(c.lower_ in CREDENTIALS for c in verb.subtree):
        return True  # "get lean six sigma green belt", "get my PMP cert"
    if any(c.dep_ == "acomp" for c in verb.children):
        return False  # "get comfortable presenting": a feeling, not a thing done
    if any(c.lower_ in OTHERS_DECIDE for c in verb.children):
        return False  # "get promoted", "get noticed": someone else's decision
    objects = [c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp", "oprd")]
    return any(o.pos_ in ("NOUN", "PROPN", "VERB") and o.lower_ not in VAGUE for o in objects)


def _action(doc: Any) -> tuple[str, str, int]:
    """(action, vague intent, number of separate actions) from the main verbs."""
    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
    concrete: list[Any] = []
    intent = ""
    for verb in verbs:
        lemma = verb.lemma_.lower()
        if verb.i < 2 and verb.lower_ in ("will",):
            continue
        if lemma in WISHING:
            done = _wanted_done(verb)
            if done is not None and not concrete:  # "want the checklist done by..."
                concrete.append(done)
            continue  # "want to present", "aiming for 'effective'": the wish is no action
        if verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
            continue  # "3 of my concepts picked up": an outcome, not something done
        if _someone_else_does(verb):
            continue  # "my pivot tables r a mess": not the mentee's doing
        if (lemma in VAGUE or verb.lower_ in VAGUE) and not (
            _concrete_get(verb) or _concrete_go(verb)
        ):
            intent = intent or _clean(doc[verb.i : verb.right_edge.i + 1].text)
            continue
        if _is_wish_object(verb) and not (verb.head.lower_ == "by" and verb.tag_ == "VBG"):
            continue
        if concrete and any(a.i == concrete[0].i for a in verb.ancestors) and verb.dep_ != "conj":
            continue  # inside the first action ("get legal to sign it off")
        if not any(c.dep_ in _ACTS_ON for c in verb.children):
            intent = intent or _clean(doc[verb.i : verb.right_edge.i + 1].text)
            continue  # "network more": a verb that acts on nothing names no action
        concrete.append(verb)
    if not concrete:
        return "", intent or _clean(doc.text), 0
    first = concrete[0]
    thing = _wished_thing(first) if first.tag_ == "VBN" else None
    if thing is not None:
        # the wish's thing and its state: "the induction checklist for the counter done"
        return _clean(doc[thing.left_edge.i : first.i + 1].text), "", 1
    end = max(t.i for t in first.subtree)
    for other in concrete[1:]:
        if other.dep_ == "conj" and other.head.i == first.i:
            end = max(end, max(t.i for t in other.subtree))
    action = _clean(doc[first.i : end + 1].text)
    separate = 1 + sum(1 for v in concrete[1:] if v.dep_ == "conj")
    return action, intent, separate


_ACTS_ON = ("dobj", "prt", "prep", "ccomp", "xcomp", "dative", "oprd", "attr", "npadvmod")
_SUBJECTS = ("i", "i'm", "im", "i've", "ive", "we", "my", "our", "to", "be", "being", "me")


def _doc(text: str) -> tuple[Any, int]:
    """The parse of a goal; an imperative fragment ("book 15 meetings") is read after
    "I will " so that its first word is read as the verb it is."""
    first = text.strip().split(" ", 1)[0].lower() if text.strip() else ""
    prefix = "" if first in _SUBJECTS else "I will "
    doc = parse(prefix + text.strip())
    return doc, len(prefix)


def read_slots(text: str, today: dt.date) -> GoalSlots:
    """The slots a text fills, by code (missing ones stay empty)."""
    found = dates.find(text, today)
    spans = [(_preposition_start(text, f.start), f.end) for f in found]
    rest = _without(text, spans)
    doc, _ = _doc(rest)
    action, intent, outcomes = _action(doc)
    if not action and ":" in rest:  # "just the bot for now: launch the triage bot"
        after, _ = _doc(rest.rsplit(":", 1)[1])
        action, _, outcomes = _action(after)
    measures = _numbers(doc) or []
    derived = False
    results = _results(doc)
    measure = ", ".join(dict.fromkeys(measures)) or ", ".join(dict.fromkeys(results[:1]))
    if not measure and action and len(action.split()) >= 2:
        verb = parse(action)[0].lemma_.lower()
        verb = verb[2:] if verb.startswith("re") and verb[2:] in COMPLETING else verb  # rebuild
        if (verb in COMPLETING or verb in DELIVERING) and not VAGUE_AMOUNT.search(rest):
            measure = action  # the thing made or given is the result
            derived = True
    # Of several dates, the first that works as a deadline (two weeks on or more; a day
    # before a whole month), else the last: "end of feb, friday was never gonna happen".
    workable = [f for f in found if (f.date - today).days >= 14]
    workable.sort(key=lambda f: not re.search(r"\d", f.text))  # a day before a month
    last = workable[0] if workable else (found[-1] if found else None)
    return GoalSlots(
        action=action,
        intent="" if action else intent,
        measure=_clean(measure),
        due_text=last.text if last else "",
        due_date=last.date if last else None,
        outcomes=outcomes,
        measure_is_action=derived,
        rest=_clean(rest),
    )


def merge(slots: GoalSlots, answer: GoalSlots, asked: str | None, raw: str) -> GoalSlots:
    """An answer's slots over the goal's: the asked slot takes the answer (its parsed value,
    else the answer as written); any other slot the answer fills is used too."""
    update: dict[str, Any] = {}
    if answer.action and (asked == "action" or not slots.action):
        update["action"] = answer.action
        update["intent"] = ""
        update["outcomes"] = answer.outcomes
    measure = "" if answer.measure_is_action and asked != "measure" else answer.measure
    if measure and (asked == "measure" or not slots.measure):
        update["measure"], update["measure_is_action"] = measure, answer.measure_is_action
    elif "action" in update and slots.measure_is_action:
        # the result was the old action's: the new action brings its own (or none)
        update["measure"], update["measure_is_action"] = answer.measure, answer.measure_is_action
    if answer.due_date:  # the date said last is the one meant ("ok, end of april then")
        update["due_date"], update["due_text"] = answer.due_date, answer.due_text
    raw = answer.rest if answer.due_date else raw  # what the answer says besides its date
    first = _clean(re.split(r",|;| - ", raw)[0])
    raw = first if len(first.split()) >= 2 else _clean(raw)  # its first clause
    if asked == "action" and not answer.action and len(raw.split()) >= 2:
        update["action"], update["intent"] = _clean(raw), ""
    if asked == "measure" and not answer.measure and len(raw.split()) >= 2:
        update["measure"] = raw
    if asked == "serves":
        update["serves"] = _clean(raw)
    return slots.model_copy(update=update)


def compose(slots: GoalSlots, max_words: int = 30) -> str:
    """One readable sentence from the slots, by code."""
    action = slots.action or slots.intent
    due = f" by {slots.due_date:%-d %B %Y}" if slots.due_date else ""
    room = max_words - len(due.split())
    pieces = [p.strip() for p in slots.measure.split(",") if p.strip()]
    new = [p for p in pieces if p.lower() not in action.lower()]  # not said twice
    measure = " ".join(", ".join(new).split()[:8])
    words = action.split()[: max(4, room - len(measure.split()) - (2 if measure else 0))]
    text = _clean(" ".join(words))
    text = text[:1].upper() + text[1:]
    if measure:
        text += f" ({_clean(measure)})"
    return text + due + "."
