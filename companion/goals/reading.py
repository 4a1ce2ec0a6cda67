"""What a goal's words say, read with spaCy (companion.language.grammar's pipeline):
the action (a verb the mentee does and what it acts on, or the vague wish there is
instead). How success shows (numbers, results) is companion.goals.measures'.

People write goals as wishes ("want the checklist done"), in the third person ("Tom will
draft…"), in the passive ("the policy to be tidied up by me"), with reasons ("so I'm not
drowning") and fillers ("tbh"): each is read as what it is, not as the first verb found.
"""

from __future__ import annotations

import re
from typing import Any

from companion.goals.lexicon import (
    COMPLETING,
    CREDENTIALS,
    IMPROVING,
    OTHERS_DECIDE,
    VAGUE,
    WISHING,
)
from companion.language.grammar import parse


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–.!?")
    text = re.sub(r" ([,;:])", r"\1", text)  # "under 50 , keeps" (a date taken out)
    return re.sub(r"\s+(and|or|so|but|to|by|before|in|at|for|with|w|&|\+)$", "", text, flags=re.I)


_SELF = frozenset({"i", "we", "me", "myself", "us", "ourselves"})
_BECOMING = frozenset({"be", "become", "get", "feel", "stay", "seem"})


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
            # "work on building a tracker" is building it; "get better at handling" is not
            worked_on = ancestor.lower_ == "on" and ancestor.head.lemma_.lower() == "work"
            return not (worked_on and verb.tag_ == "VBG" and verb.head.i == ancestor.i)
        if ancestor.lemma_.lower() in IMPROVING and verb.dep_ in ("ccomp", "xcomp"):
            return True  # "improve how i handle tickets": the handling is what is wished
        if ancestor.pos_ == "ADJ" and ancestor.head.lemma_.lower() in _BECOMING:
            # "be more consistent running the pass"; "be able to code 40 episodes" does
            return ancestor.lower_ != "able"
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


def _outcome_state(verb: Any) -> bool:
    """ "all signed off", "logged on the portal": a participle naming the result."""
    return verb.tag_ in ("VBN", "VBD") and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    )


def _passive_subject(verb: Any) -> Any | None:
    head = verb.head if verb.dep_ == "conj" else verb
    found = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not found and head.dep_ == "xcomp":  # "the checklist is to be drafted by me"
        found = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return found[0] if found else None


def _done_by_me(verb: Any) -> bool:
    """A passive the mentee does: "the lettings policy to be tidied up by me"."""
    if verb.tag_ != "VBN" or _passive_subject(verb) is None:
        return False
    agents = [c for c in verb.subtree if c.dep_ == "agent"]
    return any(g.lower_ in ("me", "us", "myself") for a in agents for g in a.children)


