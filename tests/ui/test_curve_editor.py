"""CurveEditor driven by real mouse and key events (offscreen): add, drag, delete, scrub, choose channels."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt

from realtalk_core.schema import EMOTION_NAMES, load_take
from realtalk_core.schema.emotion_curves import EmotionCurves
from realtalk_ui.curve_editor import CurveEditor, channel_colour
from realtalk_ui.curves_model import MIN_GAP
from realtalk_ui.model import TakeModel

FPS, FRAMES = 25.0, 50
CURVES = EmotionCurves({"happy": ((0.0, 0.0), (1.0, 0.8)), "sad": ((1.2, 0.0), (1.8, 0.5))},
                       intensity=((0.0, 1.0), (1.5, 1.6)))
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def take_model(make_take) -> TakeModel:
    """A generated-like Take: 2 s at 25 fps whose emotion track is CURVES baked, recorded in provenance."""
    take = load_take(make_take(name="generated", frames=FRAMES))
    take.tracks.emotion[:] = CURVES.sample(FPS, FRAMES)[0]
    take.provenance["emotion_curves"] = CURVES.to_json()
    model = TakeModel()
    model.set_take(take)
    return model


@pytest.fixture
def editor(qtbot, take_model) -> CurveEditor:
    editor = CurveEditor(take_model=take_model)
    qtbot.addWidget(editor)
    editor.resize(editor.sizeHint())
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def pixel(editor: CurveEditor) -> tuple[float, float]:
    """Seconds and value units (of the active channel) per pixel."""
    plot, (start, end) = editor.plot_rect(), editor.time_range()
    low, high = {"intensity": (0.0, 2.0)}.get(editor.active_channel, (0.0, 1.0))
    return (end - start) / plot.width(), (high - low) / plot.height()


def at(point: QPointF) -> QPoint:
    return point.toPoint()


def test_editor_follows_the_take_and_maps_time_and_value(editor):
    model = editor.curves_model
    assert model.source == "provenance" and model.keys("happy") == CURVES.curves["happy"]
    assert editor.time_range() == (0.0, FRAMES / FPS) and editor.active_channel == "happy"
    plot = editor.plot_rect()
    assert editor.point_for(0.0, 0.0) == plot.bottomLeft() and editor.point_for(2.0, 1.0) == plot.topRight()
    assert editor.point_for(1.0, 1.0, "intensity").y() == pytest.approx(plot.center().y())
    assert editor.key_position("happy", 1) == editor.point_for(1.0, 0.8)
    assert editor.value_at(editor.point_for(1.5, 0.25)) == pytest.approx((1.5, 0.25))
    hint = editor.sizeHint()
    assert (hint.width(), hint.height()) == (600, 180) and plot.width() > 450 and plot.height() > 90


def test_double_click_on_empty_space_adds_a_key_at_the_pointer(editor, qtbot):
    editor.set_active_channel("fear")
    seconds, units = pixel(editor)
    qtbot.mouseDClick(editor, LEFT, pos=at(editor.point_for(0.9, 0.35)))
    keys = editor.curves_model.keys("fear")
    assert len(keys) == 1 and editor.selected_key == 0
    assert keys[0][0] == pytest.approx(0.9, abs=seconds) and keys[0][1] == pytest.approx(0.35, abs=units)
    assert editor.curves_model.dirty


def test_double_click_on_a_key_adds_nothing(editor, qtbot):
    qtbot.mouseDClick(editor, LEFT, pos=at(editor.key_position("happy", 1)))
    assert len(editor.curves_model.keys("happy")) == 2 and editor.selected_key == 1
    assert not editor.curves_model.dirty


def test_dragging_a_key_moves_it_and_undoes_in_one_step(editor, qtbot):
    seconds, units = pixel(editor)
    qtbot.mousePress(editor, LEFT, pos=at(editor.key_position("happy", 1)))
    assert editor.selected_key == 1
    for time, value in ((1.1, 0.7), (1.2, 0.55), (1.3, 0.4)):
        qtbot.mouseMove(editor, at(editor.point_for(time, value)))
    qtbot.mouseRelease(editor, LEFT, pos=at(editor.point_for(1.3, 0.4)))
    time, value = editor.curves_model.keys("happy")[1]
    assert time == pytest.approx(1.3, abs=seconds) and value == pytest.approx(0.4, abs=units)
    qtbot.mouseMove(editor, at(editor.point_for(1.6, 0.1)))              # released: no longer dragging
    assert editor.curves_model.keys("happy")[1] == (time, value)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.curves_model.keys("happy")[1] == (1.0, 0.8) and not editor.curves_model.dirty


def test_a_dragged_key_stops_at_its_neighbour_and_the_value_range(editor, qtbot):
    qtbot.mousePress(editor, LEFT, pos=at(editor.key_position("happy", 0)))
    qtbot.mouseMove(editor, at(editor.point_for(1.9, 1.0) + QPointF(40, -40)))
    qtbot.mouseRelease(editor, LEFT, pos=at(editor.point_for(1.9, 1.0)))
    first, second = editor.curves_model.keys("happy")
    assert first == (pytest.approx(1.0 - MIN_GAP), 1.0) and second == (1.0, 0.8)


def test_delete_and_backspace_remove_the_selected_key(editor, qtbot):
    qtbot.mouseClick(editor, LEFT, pos=at(editor.key_position("happy", 1)))
    assert editor.selected_key == 1
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.curves_model.keys("happy") == ((0.0, 0.0),) and editor.selected_key is None
    editor.set_active_channel("sad")
    qtbot.mouseClick(editor, LEFT, pos=at(editor.key_position("sad", 0)))
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.curves_model.keys("sad") == ((1.8, 0.5),)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)                            # nothing selected: nothing happens
    assert editor.curves_model.keys("sad") == ((1.8, 0.5),)


def test_right_click_on_a_key_deletes_it_and_elsewhere_does_not(editor, qtbot):
    qtbot.mouseClick(editor, Qt.MouseButton.RightButton, pos=at(editor.point_for(0.5, 0.9)))
    assert len(editor.curves_model.keys("happy")) == 2
    qtbot.mouseClick(editor, Qt.MouseButton.RightButton, pos=at(editor.key_position("happy", 0)))
    assert editor.curves_model.keys("happy") == ((1.0, 0.8),)


def test_single_click_and_drag_on_empty_space_scrub_the_take(editor, qtbot, take_model):
    qtbot.mouseClick(editor, LEFT, pos=at(editor.point_for(37 / FPS, 0.9)))
    assert take_model.frame == 37 and editor.curves_model.keys("happy") == CURVES.curves["happy"]
    qtbot.mousePress(editor, LEFT, pos=at(editor.point_for(10 / FPS, 0.9)))
    qtbot.mouseMove(editor, at(editor.point_for(12 / FPS, 0.9)))
    assert take_model.frame == 12
    qtbot.mouseMove(editor, at(editor.point_for(5.0, 0.9) + QPointF(200, 0)))   # past the end: the last frame
    qtbot.mouseRelease(editor, LEFT, pos=at(editor.point_for(1.0, 0.9)))
    assert take_model.frame == FRAMES - 1 and not editor.curves_model.dirty


def test_scrubbing_a_take_that_starts_later_uses_scene_time(qtbot, moving_take):
    take_model = TakeModel()
    take_model.load(moving_take)                                         # frames 20..29
    editor = CurveEditor(take_model=take_model)
    qtbot.addWidget(editor)
    editor.resize(600, 180)
    assert editor.time_range() == pytest.approx((0.8, 1.2)) and editor.curves_model.source == "track"
    qtbot.mouseClick(editor, LEFT, pos=at(editor.point_for(24 / FPS, 0.5)))
    assert take_model.frame == 24


def test_legend_and_number_keys_choose_the_active_channel(editor, qtbot):
    seen = []
    editor.activeChannelChanged.connect(seen.append)
    rect, text = editor.legend()["intensity"]
    assert text == "intensity"
    qtbot.mouseClick(editor, LEFT, pos=at(rect.center()))
    assert editor.active_channel == "intensity" and seen == ["intensity"]
    assert editor.key_position("intensity", 1) == editor.point_for(1.5, 1.6)
    qtbot.keyClick(editor, Qt.Key.Key_7)
    assert editor.active_channel == EMOTION_NAMES[6] == "sad" and seen == ["intensity", "sad"]


def test_interpolation_box_sets_the_models_easing(editor):
    assert editor.interpolation_box.currentText() == "smooth" and editor.interpolation_box.isVisible()
    editor.interpolation_box.setCurrentText("linear")
    assert editor.curves_model.interpolation == "linear" and editor.curves_model.dirty
    editor.curves_model.undo()
    assert editor.interpolation_box.currentText() == "smooth"


def test_the_active_curve_is_drawn_where_generate_bakes_it(editor):
    happy = EMOTION_NAMES.index("happy")
    baked = CURVES.sample(FPS, FRAMES)[0][:, happy]
    image = editor.grab().toImage()
    colour = channel_colour("happy")
    for frame in (10, 20, 45):
        point = editor.point_for(frame / FPS, float(baked[frame])).toPoint()
        drawn = image.pixelColor(point)
        assert max(abs(drawn.red() - colour.red()), abs(drawn.green() - colour.green()),
                   abs(drawn.blue() - colour.blue())) < 60, (frame, drawn.name())
    below = image.pixelColor(editor.point_for(45 / FPS, float(baked[45]) - 0.2).toPoint())
    assert abs(below.red() - colour.red()) > 60 or abs(below.blue() - colour.blue()) > 60


def test_without_a_take_the_editor_ignores_the_mouse(qtbot):
    editor = CurveEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 180)
    qtbot.mouseDClick(editor, LEFT, pos=QPoint(300, 90))
    qtbot.mouseClick(editor, Qt.MouseButton.RightButton, pos=QPoint(300, 90))
    assert not editor.has_take and editor.curves_model.keys("happy") == ()
    assert not editor.curves_model.dirty and editor.selected_key is None
    assert not editor.interpolation_box.isVisibleTo(editor)
