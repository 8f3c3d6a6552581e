"""Moderation: reports, automatic checks before publishing, the review queue and the audit log.

It builds on ``app``'s models and plugs itself in from ``create_app`` through ``init_app``.
"""
