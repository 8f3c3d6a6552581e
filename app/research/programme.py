"""The panel programme: prompts per day, opening them at their time, telling participants,
reminders, and the participation matrix.

A prompt is open once its opening time has passed on the one clock. Opening makes its two
threads in the group (the prompt's own, whose replies are the responses, and the day's
reflection thread); the worker does that at the opening time and tells the participants,
once. Whoever reads an open prompt before the worker came by opens it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app import clock, markup, permissions
from app.accounts.models import User
from app.audit import services as audit
from app.database import mark_once, unit_of_work
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.research import services, video
from app.research.models import Participation, Prompt, Study
from app.stories import visibility
from app.stories.models import PostStatus, Reply, Story
from app.stories.services import checked_body, checked_title

DAY_MAX = 365
ANNOUNCE_BATCH = 50
# A response waiting for a moderator counts as given: nobody is reminded of it.
COUNTED = (PostStatus.PUBLISHED.value, PostStatus.HELD.value)


def opening_moment(day: date | None, at: time | None) -> datetime | None:
    """The UTC moment of ``day`` at ``at`` on the Amsterdam clock, as researchers plan."""
    if day is None or at is None:
        return None
    return datetime.combine(day, at, tzinfo=clock.AMSTERDAM).astimezone(UTC)


def is_open(prompt: Prompt, now: datetime | None = None) -> bool:
    """Has the prompt's opening time passed?"""
    return clock.as_utc(prompt.opens_at) <= (now or clock.utcnow())


def prompts(group: Group, *, actor: Actor | None) -> list[Prompt]:
    """The programme by day: everything for the study's researchers, the open prompts for
    participants with current consent. Raises NotFound for anyone else."""
    study = services.study_of(group)
    query = sa.select(Prompt).where(Prompt.study_id == study.id).order_by(Prompt.day)
    if not permissions.can_run_study(actor, group):
        if not permissions.can_read_group(actor, group):
            raise NotFound
        query = query.where(Prompt.opens_at <= clock.utcnow())
    return list(db.session.execute(query).scalars())


def prompt_on(group: Group, day: int, *, actor: Actor | None) -> Prompt:
    """The prompt of ``day`` as the actor may see it; a prompt that has not opened yet does
    not exist for participants. Raises NotFound."""
    study = services.study_of(group)
    prompt = db.session.execute(
        sa.select(Prompt).where(Prompt.study_id == study.id, Prompt.day == day)
    ).scalar_one_or_none()
    if prompt is None:
        raise NotFound
    if permissions.can_run_study(actor, group):
        return prompt
    if not permissions.can_read_group(actor, group) or not is_open(prompt):
        raise NotFound
    return prompt


def _checked_day(day: int | None) -> int:
    if day is None or not 1 <= day <= DAY_MAX:
        raise ValidationFailed(
            _("Kies een dag van %(min)d tot %(max)d.", min=1, max=DAY_MAX), field="day"
        )
    return day


def plan(
    group: Group,
    day: int | None,
    title: str,
    body: str,
    video_url: str,
    opens_at: datetime | None,
    *,
    actor: User,
) -> Prompt:
    """Add a prompt to the programme; raises NotFound, NotAllowed, ValidationFailed (the
    field at fault) or Conflict (that day has a prompt already)."""
    services.check_researcher(actor, group)
    study = services.study_of(group)
    clean_day = _checked_day(day)
    clean_title = checked_title(title)
    clean_body = checked_body(body)
    url = video.clean_url(video_url)
    if opens_at is None:
        raise ValidationFailed(_("Kies wanneer de vraag opengaat."), field="opens_on")
    with unit_of_work() as session:
        taken = session.execute(
            sa.select(Prompt.id).where(Prompt.study_id == study.id, Prompt.day == clean_day)
        ).first()
        if taken:
            raise Conflict(_("Voor dag %(day)d staat al een vraag klaar.", day=clean_day))
        prompt = Prompt(
            study_id=study.id,
            day=clean_day,
            title=clean_title,
            body_source=clean_body,
            body_html=markup.render(clean_body),
            video_url=url,
            opens_at=clock.as_utc(opens_at),
            created_by_id=actor.id,
            created_at=clock.utcnow(),
        )
        session.add(prompt)
    return prompt


