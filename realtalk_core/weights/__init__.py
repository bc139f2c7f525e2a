"""Default model weights trained by RealTalk Studio (see docs/models.md)."""
