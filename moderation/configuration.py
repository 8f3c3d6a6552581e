"""Moderators change the checks: watched words and the settings. Every change is audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app import clock
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.permissions import Actor
from moderation import settings
from moderation.checks import WatchAction
from moderation.models import ModerationSetting, ReasonTemplate, WatchedWordRule
from moderation.queue import check_moderator

PHRASE_MAX = 100
EXTRA_PHRASES_MAX = 200


def _clean(text: str, limit: int) -> str:
    return " ".join(text.replace("\x00", "").split())[:limit]


def rules(actor: Actor) -> list[WatchedWordRule]:
    """The watched words, alphabetically; raises NotAllowed for non-moderators."""
    check_moderator(actor)
    return list(
        db.session.execute(sa.select(WatchedWordRule).order_by(WatchedWordRule.phrase)).scalars()
    )


def add_rule(actor: Actor, phrase: str, action: str, replacement: str = "") -> WatchedWordRule:
    """Watch a word or phrase; raises NotAllowed, ValidationFailed or Conflict (known)."""
    moderator = check_moderator(actor)
    clean = _clean(phrase, PHRASE_MAX)
    if not any(ch.isalnum() for ch in clean):
        raise ValidationFailed(_("Vul een woord of zin in."), field="phrase")
    try:
        chosen = WatchAction(action)
    except ValueError:
        raise ValidationFailed(_("Kies wat er moet gebeuren."), field="action") from None
    exists = db.session.execute(
        sa.select(WatchedWordRule.id).where(sa.func.lower(WatchedWordRule.phrase) == clean.lower())
    ).first()
    if exists:
        raise Conflict(_("Dit woord staat al in de lijst."))
    with unit_of_work():
        rule = WatchedWordRule(
            phrase=clean,
            action=chosen.value,
            replacement=_clean(replacement, PHRASE_MAX) if chosen is WatchAction.REPLACE else "",
            created_at=clock.utcnow(),
            created_by_name=moderator.pseudonym,
        )
        db.session.add(rule)
        db.session.flush()
        audit.record(
            moderator,
            "moderation.watched_word_added",
            "watched_word",
            rule.id,
            details={"phrase": clean, "action": chosen.value},
        )
    return rule


def remove_rule(actor: Actor, rule_id: int) -> None:
    """Stop watching a word; raises NotAllowed or NotFound."""
    moderator = check_moderator(actor)
    rule = db.session.get(WatchedWordRule, rule_id)
    if rule is None:
        raise NotFound
    with unit_of_work() as session:
        audit.record(
            moderator,
            "moderation.watched_word_removed",
            "watched_word",
            rule.id,
            details={"phrase": rule.phrase, "action": rule.action},
        )
        session.delete(rule)


def current(actor: Actor) -> dict[str, Any]:
    """The settings as they are now, for the settings form."""
    check_moderator(actor)
    return {
        "crisis_holds": bool(settings.value(settings.CRISIS_HOLDS)),
        "new_member_held_posts": int(settings.value(settings.NEW_MEMBER_HELD_POSTS)),
        "extra_crisis_phrases": list(settings.value(settings.EXTRA_CRISIS_PHRASES) or []),
        "hide_at_report_weight": float(settings.value(settings.HIDE_AT_REPORT_WEIGHT)),
    }


def save(
    actor: Actor,
    crisis_holds: bool,
    new_member_held_posts: int,
    extra_crisis_phrases: str,
    hide_at_report_weight: float,
) -> None:
    """Store the settings; raises NotAllowed or ValidationFailed (out of range)."""
    moderator = check_moderator(actor)
    if not 0 <= new_member_held_posts <= 10:
        raise ValidationFailed(
            _("Kies een aantal van 0 tot en met 10."), field="new_member_held_posts"
        )
    if not 1 <= hide_at_report_weight <= 50:
        raise ValidationFailed(
            _("Kies een getal van 1 tot en met 50."), field="hide_at_report_weight"
        )
    phrases = [
        _clean(line, PHRASE_MAX)
        for line in extra_crisis_phrases.splitlines()
        if any(ch.isalnum() for ch in line)
    ][:EXTRA_PHRASES_MAX]
    wanted = {
        settings.CRISIS_HOLDS.key: crisis_holds,
        settings.NEW_MEMBER_HELD_POSTS.key: new_member_held_posts,
        settings.EXTRA_CRISIS_PHRASES.key: phrases,
        settings.HIDE_AT_REPORT_WEIGHT.key: hide_at_report_weight,
    }
    before = current(actor)
    with unit_of_work() as session:
        for key, value in wanted.items():
            row = session.get(ModerationSetting, key)
            if row is None:
                row = ModerationSetting(key=key)
                session.add(row)
            row.value = value
            row.changed_at = clock.utcnow()
            row.changed_by_name = moderator.pseudonym
        changed = {k: v for k, v in wanted.items() if before.get(k) != v}
        if changed:
            audit.record(
                moderator,
                "moderation.settings_changed",
                "moderation_settings",
                None,
                details={"from": {k: before.get(k) for k in changed}, "to": changed},
            )


def reason_templates(actor: Actor) -> list[ReasonTemplate]:
    """The reasons moderators can pick for a decision, by title."""
    check_moderator(actor)
    return list(
        db.session.execute(sa.select(ReasonTemplate).order_by(ReasonTemplate.title)).scalars()
    )


def add_reason_template(actor: Actor, title: str, rule: str, body: str) -> ReasonTemplate:
    """Add a reason to pick from; raises NotAllowed, ValidationFailed or Conflict (known)."""
    moderator = check_moderator(actor)
    clean_title = _clean(title, 100)
    text = body.replace("\x00", "").strip()[:2000]
    if not clean_title or not text:
        raise ValidationFailed(_("Geef de reden een naam en een tekst."), field="title")
    known = db.session.execute(
        sa.select(ReasonTemplate.id).where(ReasonTemplate.title == clean_title)
    ).first()
    if known:
        raise Conflict(_("Er is al een reden met deze naam."))
    with unit_of_work():
        template = ReasonTemplate(
            title=clean_title,
            rule=_clean(rule, 200),
            body=text,
            created_at=clock.utcnow(),
            created_by_name=moderator.pseudonym,
        )
        db.session.add(template)
        db.session.flush()
        audit.record(
            moderator,
            "moderation.reason_template_added",
            "reason_template",
            template.id,
            details={"title": clean_title},
        )
    return template


def remove_reason_template(actor: Actor, template_id: int) -> None:
    """Remove a reason from the list (decisions that used it keep their text)."""
    moderator = check_moderator(actor)
    template = db.session.get(ReasonTemplate, template_id)
    if template is None:
        raise NotFound
    with unit_of_work() as session:
        audit.record(
            moderator,
            "moderation.reason_template_removed",
            "reason_template",
            template.id,
            details={"title": template.title},
        )
        session.delete(template)
