"""Sentence grammars: every language, 5-14 words, deterministic, English in the aligner's dictionary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from realtalk_core.phonetics.sentences import GRAMMARS, MAX_WORDS, MIN_WORDS, SentenceError, make_sentence, \
    make_sentences, phone_coverage, vocabulary, word_count
from realtalk_core.phonetics.voices import LANGUAGES

ROUNDED = {"uː", "oʊ", "ɔː", "ʊ", "ɔɪ", "aʊ", "ɔ", "ɔːɹ", "ʊɹ", "w"}


def test_every_catalogue_language_has_a_grammar():
    assert set(GRAMMARS) == set(LANGUAGES)


@pytest.mark.parametrize("language", list(GRAMMARS))
def test_sentences_are_deterministic_varied_and_well_sized(language):
    first = make_sentences(np.random.default_rng(3), language, 60)
    again = make_sentences(np.random.default_rng(3), language, 60)
    other = make_sentences(np.random.default_rng(4), language, 60)
    assert first == again and first != other
    assert len(set(first)) >= 55
    assert all(MIN_WORDS <= word_count(s) <= MAX_WORDS for s in first)
    assert all(s[0].isupper() or s[0] == "¿" for s in first)
    assert all(s.rstrip()[-1] in ".?" for s in first)
    assert make_sentence(np.random.default_rng(3), language) == first[0]


def test_english_articles_agree():
    sentences = make_sentences(np.random.default_rng(0), "en-us", 400)
    words = " ".join(sentences).lower().split()
    for article, following in zip(words, words[1:]):
        if article in ("a", "an"):
            assert (article == "an") == (following[0] in "aeiou"), (article, following)


def test_english_vocabulary_is_large_and_alignable():
    import pocketsphinx
    dictionary = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    known = {line.split(maxsplit=1)[0] for line in dictionary.read_text().splitlines() if line.strip()}
    words = vocabulary("en-us")
    assert len(words) >= 400
    assert sorted(words - known) == []


def test_english_sentences_cover_lip_shapes():
    coverage = phone_coverage(make_sentences(np.random.default_rng(0), "en-us", 30), "en-us")
    for phone in ("p", "b", "m", "f", "v"):
        assert coverage[phone] >= 10, phone
    assert sum(coverage[p] for p in ROUNDED) >= 40
    assert sum(coverage[p] for p in ("ɑː", "æ", "aɪ", "aʊ", "ɑːɹ")) >= 30
    assert len([p for p in ROUNDED if coverage[p]]) >= 5


@pytest.mark.parametrize("language", ["es", "fr", "de", "it", "pt-br"])
def test_other_languages_cover_bilabials_and_labiodentals(language):
    coverage = phone_coverage(make_sentences(np.random.default_rng(0), language, 12), language)
    assert coverage["p"] and coverage["m"] and coverage["f"] + coverage["v"] > 0
    assert coverage["b"] + coverage.get("β", 0) > 0


def test_errors():
    with pytest.raises(SentenceError, match="no sentence grammar for language 'xx'"):
        make_sentence(np.random.default_rng(0), "xx")
    with pytest.raises(SentenceError, match="n >= 0"):
        make_sentences(np.random.default_rng(0), "en-us", -1)
