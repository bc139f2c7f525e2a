"""``realtalk demo``: speech, emotion arc, generate, render and pictures in one command."""

from .run import DemoConfig, build_demo_take, resolve_device, run_demo
from .speech import speak
from .script import DEMO_TEXT, demo_curves, peak_times

__all__ = ["DEMO_TEXT", "DemoConfig", "build_demo_take", "demo_curves", "peak_times", "resolve_device", "run_demo", "speak"]
