"""Answers from the guidance library, grounded and cited.

The passages are found by code (hybrid search inside the reader's audiences). The chat
model may write the answer from those passages only, and code keeps a sentence of it
only when one passage supports it: every content word and number of the sentence is in
one or two neighbouring sentences of that passage, and the sentence says "not" where the
passage does. With nothing kept, the answer is the best passages themselves, quoted.
When no passage is close enough to the question, the answer says so and points to the
coordinator: nothing is invented. Questions can be personal, so only the local model
words answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field

from companion.guides.chunks import Audience
from companion.guides.library import GuideLibrary
from companion.guides.search import Hit, search
from companion.language.grammar import parse
from companion.language.support import FUNCTION_WORDS, matches
from companion.llm import ChatRequest, LLMGateway, ModelUnavailable
from prompts import render

# The encoder's cosine between a question and a passage below which the passage does not
# answer it; calibrated on the dev split of evals/data/guide_questions.json (python -m
# evals.guides --calibrate), never on its test split.
RELEVANT = 0.29
PASSAGES = 3
MIN_WORDS = 2  # content words a kept sentence must say
RESTATED = 0.5  # ... and the share of its source's content words it must restate
QUOTE_WORDS = 70
QUOTE_CHARS = 700  # a "word" thousands of characters long is cut too
NOTHING_FOUND = (
    "I could not find this in your programme's guides, and I will not guess. Please ask "
    "your programme coordinator."
)
_NO = frozenset({"no", "never", "nobody", "none", "nothing", "neither", "nor"})


class Citation(BaseModel):
    number: int
    guide: str = Field(description="The guide's title.")
    guide_id: str
    heading: str = Field(description="Where in the guide: its section headings.")
    passage_id: str
    quote: str = Field(description="The passage's words, verbatim (shortened with '...').")


class AnswerSentence(BaseModel):
    text: str
    cites: int = Field(description="The citation number that supports it.")


class GuideAnswer(BaseModel):
    question: str
    found: bool
    sentences: list[AnswerSentence] = Field(description="The model's supported sentences.")
    quoted: bool = Field(description="True when the answer is the passages themselves.")
    citations: list[Citation]
    dropped: list[str] = Field(description="Sentences of the model's the passages do not support.")
    model: str = ""

    def text(self) -> str:
        if not self.found:
            return NOTHING_FOUND
        if self.quoted:
            body = "From your programme's guides:"
        else:
            body = " ".join(f"{s.text} [{s.cites}]" for s in self.sentences)
        sources = [
            f"[{c.number}] {c.guide} › {c.heading}\n" + quoted(c.quote, "  > ")
            for c in self.citations
        ]
        return body + "\n\n" + "\n\n".join(sources)


def quoted(text: str, mark: str = "> ") -> str:
    """Each line of a quote marked as quoted (the chat's markdown needs every line)."""
    return "\n".join(mark + line for line in text.splitlines())


@lru_cache(maxsize=512)
def _read(text: str) -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """Each sentence of `text` with its content lemmas and the lemmas it negates."""
    out = []
    lines = [line for line in text.splitlines() if line.strip()]  # list items stand alone
    for sent in (sent for line in lines for sent in parse(line).sents):
        words = {
            t.lemma_.lower()
            for t in sent
            if (t.is_alpha or t.like_num)
            and not (t.is_stop or t.vocab[t.lemma_.lower()].is_stop)
            and t.lower_ not in FUNCTION_WORDS
        }
        # "not" negates a verb or an adjective ("X, not Y" contrasts, it does not deny)
        negated = {
            t.head.lemma_.lower()
            for t in sent
            if (t.dep_ == "neg" and t.head.pos_ in ("VERB", "AUX", "ADJ")) or t.lower_ in _NO
        }
        if sent.text.strip():
            out.append((sent.text.strip(), frozenset(words), frozenset(negated)))
    return tuple(out)


def sentences_of(text: str) -> list[str]:
    return [sentence for sentence, _, _ in _read(text)]


def supporting(claim: str, passage: str) -> str | None:
    """The passage's words that support the claim (one or two neighbouring sentences),
    or None: when some content word of the claim is not in them (as written or as the
    same lemma), when the claim restates less than half of them (a fragment picked from
    a sentence says something else), or when either negates a word the other affirms."""
    said = _read(claim)
    words = frozenset().union(*(w for _, w, _ in said)) if said else frozenset()
    negated = frozenset().union(*(n for _, _, n in said)) if said else frozenset()
    if len(words) < MIN_WORDS:
        return None
    sentences = _read(passage)
    pairs = [
        (f"{a[0]}\n{b[0]}", a[1] | b[1], a[2] | b[2])
        for a, b in zip(sentences, sentences[1:], strict=False)
    ]
    for span, source, denied in [*sentences, *pairs]:
        if not all(matches(w, set(source)) for w in words):
            continue
        restated = sum(matches(w, set(words)) for w in source) / max(len(source), 1)
        if restated >= RESTATED and (denied & words) == (negated & source):
            return span
    return None


def _quote(text: str, words: int = QUOTE_WORDS) -> str:
    """The first `words` words of `text`, its lines (list items) kept."""
    lines, left = [], words
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        parts = line.split()
        if len(parts) > left:
            lines.append(" ".join(parts[:left]) + " ...")
            break
        lines.append(line)
        left -= len(parts)
    quote = "\n".join(lines)
    return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS].rstrip() + " ..."


