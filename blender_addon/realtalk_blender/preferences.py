"""Add-on preferences: where the RealTalk executables are, and the device they run on.

Finding ``realtalk`` / ``realtalk-render``, first match wins:

1. the folder set in Preferences > Add-ons > RealTalk Studio;
2. the ``REALTALK_BIN`` environment variable (a folder);
3. the project's ``.venv/bin`` that this zip was built from (``make addon`` records it);
4. ``PATH``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import bpy

from .errors import AddonError

BUILD_INFO = "build_info.json"


def addon_preferences(context=None):
    context = context or bpy.context
    addon = context.preferences.addons.get(__package__)
    return addon.preferences if addon else None


def _build_hint() -> Path | None:
    """The ``.venv/bin`` recorded at build time (read only; nothing is ever written into the add-on folder)."""
    path = Path(__file__).with_name(BUILD_INFO)
    try:
        venv_bin = json.loads(path.read_text(encoding="utf-8")).get("venv_bin")
    except (OSError, ValueError):
        return None
    return Path(venv_bin) if venv_bin else None


def candidate_folders(preferences=None) -> list[Path]:
    folders: list[Path] = []
    configured = getattr(preferences, "bin_dir", "") if preferences is not None else ""
    if configured:
        folders.append(Path(bpy.path.abspath(configured)))
    if os.environ.get("REALTALK_BIN"):
        folders.append(Path(os.environ["REALTALK_BIN"]))
    hint = _build_hint()
    if hint is not None:
        folders.append(hint)
    return folders


def find_executable(name: str, preferences=None) -> str:
    """The absolute path of ``name`` (``realtalk`` or ``realtalk-render``); AddonError says how to fix it."""
    preferences = preferences if preferences is not None else addon_preferences()
    for folder in candidate_folders(preferences):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise AddonError(f"`{name}` not found: set the folder holding it (the project's .venv/bin, after "
                     "`make setup`) in Preferences > Add-ons > RealTalk Studio")


def device(preferences=None) -> str:
    preferences = preferences if preferences is not None else addon_preferences()
    return getattr(preferences, "device", "cpu") or "cpu"


class RealtalkPreferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    bin_dir: bpy.props.StringProperty(
        name="RealTalk folder", subtype='DIR_PATH', default="",
        description="Folder holding the realtalk and realtalk-render executables (the project's .venv/bin); "
                    "empty: detect it")
    device: bpy.props.EnumProperty(
        name="Device", default="cpu",
        items=[("cpu", "CPU", "Run the models on the CPU"),
               ("cuda", "CUDA GPU", "Run the models on an NVIDIA GPU")])

    def draw(self, context):
        layout = self.layout
        layout.prop(self, "bin_dir")
        layout.prop(self, "device")
        for name in ("realtalk", "realtalk-render"):
            try:
                layout.label(text=f"{name}: {find_executable(name, self)}", icon='CHECKMARK')
            except AddonError:
                layout.label(text=f"{name}: not found", icon='ERROR')


def register():
    bpy.utils.register_class(RealtalkPreferences)


def unregister():
    bpy.utils.unregister_class(RealtalkPreferences)
