"""Moderation figures, and a member's page for moderators (notes, history)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation_figures", __name__)