def revise(
    group: Group,
    day: int,
    title: str,
    body: str,
    video_url: str,
    opens_at: datetime | None,
    *,
    actor: User,
) -> Prompt:
    """Change a prompt that has not opened yet (its day stays); raises NotFound,
    NotAllowed, ValidationFailed (the field at fault) or Conflict (it is open already)."""
    services.check_researcher(actor, group)
    clean_title = checked_title(title)
    clean_body = checked_body(body)
    url = video.clean_url(video_url)
    if opens_at is None:
        raise ValidationFailed(_("Kies wanneer de vraag opengaat."), field="opens_on")
    with unit_of_work():
        prompt = prompt_on(group, day, actor=actor)
        if is_open(prompt) or prompt.story_id is not None:
            raise Conflict(_("Deze vraag staat al open. Je kunt haar niet meer aanpassen."))
        prompt.title = clean_title
        prompt.body_source = clean_body
        prompt.body_html = markup.render(clean_body)
        prompt.video_url = url
        prompt.opens_at = clock.as_utc(opens_at)
    return prompt


def unplan(group: Group, day: int, *, actor: User) -> None:
    """Take a prompt that has not opened yet out of the programme; raises NotFound,
    NotAllowed or Conflict (it is open: participants may have answered)."""
    services.check_researcher(actor, group)
    with unit_of_work() as session:
        prompt = prompt_on(group, day, actor=actor)
        if is_open(prompt) or prompt.story_id is not None:
            raise Conflict(_("Deze vraag staat al open. Je kunt haar niet meer weghalen."))
        session.delete(prompt)


def _thread_author(prompt: Prompt, group: Group) -> int | None:
    if prompt.created_by_id is not None:
        return prompt.created_by_id
    return db.session.execute(
        sa.select(Membership.user_id)
        .where(Membership.group_id == group.id, Membership.role == GroupRole.MANAGER.value)
        .order_by(Membership.id)
        .limit(1)
    ).scalar_one_or_none()


def _new_thread(group: Group, author_id: int | None, title: str, body: str, at: datetime) -> Story:
    story = Story(
        group_id=group.id,
        author_id=author_id,
        anonymous=False,
        title=title[:150],
        body_source=body,
        body_html=markup.render(body),
        status=PostStatus.HELD.value,
        created_at=at,
        published_at=at,
        reply_count=0,
        content_warnings=[],
        content_warning_note="",
    )
    db.session.add(story)
    db.session.flush()
    visibility.show_story(story, group)
    return story


def open_threads(prompt: Prompt) -> bool:
    """Inside the caller's unit of work: make the prompt's thread and reflection thread when
    they do not exist yet. Returns whether they were made now."""
    db.session.execute(sa.select(Prompt.id).where(Prompt.id == prompt.id).with_for_update()).first()
    db.session.refresh(prompt)
    if prompt.story_id is not None:
        return False
    study = db.session.get(Study, prompt.study_id)
    assert study is not None
    group = study.group
    author_id = _thread_author(prompt, group)
    at = clock.as_utc(prompt.opens_at)
    thread = _new_thread(
        group,
        author_id,
        _("Dag %(day)d: %(title)s", day=prompt.day, title=prompt.title),
        prompt.body_source,
        at,
    )
    reflection = _new_thread(
        group,
        author_id,
        _("Terugblik dag %(day)d: %(title)s", day=prompt.day, title=prompt.title),
        _(
            "Hoe was deze dag voor je? Wat viel je op in de antwoorden van anderen? "
            "Aan het eind van de dag kijken we hier samen terug."
        ),
        at,
    )
    prompt.story_id = thread.id
    prompt.reflection_story_id = reflection.id
    return True


def ensure_open(prompt: Prompt) -> Prompt:
    """Open the threads of a prompt whose time has come, if the worker has not yet."""
    if prompt.story_id is None and is_open(prompt):
        with unit_of_work():
            open_threads(prompt)
    return prompt


def consenting_participants(study: Study) -> list[Participation]:
    """Participants who may take part right now: not withdrawn, current consent given."""
    return list(
        db.session.execute(
            sa.select(Participation)
            .where(
                Participation.study_id == study.id,
                Participation.withdrawn_at.is_(None),
                Participation.consent_version >= study.consent_version,
            )
            .order_by(Participation.code)
        ).scalars()
    )


