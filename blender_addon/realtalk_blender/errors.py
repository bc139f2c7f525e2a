"""The add-on's one exception: its message is shown to the artist as it is, in one line."""


class AddonError(Exception):
    """Something the artist can fix; the message names what and how."""
