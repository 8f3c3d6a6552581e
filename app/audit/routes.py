"""The audit log for admins: every moderator and admin action, filterable."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit", __name__)
