"""``realtalk-preview [TAKE|AUDIO]``: open the previewer, optionally on a Take folder or a speech file.

An invalid TAKE is reported in one line on stderr with exit code 2, before any window
exists. ``--screenshot`` renders the window to a PNG and exits (docs, bug reports, CI).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Sequence

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from realtalk_core import __version__
from realtalk_core.schema import RealtalkError, Take, load_take

from .main_window import DEFAULT_SIZE, MainWindow
from .recent import APPLICATION, ORGANISATION, default_settings, ini_settings
from .theme import apply_theme
from .workflow import is_audio

PROG = "realtalk-preview"


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1100x700, got {text!r}") from None
    if not (200 <= width <= 8000 and 150 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text}: width must be 200-8000 and height 150-8000 pixels")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="RealTalk Studio previewer: open speech or a Take, scrub and listen, edit the emotion curves and "
                    "re-bake them, preview rendered frames, export an mp4. Model work runs through the realtalk CLIs.",
        epilog="Keys: Space play/pause, Left/Right one frame, Shift+Left/Right one second, Home/End first/last "
               "frame, P toggles the head pose, R renders the current frame, Ctrl+Return applies the curves. "
               "Drop a Take folder or an audio file on the window to open it.")
    parser.add_argument("take", nargs="?", metavar="TAKE|AUDIO",
                        help="a Take folder (holding take.json and tracks.npz), or a speech file (wav, flac, mp3, "
                             "m4a, ogg) to generate a Take from, beside it")
    parser.add_argument("--frame", type=int, metavar="N",
                        help="start at frame N (absolute, as in the Take; clamped to its range)")
    parser.add_argument("--size", type=_size, metavar="WxH",
                        help="window size in pixels (default: the last size used; 1100x700 for --screenshot)")
    parser.add_argument("--settings", metavar="INI",
                        help="keep settings and recent takes in this ini file instead of the user's "
                             f"configuration ({ORGANISATION}/{APPLICATION})")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the window to this PNG file and exit, without showing it")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _load(path: str) -> tuple[Take, Path]:
    resolved = Path(path).expanduser().resolve()
    return load_take(resolved), resolved


def _screenshot(window: MainWindow, target: str) -> int:
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.show()
    QApplication.processEvents()
    if not window.grab().save(target):
        print(f"{PROG}: error: cannot write the screenshot {target}", file=sys.stderr)
        return 1
    window.hide()   # not close(): a screenshot does not overwrite the saved window geometry
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    loaded = None
    audio = Path(args.take) if args.take is not None and is_audio(Path(args.take)) else None
    if args.take is not None and audio is None:
        try:
            loaded = _load(args.take)
        except RealtalkError as err:
            print(f"{PROG}: error: {err}", file=sys.stderr)
            return err.exit_code

    app = QApplication.instance() or QApplication([PROG])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    apply_theme(app)
    settings = ini_settings(args.settings) if args.settings else default_settings()
    window = MainWindow(settings)
    if args.size or args.screenshot:
        window.resize(*(args.size or DEFAULT_SIZE))
    if loaded is not None:
        window.model.set_take(*loaded)
        if args.frame is not None:
            window.model.set_frame(args.frame)
    if args.screenshot:
        return _screenshot(window, args.screenshot)
    window.show()
    if audio is not None:
        window.open_path(audio)
    signal.signal(signal.SIGINT, signal.SIG_DFL)   # Ctrl-C in the terminal closes the previewer
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
