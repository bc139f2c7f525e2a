"""One operator per module; registered in this order, unregistered in reverse."""

import bpy

from . import add_to_sequencer, cancel_job, export_take, generate, open_take, rebake, render

MODULES = (generate, open_take, rebake, export_take, render, add_to_sequencer, cancel_job)


def register():
    for module in MODULES:
        for cls in module.CLASSES:
            bpy.utils.register_class(cls)


def unregister():
    for module in reversed(MODULES):
        for cls in reversed(module.CLASSES):
            bpy.utils.unregister_class(cls)
