"""The ``graphapp`` command (click): the capabilities from a terminal; ``cli.cli`` is the entry."""