def announce_due(now: datetime) -> dict[str, int]:
    """The worker's job: open every prompt whose time has come and tell its participants,
    once per prompt however many workers run."""
    with unit_of_work():
        due = mark_once(Prompt.announced_at, Prompt.id, Prompt.opens_at <= now, now, ANNOUNCE_BATCH)
        told = 0
        for prompt_id in due:
            prompt = db.session.get(Prompt, prompt_id)
            assert prompt is not None
            open_threads(prompt)
            study = db.session.get(Study, prompt.study_id)
            assert study is not None
            link = url_for("research.prompt", slug=study.group.slug, day=prompt.day)
            data = {"group": study.group.name, "prompt": prompt.title}
            for participation in consenting_participants(study):
                notify(participation.user_id, kinds.RESEARCH_PROMPT_OPENED, data, link)
                told += 1
    return {"opened": len(due), "told": told}


def _responders(prompt: Prompt) -> set[int]:
    if prompt.story_id is None:
        return set()
    rows = db.session.execute(
        sa.select(Reply.author_id).where(
            Reply.story_id == prompt.story_id, Reply.status.in_(COUNTED)
        )
    ).scalars()
    return {author_id for author_id in rows if author_id is not None}


def has_responded(prompt: Prompt, user: User) -> bool:
    """Has ``user`` responded to ``prompt`` (a response waiting for a moderator counts)?"""
    return user.id in _responders(prompt)


def remind(group: Group, day: int, *, actor: User) -> int:
    """Remind the participants who have not responded to an open prompt yet, once per
    prompt; returns how many were reminded. Raises NotFound, NotAllowed or Conflict."""
    services.check_researcher(actor, group)
    study = services.study_of(group)
    prompt = prompt_on(group, day, actor=actor)
    if not is_open(prompt):
        raise Conflict(_("Deze vraag staat nog niet open."))
    ensure_open(prompt)
    with unit_of_work():
        marked = mark_once(Prompt.reminded_at, Prompt.id, Prompt.id == prompt.id, clock.utcnow(), 1)
        if not marked:
            raise Conflict(_("Voor deze dag is al een herinnering gestuurd."))
        answered = _responders(prompt)
        link = url_for("research.prompt", slug=group.slug, day=prompt.day)
        data = {"group": group.name, "prompt": prompt.title}
        waiting = [p for p in consenting_participants(study) if p.user_id not in answered]
        for participation in waiting:
            notify(participation.user_id, kinds.RESEARCH_REMINDER, data, link)
        audit.record(
            actor,
            "research.reminded",
            "research_prompt",
            prompt.id,
            group_id=group.id,
            details={"day": prompt.day, "reminded": len(waiting)},
        )
    return len(waiting)


@dataclass(frozen=True)
class MatrixRow:
    """One participant by study code: per open prompt, whether they responded."""

    code: str
    answered: list[bool]
    consent_current: bool

    @property
    def count(self) -> int:
        return sum(self.answered)


@dataclass(frozen=True)
class Matrix:
    """Who answered which prompt, by study code; withdrawn participants are left out."""

    prompts: list[Prompt]
    rows: list[MatrixRow]
    withdrawn: int

    def answered_on(self, index: int) -> int:
        """How many participants answered the prompt at ``index``."""
        return sum(1 for row in self.rows if row.answered[index])


def matrix(group: Group, *, actor: User) -> Matrix:
    """The participation matrix of the open prompts; raises NotFound or NotAllowed."""
    services.check_researcher(actor, group)
    study = services.study_of(group)
    now = clock.utcnow()
    shown = [prompt for prompt in prompts(group, actor=actor) if is_open(prompt, now)]
    story_ids = [prompt.story_id for prompt in shown if prompt.story_id is not None]
    pairs: set[tuple[Any, Any]] = set()
    if story_ids:
        pairs = {
            (story_id, author_id)
            for story_id, author_id in db.session.execute(
                sa.select(Reply.story_id, Reply.author_id)
                .where(Reply.story_id.in_(story_ids), Reply.status.in_(COUNTED))
                .distinct()
            ).all()
        }
    participations = services.active_participations(study)
    rows = [
        MatrixRow(
            code=participation.code,
            answered=[(prompt.story_id, participation.user_id) in pairs for prompt in shown],
            consent_current=participation.consent_version >= study.consent_version,
        )
        for participation in participations
    ]
    withdrawn = db.session.execute(
        sa.select(sa.func.count())
        .select_from(Participation)
        .where(Participation.study_id == study.id, Participation.withdrawn_at.is_not(None))
    ).scalar_one()
    return Matrix(prompts=shown, rows=rows, withdrawn=int(withdrawn))