def _passive_action(verb: Any, doc: Any) -> str:
    """ "the lettings policy to be looked at and tidied up by me" -> "look at and tidy up
    the lettings policy": the verbs in their base form, then what they act on."""
    subject = _passive_subject(verb)
    assert subject is not None
    verbs = [verb, *(c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN")]
    done = " and ".join(
        " ".join(
            [v.lemma_] + [t.text for t in v.children if t.dep_ in ("prt",) or t.lower_ == "at"]
        )
        for v in verbs
    )
    return clean(f"{done} {doc[subject.left_edge.i : subject.i + 1].text.lower()}")


def _someone_else_does(verb: Any) -> bool:
    """Something or someone else acts: "my pivot tables r a mess", "3 of my concepts
    picked up". A named subject of the main verb is the mentee in the third person
    ("Tom will draft the disclosure lists")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "ROOT":
        subjects = [c for c in subjects if c.pos_ != "PROPN"]
    if verb.lower_ in OTHERS_DECIDE and any(c.dep_ == "auxpass" for c in verb.children):
        return True  # "get promoted": done to the mentee
    others = ("NOUN", "PROPN", "NUM", "PRON")  # "nobody owns it", "it takes an hour"
    return any(s.pos_ in others and s.lower_ not in _SELF for s in subjects)


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
    return any(
        o.pos_ in ("NOUN", "PROPN", "VERB", "NUM") and o.lower_ not in VAGUE for o in objects
    )


def _new_thing(verb: Any) -> bool:
    """Whether a further verb acts on a thing of its own: "publish it", "get them
    approved", "carry out and write up 30 inspections" are steps of one outcome, and "get
    20 subscribers signed up" is the result it aims at, not another outcome."""
    if verb.lemma_.lower() == "get":
        return False
    done_to = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    done_to += [g for c in verb.children if c.dep_ in ("ccomp", "xcomp") for g in c.children]
    if any(t.dep_ in ("dobj", "nsubj", "dative") and t.lower_ in _REFERRING for t in done_to):
        return False
    return any(c.dep_ in _ACTS_ON for c in verb.children)


_REFERRING = frozenset({"it", "them", "him", "her", "this", "that", "these", "those", "one"})


def _background(verb: Any) -> bool:
    """Context about the past: "I've only ever run…", "we ran it last year"."""
    perfect = any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
    said = any(c.dep_ == "nsubj" and c.lower_ in _SELF for c in verb.children)
    return said and (perfect or verb.tag_ == "VBD")


def _vague_doing(verb: Any) -> bool:
    """A doing with no content: "do something about", "make the process work better"."""
    if any(c.dep_ == "dobj" and c.lower_ in _NOTHING_IN_PARTICULAR for c in verb.children):
        return True
    if verb.lemma_.lower() != "make":
        return False
    made = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "oprd", "acomp")]
    return any(
        m.lemma_.lower() in VAGUE or any(g.tag_ in ("RBR", "JJR") for g in m.children) for m in made
    )


_NOTHING_IN_PARTICULAR = frozenset({"something", "stuff", "things", "anything", "sth"})


def read_action(doc: Any) -> tuple[str, str, int]:
    """(action, vague intent, number of separate actions) from the main verbs."""
    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
    concrete: list[Any] = []
    intent = ""
    for verb in verbs:
        lemma = verb.lemma_.lower()
        if verb.i < 2 and verb.lower_ in ("will",):
            continue
        if _background(verb):
            continue  # "I've only ever run one-to-one sessions": what was, not the goal
        if verb.tag_ in ("VBZ", "VBP") and verb.dep_ in _NOUN_ROLES:
            continue  # "5 calm school runs a week": a noun the tagger took for a verb
        if _done_by_me(verb):
            if not concrete:
                concrete.append(verb)
            continue
        if any(c.dep_ == "neg" for c in verb.children) or any(
            c.dep_ == "mark" and c.lower_ in ("so", "because") for c in verb.children
        ):
            continue  # "so i'm not drowning every friday": a reason, not an action
        if lemma in _STARTING and any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in verb.children):
            concrete.append(verb)  # "keep a weekly matter list", "start a podcast": a doing
            continue
        if lemma in WISHING or verb.lower_ in WISHING:  # the tagger lemmatises "hoping" "hop"
            done = _wanted_done(verb)
            if done is not None and not concrete:  # "want the checklist done by..."
                concrete.append(done)
            continue  # "want to present", "aiming for 'effective'": the wish is no action
        if _outcome_state(verb):
            continue  # "3 of my concepts picked up", "all signed off": an outcome
        if _someone_else_does(verb):
            continue  # "my pivot tables r a mess": not the mentee's doing
        if _vague_doing(verb):
            intent = intent or clean(doc[verb.i : verb.right_edge.i + 1].text)
            continue  # "do something about my nerves", "make the process work better"
        if (lemma in VAGUE or verb.lower_ in VAGUE) and not (
            _concrete_get(verb) or _concrete_go(verb)
        ):
            intent = intent or clean(doc[verb.i : verb.right_edge.i + 1].text)
            continue
        if _is_wish_object(verb) and not (verb.head.lower_ == "by" and verb.tag_ == "VBG"):
            continue
        if concrete and any(a.i == concrete[0].i for a in verb.ancestors) and verb.dep_ != "conj":
            continue  # inside the first action ("get legal to sign it off")
        if not any(c.dep_ in _ACTS_ON for c in verb.children):
            intent = intent or clean(doc[verb.i : verb.right_edge.i + 1].text)
            continue  # "network more": a verb that acts on nothing names no action
        concrete.append(verb)
    if not concrete:
        return "", intent or clean(doc.text), 0
    return _assemble(concrete, doc, intent)


