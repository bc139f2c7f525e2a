"""flite speech with its own phone timing (needs `apt install flite`, which `make setup` does)."""

import shutil

import numpy as np
import pytest

from realtalk_core.phonetics.flite import (FLITE_VOICES, FliteError, FliteVoice, parse_segments, sample_flite_voice,
                                           synthesize_flite)

needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="flite is not installed (make setup as root)")


def test_segments_tile_the_audio_as_ipa_phones():
    phones = parse_segments("pau:0.220 p:0.353 ae:0.501 k:0.548 m:0.619 pau:2.799", 0.7)
    assert [p.symbol for p in phones] == ["_", "p", "æ", "k", "m", "_"]
    assert phones[0].start == 0.0 and phones[-1].end == 0.7
    assert all(a.end == b.start for a, b in zip(phones, phones[1:]))
    with pytest.raises(FliteError, match="cannot read: 'qq:0.1'"):
        parse_segments("pau:0.1 qq:0.1", 1.0)


def test_voices_are_real_speakers_and_never_the_evaluation_speaker():
    assert "slt" not in FLITE_VOICES                 # slt is trained on CMU ARCTIC slt, our a0009 clip
    rng = np.random.default_rng(0)
    voices = [sample_flite_voice(rng) for _ in range(60)]
    assert {v.name for v in voices} == set(FLITE_VOICES)
    assert all(0.8 <= v.stretch <= 1.25 for v in voices)
    assert all((v.f0_mean_hz is not None) == (v.name == "kal16") for v in voices)
    with pytest.raises(FliteError, match="unknown flite voice 'slt'"):
        FliteVoice("slt")


@needs_flite
def test_flite_speaks_with_bilabials_where_it_says():
    utterance = synthesize_flite("Maybe the bamboo map.", FliteVoice("kal16", 1.0, 150.0))
    assert utterance.sample_rate == 16000 and utterance.duration > 0.8
    assert utterance.phones[-1].end == pytest.approx(utterance.duration)
    bilabials = [p for p in utterance.phones if p.symbol in ("p", "b", "m")]
    assert len(bilabials) == 7                       # MayBe, BaMBoo, MaP
    rate = utterance.sample_rate
    for p in bilabials:                              # a closure or murmur: quieter than the loudest vowel
        inside = utterance.samples[int(p.start * rate): int(p.end * rate)]
        assert np.sqrt(np.mean(inside ** 2)) < 0.5 * np.abs(utterance.samples).max()
    slower = synthesize_flite("Maybe the bamboo map.", FliteVoice("kal16", 1.2, 150.0))
    assert slower.duration > 1.1 * utterance.duration


@needs_flite
def test_a_flite_corpus_is_english_and_deterministic(tmp_path, task_path):
    from realtalk_core.progress import Progress
    from realtalk_core.synth.corpus import MotionCorpusConfig, SynthError, run_motion_corpus

    config = MotionCorpusConfig(minutes=0.1, seed=2, languages=("en-us",), engine="flite", neutral_share=1.0,
                                pair_share=0.0)
    a = run_motion_corpus(tmp_path / "a", task_path, config, Progress("none"))
    b = run_motion_corpus(tmp_path / "b", task_path, config, Progress("none"))
    assert a.read_text().replace(str(tmp_path / "a"), "") == b.read_text().replace(str(tmp_path / "b"), "")
    takes = sorted((tmp_path / "a" / "takes").glob("*/audio.wav"))
    assert takes and all(t.read_bytes() == (tmp_path / "b" / t.relative_to(tmp_path / "a")).read_bytes() for t in takes)
    import json
    records = json.loads(a.read_text())["records"]
    assert all(r["voice"]["engine"] == "flite" and r["language"] == "en-us" for r in records)
    phones = json.loads((takes[0].parent / "phones.json").read_text())
    assert phones["source"] == "flite"
    with pytest.raises(SynthError, match="flite speaks American English only"):
        MotionCorpusConfig(languages=("es",), engine="flite")
