"""CSRF protection for every state-changing request.

Views that show a WTForms form validate the token as part of the form (marked with
:func:`checked_by_form`), so an expired token gives the form back with the person's text in
it. Every other POST, PUT, PATCH or DELETE is checked before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Flask, current_app, request

from app.extensions import csrf

F = TypeVar("F", bound=Callable[..., object])

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_ATTRIBUTE = "_csrf_checked_by_form"
_BLUEPRINTS = "csrf_checked_by_blueprints"


def checked_by_form(view: F) -> F:
    """Mark a view whose FlaskForm checks the CSRF token itself and re-renders on failure."""
    setattr(view, _ATTRIBUTE, True)
    return view


def checked_by_blueprint(blueprint: Blueprint) -> None:
    """Mark a blueprint whose views check CSRF themselves (the JSON API: cookie writes send
    the token in a header, requests with a personal access token need none)."""
    blueprint.record_once(
        lambda state: state.app.extensions.setdefault(_BLUEPRINTS, set()).add(blueprint.name)
    )


def init_app(app: Flask) -> None:
    """Check CSRF tokens before views that do not check them through a form."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)

    @app.before_request
    def _protect() -> None:
        if request.method not in _UNSAFE or not current_app.config.get("WTF_CSRF_ENABLED", True):
            return
        # No view to protect (404 or 405): let routing give its own answer.
        if request.routing_exception is not None:
            return
        if request.blueprint in current_app.extensions.get(_BLUEPRINTS, ()):
            return
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, _ATTRIBUTE, False):
            return
        if view is not None and getattr(view, "_csrf_exempt", False):
            return
        csrf.protect()
