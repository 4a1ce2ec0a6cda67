"""How a goal shows success, read with spaCy: the numbers with what they count ("3 talks",
"25%", "£60k", "double our turnover") and the results others can see ("signed off",
"pass it", "get the new tyres fitted")."""

from __future__ import annotations

import re
from typing import Any

from companion.goals.lexicon import (
    ACHIEVING,
    CREDENTIALS,
    NUMBER_WORDS,
    ORDINALS,
    RESULT_WORDS,
)
from companion.goals.reading import clean

_AMOUNT = re.compile(r"[~≈]?\d+(?:\.\d+)?(?:k|m|bn)?", re.I)  # "60k", "~200"
_CURRENCY = frozenset("£$€")


def numbers(doc: Any) -> list[str]:
    """Numbers with what they count ("3 talks", "25%", "£40k"); years and dates left out."""
    found = []
    for token in doc:
        if multiple := _multiplied(token):
            found.append(multiple)  # "double our turnover"
            continue
        amount = bool(_AMOUNT.fullmatch(token.text))
        if token.text == "%" or not (token.like_num or amount or token.lower_ in NUMBER_WORDS):
            continue
        if token.lower_ in ORDINALS or (token.tag_ == "JJ" and not amount):
            continue  # "my first PR": an order, not a quantity
        if (
            not (token.like_num or amount)
            and token.dep_ != "nummod"
            and token.lower_ not in NUMBER_WORDS - {"one"}
        ):
            continue  # "the old one": a pronoun
        if token.text.isalpha() and token.head.pos_ == "PROPN" and token.head.i > token.i:
            continue  # "six sigma": a name, not a count
        if (
            token.i + 2 < len(doc)
            and doc[token.i + 1].text == "-"
            and re.fullmatch(r"(day|week|month|year)s?", doc[token.i + 2].lower_)
        ):
            continue  # "my six-month review", "a 30-day plan": a duration naming a thing
        if re.fullmatch(r"(19|20)\d\d", token.text):
            continue  # a year ("claims from 2026"): part of a date, not a measure
        head = token.head
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head  # "10 minute slot": the whole noun
        counted = head.pos_ == "NOUN" and head.i > token.i and head.i - token.i <= 4
        owned = any(c.dep_ == "poss" and c.i < token.i for c in head.children)
        described = head.dep_ == "pobj" and head.head.lower_ != "of"  # not "none of my 4"
        if counted and owned and described:
            continue  # "for my 12 agents": what one has; "audit our 14 activities" counts
        if token.lower_ == "every" and not counted:
            continue  # "every" left of a date taken out ("every friday"): counts nothing
        phrase = doc[token.i : head.i + 1].text if counted else token.text
        if token.i + 1 < len(doc) and doc[token.i + 1].text == "%":
            phrase = doc[token.i : token.i + 2].text
        if token.i > 0 and doc[token.i - 1].text in _CURRENCY:
            phrase = doc[token.i - 1].text + phrase  # "£60k"
        found.append(phrase)
    return found


def _multiplied(token: Any) -> str:
    """ "double our turnover", "halve the backlog": a target as a multiple, else ""."""
    if token.lower_ not in ("double", "triple", "treble", "halve"):
        return ""
    objects = [c for c in token.children if c.dep_ == "dobj"]  # "halve the backlog"
    thing = objects[0] if objects else token.head  # "double our turnover" (an adjective)
    if thing.pos_ != "NOUN" or thing.i < token.i:
        return ""
    return f"{token.lower_} {token.doc[token.i + 1 : thing.i + 1].text}"


def results(doc: Any) -> list[str]:
    found = []
    for token in doc:
        if _achieved(token) or _had_done(token):
            # "pass it", "land the area director job", "get the new tyres fitted"
            found.append(clean(doc[token.left_edge.i : token.right_edge.i + 1].text))
            continue
        verb = token.pos_ in ("VERB", "AUX") and token.tag_ not in ("VBN", "VBD")
        if token.dep_ == "compound" and token.lower_ not in CREDENTIALS:
            continue  # "my presentation nerves": the result word names another thing
        if token.lower_ in RESULT_WORDS and (not verb or _by_someone_else(token)):
            # "signed off", "a talk", "get the FD to approve it"; not "presenting"
            if token.lower_ in CREDENTIALS:  # the whole name: "lean six sigma green belt"
                words = [t.text for t in doc[token.left_edge.i : token.i + 1] if t.dep_ != "poss"]
                found.append(" ".join(w for w in words if w.lower() not in ("a", "an", "the")))
            else:
                found.append(doc[token.i : min(len(doc), token.i + 4)].text)
    return found


def _achieved(token: Any) -> bool:
    """A verb whose doing is itself a result others see: "pass it", "land the job"."""
    return (
        token.pos_ == "VERB"
        and token.tag_ in ("VB", "VBP")  # not "instead of passing them on"
        and token.lemma_.lower() in ACHIEVING
        and any(c.dep_ == "dobj" or c.lower_ == "as" for c in token.children)  # qualify as
        and not any(c.dep_ == "neg" for c in token.children)
    )


def _had_done(token: Any) -> bool:
    """ "get the new tyres fitted", "get all 22 plans updated": a state others bring
    about at the mentee's asking, visible when done."""
    if token.tag_ not in ("VBN", "VBD") or token.head.lemma_.lower() != "get":
        return False
    if token.dep_ not in ("ccomp", "xcomp", "oprd", "advcl"):
        return False
    done_to = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    done_to += [c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i]
    return any(t.pos_ in ("NOUN", "PROPN", "NUM") for t in done_to)


_SELF = frozenset({"i", "we", "me", "myself", "us", "ourselves"})


def _by_someone_else(verb: Any) -> bool:
    """A result verb another person does ("get the FD to approve it", "want my mgr to
    rate me"): their doing it is what others can see."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "xcomp":
        subjects += [c for c in verb.head.children if c.dep_ == "dobj"]
    return any(s.pos_ in ("NOUN", "PROPN") and s.lower_ not in _SELF for s in subjects)
