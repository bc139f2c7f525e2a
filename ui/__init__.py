"""RealTalk Studio's Qt previewer (``realtalk-preview``): PyQt6 and numpy only, never torch.

``model`` holds the state, ``landmark_view``/``channel_views``/``timeline`` draw it,
``main_window`` wires them together and ``app`` is the command line.
"""
