"""recount: an accountable record of mass violence — who, how many, and on what evidence."""

__version__ = "0.1.0"
