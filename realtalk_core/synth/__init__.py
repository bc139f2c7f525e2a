"""``realtalk synth``: ground-truth talking-face performances (motion) and a rendered synthetic subject."""
