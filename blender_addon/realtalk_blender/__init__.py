"""RealTalk Studio for Blender: generate emotion-aware speech performances, edit them, render them back.

The add-on never imports torch: it runs the ``realtalk`` and ``realtalk-render`` executables
(found through the preferences) and reads Takes with the bundled numpy-only schema (``_vendor``,
copied from ``realtalk_core`` by ``make addon``). Modules register in order and unregister in reverse.
"""

from . import operators, panels, preferences, properties

MODULES = (preferences, properties, operators, panels)


def register():
    for module in MODULES:
        module.register()


def unregister():
    for module in reversed(MODULES):
        module.unregister()
