"""Logging in and out, registering, who is logged in, and accepting the house rules."""

from __future__ import annotations

from flask import Response, jsonify, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import ratelimits
from app.accounts import services, sessions, sign_in, two_factor
from app.accounts.models import User
from app.api import auth, bodies, errors, schemas
from app.api.blueprint import bp
from app.api.errors import ApiError
from app.api.spec import operation
from app.onboarding import services as onboarding

TAG = "Account"


def _session_out(user: User, status: int = 200) -> tuple[Response, int]:
    body = schemas.SessionOut(
        user=schemas.UserOut(
            id=user.id,
            pseudonym=user.pseudonym,
            role=user.role,
            house_rules_accepted=user.has_accepted_house_rules,
        ),
        csrf_token=auth.csrf_token(),
        by_token=auth.by_token(),
    )
    return jsonify(body.model_dump(mode="json")), status


def _too_many(refused: ratelimits.RateLimited) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        ngettext(
            "Je hebt dit vaak achter elkaar geprobeerd. Probeer het over %(num)d minuut opnieuw.",
            "Je hebt dit vaak achter elkaar geprobeerd. Probeer het over %(num)d minuten opnieuw.",
            refused.minutes,
        ),
        headers={"Retry-After": str(refused.retry_after)},
    )


@bp.get("/session")
@operation(
    summary="Who is logged in, with the CSRF token for cookie writes",
    tag=TAG,
    responses={200: schemas.SessionOut},
    login=True,
)
def current() -> tuple[Response, int]:
    return _session_out(auth.member())


@bp.post("/session")
@auth.without_csrf
@operation(
    summary="Log in: sets the same session cookie as the login page",
    tag=TAG,
    body=schemas.LoginIn,
    responses={201: schemas.SessionOut},
    description="With two-step verification on, send `code` too; without it the answer is "
    "401 with code `second_step_needed`. Staff powers need that second step.",
)
def login() -> tuple[Response, int]:
    data = bodies.json_body(schemas.LoginIn)
    try:
        user = sign_in.attempt(data.pseudonym, data.password)
    except ratelimits.RateLimited as refused:
        raise _too_many(refused) from None
    except services.InvalidCredentials:
        raise errors.unauthorized(sign_in.wrong_password_message(), "invalid_credentials") from None
    except services.AccountSuspended as suspended:
        raise ApiError(403, "suspended", sign_in.suspension_message(suspended)) from None
    second_factor = False
    if two_factor.is_enabled(user):
        if not data.code:
            raise errors.unauthorized(
                _("Vul ook de code uit je app in (het veld code)."), "second_step_needed"
            )
        try:
            two_factor.verify(user, data.code)
        except two_factor.WrongCode:
            raise errors.unauthorized(
                _("Deze code klopt niet. Probeer de nieuwste code uit je app."), "wrong_code"
            ) from None
        second_factor = True
    sessions.start(user, remember=data.remember, second_factor=second_factor)
    return _session_out(user, 201)


@bp.delete("/session")
@operation(summary="Log out on this device", tag=TAG, responses={204: None}, login=True)
def logout() -> tuple[str, int]:
    auth.member()
    if not auth.by_token():
        sessions.end()
    return "", 204


@bp.post("/accounts")
@auth.without_csrf
@operation(
    summary="Register, and log in as on the registration page",
    tag=TAG,
    body=schemas.RegisterIn,
    responses={201: schemas.SessionOut},
    description="Before sharing or replying, the new member accepts the house rules "
    "(`POST /house-rules/accept`; `house_rules_accepted` says whether they did).",
)
def register() -> tuple[Response, int]:
    data = bodies.json_body(schemas.RegisterIn)
    try:
        ratelimits.check("register", ratelimits.REGISTER_PER_CLIENT, ratelimits.client_key())
    except ratelimits.RateLimited as refused:
        raise _too_many(refused) from None
    user = services.register(
        services.Registration(pseudonym=data.pseudonym, password=data.password, email=data.email)
    )
    sessions.start(user, remember=False)
    return _session_out(user, 201)


@bp.post("/house-rules/accept")
@operation(
    summary="Accept the house rules, as the last step of the welcome pages",
    tag=TAG,
    responses={200: schemas.HouseRulesOut},
    login=True,
    description="Needed once before sharing or replying; the rules are on the site's "
    "welcome page. Accepting again does no harm (the first time counts).",
)
def accept_house_rules() -> tuple[Response, int]:
    onboarding.accept_house_rules(auth.member())
    body = schemas.HouseRulesOut(
        house_rules_accepted=True,
        url=url_for("pages.house_rules", _external=True),
        message=_("Fijn dat je er bent. Welkom!"),
    )
    return jsonify(body.model_dump(mode="json")), 200
