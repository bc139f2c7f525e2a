"""Phonetically varied sentences from our own word-list grammars, for every language in LANGUAGES.

A grammar is a lexicon (slot name -> phrases that fit that slot grammatically) and templates
such as ``"{subj} {vt} {obj} {place}."``. A slot name ending in a digit (``{obj2}``) draws again
from the same list, avoiding repeats; ``{a_noun}`` puts "a" or "an" before an English noun. The
vocabularies live in :mod:`.lexicon_en` and :mod:`.lexicon_eu` and lean on the sounds whose mouth
shapes matter for lip sync: p b m, f v, rounded and open vowels. Sentences have 5-14 words and
depend only on the generator's state.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

import numpy as np

from ..schema.errors import RealtalkError
from . import lexicon_en as en
from . import lexicon_eu as eu

MIN_WORDS, MAX_WORDS = 5, 14
_ARTICLE_SLOT = re.compile(r"^a_(\w+?)\d*$")
_INDEX = re.compile(r"\d+$")


class SentenceError(RealtalkError):
    """No grammar for a language, or a grammar that cannot make a valid sentence."""


@dataclass(frozen=True)
class Grammar:
    """A lexicon and the templates that combine its slots."""

    lexicon: Mapping[str, tuple[str, ...]]   #: slot -> phrases
    templates: tuple[str, ...]               #: str.format templates over the slots

    def slots(self, template: str) -> list[str]:
        return [field for _, field, _, _ in string.Formatter().parse(template) if field]


ENGLISH = Grammar(MappingProxyType({
    "name": en.NAMES, "rel": en.RELATIVES, "noun": en.NOUNS, "adj": en.ADJECTIVES, "adv": en.ADVERBS,
    "place": en.PLACES, "time": en.TIMES,
    "past": tuple(p for _, p in en.VERBS_TRANSITIVE), "base": tuple(b for b, _ in en.VERBS_TRANSITIVE),
    "ipast": tuple(p for _, p in en.VERBS_INTRANSITIVE), "ibase": tuple(b for b, _ in en.VERBS_INTRANSITIVE),
}), en.TEMPLATES)

#: Language code -> grammar; the keys match voices.LANGUAGES.
GRAMMARS: Mapping[str, Grammar] = MappingProxyType({
    "en-us": ENGLISH,
    "en-gb": ENGLISH,
    "es": Grammar(eu.SPANISH, eu.SPANISH_TEMPLATES),
    "fr": Grammar(eu.FRENCH, eu.FRENCH_TEMPLATES),
    "de": Grammar(eu.GERMAN, eu.GERMAN_TEMPLATES),
    "it": Grammar(eu.ITALIAN, eu.ITALIAN_TEMPLATES),
    "pt-br": Grammar(eu.PORTUGUESE_BR, eu.PORTUGUESE_BR_TEMPLATES),
})


def _grammar(language: str) -> Grammar:
    try:
        return GRAMMARS[language]
    except KeyError:
        raise SentenceError(f"no sentence grammar for language {language!r}; "
                            f"use one of {', '.join(GRAMMARS)}") from None


def _draw(rng: np.random.Generator, options: tuple[str, ...], used: set[str]) -> str:
    fresh = [o for o in options if o not in used] or list(options)
    return fresh[int(rng.integers(len(fresh)))]


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _capitalise(sentence: str) -> str:
    for k, char in enumerate(sentence):
        if char.isalpha():
            return sentence[:k] + char.upper() + sentence[k + 1:]
    return sentence


def _fill(rng: np.random.Generator, grammar: Grammar, template: str) -> str:
    values: dict[str, str] = {}
    used: dict[str, set[str]] = {}
    for slot in grammar.slots(template):
        if slot in values:
            continue
        article = _ARTICLE_SLOT.match(slot)
        base = article.group(1) if article else _INDEX.sub("", slot)
        if base not in grammar.lexicon:
            raise SentenceError(f"template {template!r} uses slot {slot!r}, which the lexicon lacks")
        choice = _draw(rng, grammar.lexicon[base], used.setdefault(base, set()))
        used[base].add(choice)
        values[slot] = _article(choice) if article else choice
    return _capitalise(template.format(**values))


def word_count(sentence: str) -> int:
    """Words in a sentence (punctuation-only tokens such as "?" or "¿" do not count)."""
    return sum(1 for token in sentence.split() if any(c.isalnum() for c in token))


def make_sentence(rng: np.random.Generator, language: str) -> str:
    """One sentence of 5-14 words in ``language``; depends only on ``rng``'s state."""
    grammar = _grammar(language)
    for _ in range(100):
        template = grammar.templates[int(rng.integers(len(grammar.templates)))]
        sentence = _fill(rng, grammar, template)
        if MIN_WORDS <= word_count(sentence) <= MAX_WORDS:
            return sentence
    raise SentenceError(f"the {language} grammar made no sentence of {MIN_WORDS}-{MAX_WORDS} words in 100 tries; "
                        "fix its templates")


def make_sentences(rng: np.random.Generator, language: str, n: int) -> list[str]:
    """``n`` sentences in ``language`` (see :func:`make_sentence`)."""
    if n < 0:
        raise SentenceError(f"make_sentences needs n >= 0, got {n}")
    return [make_sentence(rng, language) for _ in range(n)]


def vocabulary(language: str) -> set[str]:
    """Every lower-case word the grammar of ``language`` can produce."""
    grammar = _grammar(language)
    texts = [phrase for phrases in grammar.lexicon.values() for phrase in phrases]
    texts += [re.sub(r"\{[^}]*\}", " ", template) for template in grammar.templates]
    words = set()
    for text in texts:
        words.update(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text.lower()))
    words.update({"a", "an"} if grammar is ENGLISH else set())
    return words


def phone_coverage(sentences: Iterable[str], language: str = "en-us") -> Counter[str]:
    """How often espeak-ng speaks each phone (pauses excluded) over ``sentences`` in ``language``."""
    from .espeak import synthesize
    from .voices import VoiceSpec
    counts: Counter[str] = Counter()
    voice = VoiceSpec(language=language)
    for sentence in sentences:
        counts.update(p.symbol for p in synthesize(sentence, voice).phones if p.symbol != "_")
    return counts
