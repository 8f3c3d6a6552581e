"""The screener: the checks every new or edited story and reply goes through before it is
published, and the queue items it leaves for moderators."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app import ratelimits
from app.accounts.models import AccountStatus, SiteRole, User
from app.extensions import db
from app.notifications import kinds
from app.notifications.services import notify
from app.realtime import events
from app.screening import Blocked, ContentKind, Draft, NeedsConfirmation, Screening, Verdict
from app.stories.models import PostStatus, Reply, Story
from moderation import settings
from moderation.checks import (
    FindingKind,
    WatchAction,
    WatchedWord,
    apply_replacements,
    find_crisis_language,
    find_identifying_details,
    match_watched_words,
)
from moderation.items import Subject, add_signal
from moderation.models import Priority, SignalKind, TargetType, WatchedWordRule

# Signal codes a Screening carries from ``screen`` to ``record``.
CRISIS = "crisis"
IDENTIFYING = "identifying"
WATCHED_HOLD = "watched_hold"
WATCHED_FLAG = "watched_flag"
NEW_MEMBER = "new_member"


def _detail_name(kind: FindingKind) -> str:
    names = {
        FindingKind.PHONE: _("een telefoonnummer"),
        FindingKind.EMAIL: _("een e-mailadres"),
        FindingKind.IBAN: _("een rekeningnummer"),
        FindingKind.BSN: _("een burgerservicenummer"),
        FindingKind.POSTCODE_ADDRESS: _("een adres"),
        FindingKind.STREET_ADDRESS: _("een adres"),
        FindingKind.LICENCE_PLATE: _("een kenteken"),
    }
    return names.get(kind, _("persoonlijke gegevens"))


def watched_words() -> list[WatchedWord]:
    """The watched words moderators set, as the checks take them."""
    rows = db.session.execute(sa.select(WatchedWordRule).order_by(WatchedWordRule.id)).scalars()
    return [WatchedWord(row.phrase, WatchAction(row.action), row.replacement) for row in rows]


def _earlier_posts_statement() -> sa.Select[int]:
    author_id = sa.bindparam("author_id", type_=sa.Integer)
    enough = sa.bindparam("enough", type_=sa.Integer)

    def counted(post: type[Story] | type[Reply]) -> sa.ScalarSelect[int]:
        ids = (
            sa.select(post.id)
            .where(post.author_id == author_id, post.status != PostStatus.HELD.value)
            .limit(enough)
            .subquery()
        )
        return sa.select(sa.func.count()).select_from(ids).scalar_subquery()

    return sa.select(counted(Story) + counted(Reply))


# Built once: it runs for every post, and building it cost more than running it.
_EARLIER_POSTS = _earlier_posts_statement()


def _has_earlier_posts(author: User, enough: int) -> bool:
    """Whether the author has at least ``enough`` stories and replies that are not held.

    One query, and each count stops at ``enough``: a member who wrote for years has thousands.
    """
    if enough <= 0:
        return True
    found = db.session.execute(_EARLIER_POSTS, {"author_id": author.id, "enough": enough})
    return int(found.scalar_one()) >= enough


_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S")
# Spam arrives with links from new accounts; members who took part a while post freely.
NEW_MEMBER_POSTS = 5
NEW_MEMBER_LINKS = "2 per day"


def _limit_links_of_new_members(draft: Draft, text: str) -> None:
    """A new member may post only a few texts with links a day; raises Blocked beyond."""
    if not _LINK.search(text) or _has_earlier_posts(draft.author, NEW_MEMBER_POSTS):
        return
    try:
        ratelimits.check("new-member-links", NEW_MEMBER_LINKS, ratelimits.user_key(draft.author.id))
    except ratelimits.RateLimited:
        raise Blocked(
            _(
                "Nieuwe leden kunnen een paar keer per dag een link plaatsen. Dat is voor "
                "vandaag op. Haal de link weg, of probeer het morgen opnieuw. Je tekst staat "
                "er nog."
            ),
            field="body",
        ) from None


class ModerationScreener:
    """Runs the checks in order: watched words, identifying details, crisis, new members."""

    def screen(self, draft: Draft) -> Screening:
        """Screen a draft; raises Blocked (a blocked word) or NeedsConfirmation
        (identifying details the writer has not chosen to post anyway)."""
        words = watched_words()
        text = f"{draft.title}\n{draft.body}"
        matches = match_watched_words(text, words)
        blocked = [m for m in matches if m.watched.action is WatchAction.BLOCK]
        if blocked:
            raise Blocked(
                _(
                    'Je tekst bevat "%(word)s". Dat kan hier niet geplaatst worden. Pas het '
                    "aan, dan kun je je tekst plaatsen. Je tekst staat er nog.",
                    word=blocked[0].finding.excerpt,
                ),
                field="body",
            )
        signals: list[str] = []
        if any(m.watched.action is WatchAction.HOLD for m in matches):
            signals.append(WATCHED_HOLD)
        if any(m.watched.action is WatchAction.FLAG for m in matches):
            signals.append(WATCHED_FLAG)
        _limit_links_of_new_members(draft, text)
        details = find_identifying_details(text)
        if details:
            if not draft.post_anyway:
                kinds_found = sorted({_detail_name(f.kind) for f in details})
                raise NeedsConfirmation(
                    _(
                        "Let op: je tekst lijkt %(what)s te bevatten. Daarmee kunnen anderen "
                        "jou of iemand anders herkennen. Wil je het weghalen? Of plaats je "
                        "tekst toch: dan kijkt eerst een moderator ernaar.",
                        what=", ".join(kinds_found),
                    ),
                    field="body",
                )
            signals.append(IDENTIFYING)
        extra, held_posts, crisis_holds = settings.values(
            settings.EXTRA_CRISIS_PHRASES, settings.NEW_MEMBER_HELD_POSTS, settings.CRISIS_HOLDS
        )
        crisis = bool(find_crisis_language(text, extra or []))
        if crisis:
            signals.append(CRISIS)
        if not _has_earlier_posts(draft.author, int(held_posts)):
            signals.append(NEW_MEMBER)
        hold = (
            WATCHED_HOLD in signals
            or IDENTIFYING in signals
            or NEW_MEMBER in signals
            or (crisis and bool(crisis_holds))
        )
        title = apply_replacements(draft.title, words) if draft.title else draft.title
        body = apply_replacements(draft.body, words)
        return Screening(
            verdict=Verdict.HOLD if hold else Verdict.PUBLISH,
            title=title,
            body=body,
            crisis=crisis,
            signals=tuple(signals),
        )

    def record(
        self, draft: Draft, screening: Screening, story_id: int, reply_id: int | None
    ) -> None:
        """Leave queue items for what the checks found, inside the publishing unit of work;
        crisis items reach the moderators at once."""
        if not screening.signals:
            return
        is_reply = draft.kind is ContentKind.REPLY and reply_id is not None
        subject = Subject(
            target_type=TargetType.REPLY if is_reply else TargetType.STORY,
            target_id=reply_id if is_reply and reply_id is not None else story_id,
            group_id=draft.group.id,
            user_id=draft.author.id,
            title=screening.title,
            body=screening.body,
        )
        held = screening.verdict is Verdict.HOLD
        if CRISIS in screening.signals:
            item, _new = add_signal(subject, SignalKind.CRISIS.value, Priority.CRISIS)
            _alert_moderators(item.id)
        if IDENTIFYING in screening.signals:
            add_signal(subject, SignalKind.IDENTIFYING.value, Priority.IDENTIFYING)
        others = [s for s in screening.signals if s in (WATCHED_HOLD, NEW_MEMBER)]
        if held and others:
            add_signal(subject, SignalKind.HELD.value, Priority.NORMAL, category=others[0])
        if WATCHED_FLAG in screening.signals:
            add_signal(subject, SignalKind.FLAGGED.value, Priority.NORMAL)


def _alert_moderators(item_id: int) -> None:
    moderators = db.session.execute(
        sa.select(User.id).where(
            User.role.in_([SiteRole.MODERATOR.value, SiteRole.ADMIN.value]),
            User.status == AccountStatus.ACTIVE.value,
        )
    ).scalars()
    link = url_for("moderation.item", item_id=item_id)
    for user_id in moderators:
        notify(user_id, kinds.URGENT_ITEM, {}, link)
    events.publish_urgent_item(item_id, link)
