"""Logical backups of the whole database: ``flask backup`` and ``flask restore``."""
