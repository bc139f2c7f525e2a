"""Speech and phones: espeak-ng synthesis with phoneme timing, voices, sentences, forced alignment."""
