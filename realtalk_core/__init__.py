"""RealTalk Studio core: schema, assets, models and the `realtalk` CLI."""

__version__ = "0.1.0"
