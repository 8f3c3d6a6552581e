"""Pages for blocking and unblocking a member."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("blocks", __name__)
