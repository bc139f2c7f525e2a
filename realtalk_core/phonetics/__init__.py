"""Speech and phones: espeak-ng synthesis with phoneme timing, voices, sentences, forced alignment.

Heavy parts load lazily: :func:`synthesize` loads libespeak-ng on first use and :func:`align`
builds a pocketsphinx decoder on first use.
"""

from .align import AlignConfig, Aligner, AlignError, align
from .compare import comparable, match_phones, onset_errors
from .espeak import EspeakError, Utterance, synthesize, write_wav
from .labels import LabelError, read_labels
from .phones import ARPABET_TO_IPA, PAUSE, Phone, arpabet_to_ipa, normalize_ipa
from .sentences import GRAMMARS, SentenceError, make_sentence, make_sentences, phone_coverage
from .voices import LANGUAGES, VARIANTS, Language, VoiceError, VoiceSampling, VoiceSpec, sample_voice

__all__ = [
    "ARPABET_TO_IPA", "AlignConfig", "AlignError", "Aligner", "EspeakError", "GRAMMARS", "LANGUAGES", "LabelError",
    "Language", "PAUSE", "Phone", "SentenceError", "Utterance", "VARIANTS", "VoiceError", "VoiceSampling",
    "VoiceSpec", "align", "arpabet_to_ipa", "comparable", "make_sentence", "make_sentences", "match_phones",
    "normalize_ipa", "onset_errors", "phone_coverage", "read_labels", "sample_voice", "synthesize", "write_wav",
]