def _assemble(concrete: list[Any], doc: Any, intent: str) -> tuple[str, str, int]:
    """The action's words from its first verb (and the verbs joined to it), and how many
    separate outcomes the verbs name."""
    first = concrete[0]
    if _done_by_me(first):
        return _passive_action(first, doc), "", 1
    thing = _wished_thing(first) if first.tag_ == "VBN" else None
    if thing is not None:
        # the wish's thing and its state: "the induction checklist for the counter done"
        return clean(doc[thing.left_edge.i : first.i + 1].text), "", 1
    aside = {  # "…, keeps getting away from me": a clause joined on that is no action
        c.i
        for c in first.children
        if c.dep_ in ("conj", "parataxis") and c.lemma_.lower() in WISHING and c not in concrete
    }
    end = max(
        t.i
        for t in first.subtree
        if t.i not in aside and not any(a.i in aside for a in t.ancestors)
    )
    for other in concrete[1:]:
        if other.dep_ == "conj" and other.head.i == first.i:
            end = max(end, max(t.i for t in other.subtree))
    action = clean(doc[first.i : end + 1].text)
    separate = 1 + sum(
        1 for v in concrete[1:] if v.dep_ == "conj" and not _outcome_state(v) and _new_thing(v)
    )
    return action, intent, separate


# Words before the goal itself: "tbh i just want…", "modest one: double…".
_FILLER = re.compile(
    r"^\s*(?:(?:tbh|idk|ngl|honestly|ok|okay|so|well|basically|hmm|um|i guess|maybe)\b[\s,.]*)+"
    r"|^[^:]{0,20}:\s*(?=\S)",
    re.I,
)
# "what i want to do is carry out…": the doing is what follows
_CLEFT = re.compile(
    r"\bwhat (i|we)(\s+\w+)? (want|need|'d like|would like|plan|hope|aim) to do is( to)?\s+", re.I
)
_STARTING = frozenset({"keep", "start", "begin"})
_NOUN_ROLES = ("pobj", "dobj", "nsubj", "nsubjpass", "compound", "appos")
_ACTS_ON = ("dobj", "prt", "prep", "ccomp", "xcomp", "dative", "oprd", "attr", "npadvmod")
_MODALS = ("could", "can", "would", "should", "may", "might", "shall")
_SUBJECTS = ("i", "i'm", "im", "i've", "ive", "we", "my", "our", "to", "be", "being", "me")


def goal_doc(text: str) -> tuple[Any, int]:
    """The parse of a goal; an imperative fragment ("book 15 meetings") is read after
    "I will " so that its first word is read as the verb it is."""
    text = _CLEFT.sub("", _FILLER.sub("", text)).lstrip(
        " -–—•*>,.;:"
    )  # "Q1 - reconcile…" less its date
    words = text.strip().lower().split()
    first = words[0] if words else ""
    has_subject = (
        first in _SUBJECTS
        or first in ("the", "a", "an", "this", "these")
        or (len(words) > 1 and words[1] in ("will", "'ll", "to", "shall", "should", "must"))
        or (first in _MODALS and len(words) > 1 and words[1] in ("i", "we"))
    )  # "The lettings policy to be…", "Kemi will clear…", "Could I work on…"
    prefix = "" if has_subject else "I will "
    text = text.strip()
    if prefix and text[:1].isupper() and not text.split()[0].isupper():
        text = text[:1].lower() + text[1:]  # "I will Refresh the displays": a verb, not a name
    doc = parse(prefix + text)
    return doc, len(prefix)