def _focus(library: GuideLibrary, question: str, passage: str) -> str:
    """The run of up to three sentences of `passage` closest to the question (encoder)."""
    sentences = sentences_of(passage)
    windows = [
        "\n".join(sentences[i : i + size])
        for size in (1, 2, 3)
        for i in range(max(len(sentences) - size + 1, 1))
    ]
    windows = [w for w in windows if len(w.split()) <= QUOTE_WORDS] or [passage]
    vectors = library.workspace.embedder.embed([question, *windows], desc="quotes")
    scores = vectors[1:] @ vectors[0]
    return windows[int(np.argmax(scores))]


def _citation(number: int, hit: Hit, quote: str) -> Citation:
    chunk = hit.chunk
    return Citation(
        number=number,
        guide=chunk.title,
        guide_id=chunk.guide_id,
        heading=chunk.heading,
        passage_id=chunk.id,
        quote=_quote(quote),
    )


def _draft(question: str, hits: list[Hit], gateway: LLMGateway) -> tuple[str, str]:
    passages = "\n\n".join(f"[{i}] {h.chunk.text}" for i, h in enumerate(hits, start=1))
    request = ChatRequest(
        messages=[
            {
                "role": "user",
                "content": render("guide_answer", question=question, passages=passages),
            }
        ],
        confidential=True,  # a question can be personal: the local model only
        name="guide answer",
        max_tokens=200,
    )
    try:
        reply = gateway.complete(request)
    except ModelUnavailable:
        return "", ""
    return reply.text, reply.model


def answer_question(
    library: GuideLibrary,
    question: str,
    audiences: Iterable[Audience],
    gateway: LLMGateway | None,
    floor: float = RELEVANT,
) -> GuideAnswer:
    """The answer to `question` from the guides these audiences may read; passages less
    similar to the question than `floor` do not count."""
    hits = [h for h in search(library, question, audiences, k=PASSAGES) if h.similarity >= floor]
    if not hits:
        return GuideAnswer(question=question, found=False, sentences=[], quoted=False,
                           citations=[], dropped=[])  # fmt: skip
    draft, model = _draft(question, hits, gateway) if gateway is not None else ("", "")
    kept: list[AnswerSentence] = []
    dropped: list[str] = []
    quotes: dict[int, list[str]] = {}
    for sentence in sentences_of(draft) if draft.strip() else []:
        found = next(
            ((i, span) for i, h in enumerate(hits) if (span := supporting(sentence, h.chunk.text))),
            None,
        )
        if found is None:
            dropped.append(sentence)
            continue
        index, span = found
        quotes.setdefault(index, [])
        if span not in quotes[index]:
            quotes[index].append(span)
        kept.append(AnswerSentence(text=sentence, cites=index))
    if not kept:  # nothing the passages support: the passages are the answer
        citations = [
            _citation(n, h, _focus(library, question, h.chunk.text))
            for n, h in enumerate(hits[:2], start=1)
        ]
        return GuideAnswer(question=question, found=True, sentences=[], quoted=True,
                           citations=citations, dropped=dropped, model=model)  # fmt: skip
    numbers = {index: n for n, index in enumerate(sorted(quotes), start=1)}
    citations = [_citation(numbers[i], hits[i], "\n".join(quotes[i])) for i in sorted(quotes)]
    for kept_sentence in kept:
        kept_sentence.cites = numbers[kept_sentence.cites]
    return GuideAnswer(question=question, found=True, sentences=kept, quoted=False,
                       citations=citations, dropped=dropped, model=model)  # fmt: skip
