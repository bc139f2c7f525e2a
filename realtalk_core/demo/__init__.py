"""``realtalk demo``: speech, emotion arc, generate, render and pictures in one command."""

from .run import DemoConfig, resolve_device, run_demo
from .script import DEMO_TEXT, demo_curves, peak_times

__all__ = ["DEMO_TEXT", "DemoConfig", "demo_curves", "peak_times", "resolve_device", "run_demo"]
