"""Pages for the onboarding area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("onboarding", __name__)
