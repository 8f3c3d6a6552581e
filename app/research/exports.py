"""Exports of a study's prompts, responses and reflections, as CSV and as JSON.

Participants appear only as their study code (``P01``, ``P02``, …), never by pseudonym or
account id; the group's researchers appear as "onderzoeker". Withdrawn participants and
anything held, removed or deleted are left out. Every export is written to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import clock, csv_files
from app.accounts.models import User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import NotFound
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership
from app.research import programme, services
from app.research.models import Participation, Prompt, Study
from app.stories.models import PostStatus, Reply

RESEARCHER = "onderzoeker"
RESPONSE = "antwoord"
REFLECTION = "terugblik"
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Contribution:
    """One response or reflection as exported."""

    day: int
    kind: str
    participant: str
    posted_at: datetime
    text: str


@dataclass(frozen=True)
class Export:
    """A finished export: the bytes, the file name and the media type."""

    content: bytes
    filename: str
    mimetype: str


def _speakers(study: Study, group: Group) -> dict[int, str]:
    """Account id → how the export names them: study code, or "onderzoeker". Withdrawn
    participants are not in it, so nothing of theirs gets through."""
    names: dict[int, str] = {
        user_id: RESEARCHER
        for user_id in db.session.execute(
            sa.select(Membership.user_id).where(
                Membership.group_id == group.id, Membership.role == GroupRole.MANAGER.value
            )
        ).scalars()
    }
    for participation in db.session.execute(
        sa.select(Participation).where(
            Participation.study_id == study.id, Participation.withdrawn_at.is_(None)
        )
    ).scalars():
        names[participation.user_id] = participation.code
    return names


def contributions(study: Study, group: Group, opened: list[Prompt]) -> list[Contribution]:
    """The published responses and reflections to ``opened`` prompts, by day and time."""
    threads: dict[int, tuple[int, str]] = {}
    for prompt in opened:
        if prompt.story_id is not None:
            threads[prompt.story_id] = (prompt.day, RESPONSE)
        if prompt.reflection_story_id is not None:
            threads[prompt.reflection_story_id] = (prompt.day, REFLECTION)
    if not threads:
        return []
    speakers = _speakers(study, group)
    rows = db.session.execute(
        sa.select(Reply)
        .where(Reply.story_id.in_(list(threads)), Reply.status == PostStatus.PUBLISHED.value)
        .order_by(Reply.created_at, Reply.id)
    ).scalars()
    found = []
    for reply in rows:
        speaker = speakers.get(reply.author_id) if reply.author_id is not None else None
        if speaker is None:
            continue
        day, kind = threads[reply.story_id]
        found.append(Contribution(day, kind, speaker, reply.created_at, reply.body_source))
    return sorted(found, key=lambda item: (item.day, item.kind, item.posted_at))


def _iso(moment: datetime) -> str:
    return clock.as_utc(moment).isoformat(timespec="seconds")


def as_csv(opened: list[Prompt], items: list[Contribution]) -> bytes:
    """One row per contribution, with its prompt; prompts nobody answered get one row too."""
    by_day = {prompt.day: prompt for prompt in opened}
    header = [
        "dag",
        "vraag_titel",
        "vraag",
        "video",
        "opent_op",
        "soort",
        "deelnemer",
        "geplaatst_op",
        "tekst",
    ]
    answered_days = {item.day for item in items}
    rows: list[list[object]] = [
        [prompt.day, *_prompt_cells(prompt), "", "", "", ""]
        for prompt in opened
        if prompt.day not in answered_days
    ]
    rows.extend(
        [
            item.day,
            *_prompt_cells(by_day[item.day]),
            item.kind,
            item.participant,
            _iso(item.posted_at),
            item.text,
        ]
        for item in items
    )
    return csv_files.as_text(header, rows).encode("utf-8")


def _prompt_cells(prompt: Prompt) -> list[str]:
    return [prompt.title, prompt.body_source, prompt.video_url, _iso(prompt.opens_at)]


def as_json(group: Group, opened: list[Prompt], items: list[Contribution]) -> bytes:
    """The programme with, per prompt, its responses and reflections."""
    document: dict[str, Any] = {
        "onderzoek": group.name,
        "geexporteerd_op": _iso(clock.utcnow()),
        "vragen": [
            {
                "dag": prompt.day,
                "titel": prompt.title,
                "vraag": prompt.body_source,
                "video": prompt.video_url,
                "opent_op": _iso(prompt.opens_at),
                "antwoorden": [
                    _item(i) for i in items if i.day == prompt.day and i.kind == RESPONSE
                ],
                "terugblik": [
                    _item(i) for i in items if i.day == prompt.day and i.kind == REFLECTION
                ],
            }
            for prompt in opened
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _item(item: Contribution) -> dict[str, str]:
    return {"deelnemer": item.participant, "geplaatst_op": _iso(item.posted_at), "tekst": item.text}


def export(group: Group, fmt: str, *, actor: User) -> Export:
    """Export the study in ``fmt`` ("csv" or "json") and log it; raises NotFound (unknown
    format, or hidden study) or NotAllowed (not one of its researchers)."""
    services.check_researcher(actor, group)
    if fmt not in FORMATS:
        raise NotFound
    study = services.study_of(group)
    now = clock.utcnow()
    opened = [
        prompt for prompt in programme.prompts(group, actor=actor) if programme.is_open(prompt, now)
    ]
    items = contributions(study, group, opened)
    if fmt == "csv":
        content, mimetype = as_csv(opened, items), "text/csv; charset=utf-8"
    else:
        content, mimetype = as_json(group, opened, items), "application/json"
    with unit_of_work():
        audit.record(
            actor,
            "research.exported",
            "study",
            study.id,
            group_id=group.id,
            details={"format": fmt, "prompts": len(opened), "contributions": len(items)},
        )
    stamp = clock.local(now).strftime("%Y%m%d-%H%M")
    return Export(content, f"onderzoek-{group.slug}-{stamp}.{fmt}", mimetype)
