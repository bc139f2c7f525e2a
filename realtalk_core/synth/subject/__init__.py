"""The synthetic demo subject: the rig rendered by Blender (bpy) into a realtalk-dataset."""
