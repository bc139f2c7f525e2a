"""The schema must import and work where torch cannot be imported (Blender's Python)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_schema_works_when_importing_torch_fails(make_take):
    folder = make_take()
    script = textwrap.dedent(f"""
        import builtins, sys
        real_import = builtins.__import__
        BLOCKED = ("torch", "cv2", "scipy", "mediapipe", "PyQt6", "bpy", "librosa", "tqdm")
        def guarded(name, *args, **kwargs):
            if name.split(".")[0] in BLOCKED:
                raise ImportError("blocked in this test: " + name)
            return real_import(name, *args, **kwargs)
        builtins.__import__ = guarded
        from realtalk_core import schema
        from realtalk_core.progress import parse_event
        take = schema.load_take({str(folder)!r})
        schema.save_take(take, {str(folder)!r})
        assert parse_event('{{"event":"done","outputs":{{}}}}').event == "done"
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        print("frames", take.frame_count, "blocked-loaded", loaded)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "frames 6 blocked-loaded []" in result.stdout
