"""Differences between Blender 4.2-4.5 and 5.x, in one place.

* VSE: ``SequenceEditor.strips`` (5.0) replaces ``sequences`` (4.4 and older; 4.5 has both).
* Animation: 5.0 removed ``Action.fcurves``; F-curves live in a channelbag per action slot
  (``bpy_extras.anim_utils.action_get_channelbag_for_slot``, 4.4+).
* EEVEE's engine id is ``BLENDER_EEVEE_NEXT`` in 4.2-4.5 and ``BLENDER_EEVEE`` in 5.0.
"""

from __future__ import annotations

import bpy


def strips(sequence_editor):
    """The top-level strip collection (``strips`` in 5.0, ``sequences`` before)."""
    collection = getattr(sequence_editor, "strips", None)
    return collection if collection is not None else sequence_editor.sequences


def all_strips(sequence_editor):
    """Every strip, including those inside meta strips."""
    collection = getattr(sequence_editor, "strips_all", None)
    return collection if collection is not None else sequence_editor.sequences_all


def eevee_engine() -> str:
    return "BLENDER_EEVEE" if bpy.app.version >= (5, 0, 0) else "BLENDER_EEVEE_NEXT"


def ensure_action(id_data, name: str):
    """The action animating ``id_data`` (created and assigned, with a slot, when missing)."""
    anim = id_data.animation_data or id_data.animation_data_create()
    if anim.action is None:
        anim.action = bpy.data.actions.new(name)
    if hasattr(anim, "action_slot") and anim.action_slot is None:
        slots = [slot for slot in anim.action.slots if slot.target_id_type == id_data.id_type]
        anim.action_slot = slots[0] if slots else anim.action.slots.new(id_data.id_type, id_data.name)
    return anim.action


def fcurves(id_data, create: bool = False):
    """The F-curve collection animating ``id_data`` (None when it has no animation and ``create`` is False)."""
    anim = id_data.animation_data
    if anim is None or anim.action is None:
        if not create:
            return None
        ensure_action(id_data, f"{id_data.name}Action")
        anim = id_data.animation_data
    action = anim.action
    if not hasattr(anim, "action_slot"):          # 4.3 and older: legacy actions
        return action.fcurves
    from bpy_extras import anim_utils

    if anim.action_slot is None:
        if not create:
            return None
        ensure_action(id_data, action.name)
    bag = anim_utils.action_get_channelbag_for_slot(action, anim.action_slot)
    if bag is None:
        if not create:
            return None
        bag = action.layers[0].strips[0].channelbag(anim.action_slot, ensure=True) if action.layers \
            else _new_channelbag(action, anim.action_slot)
    return bag.fcurves


def _new_channelbag(action, slot):
    layer = action.layers.new("Layer")
    strip = layer.strips.new(type='KEYFRAME')
    return strip.channelbag(slot, ensure=True)


def find_fcurve(id_data, data_path: str, index: int = 0):
    curves = fcurves(id_data)
    return None if curves is None else curves.find(data_path, index=index)


def use_material_nodes(material) -> None:
    """Materials always use nodes in 5.0 (``use_nodes`` is deprecated); 4.x needs it switched on."""
    if bpy.app.version < (5, 0, 0):
        material.use_nodes = True
