"""A member's own data, to take with them (GDPR access and portability).

Everything the server holds about the member — profile, memberships and join requests,
stories and replies (with their earlier versions), reactions, follows, notifications,
reports they made, decisions about them, research participation with every consent given
or withdrawn, logins — as ``gegevens.json`` plus a readable
``overzicht.html``, in one ZIP. Nothing of anyone else: no other member's pseudonym or words
(a notification says what happened, not who did it; a block says since when, not whom).

Small accounts get their file at once; larger ones are prepared by the background worker,
which tells the member when it is ready. Files are kept for ``EXPORT_DAYS`` days.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template, url_for

from app import clock
from app.accounts import tokens, two_factor
from app.accounts.models import AuthSession, DataExport, User
from app.blocks.models import MemberBlock
from app.dashboard.models import ActivityDay
from app.database import unit_of_work
from app.errors import NotFound
from app.extensions import db
from app.groups.models import Group, JoinRequest, Membership
from app.notifications.models import Notification
from app.stories.models import Follow, Reaction, Reply, Revision, Story

EXPORT_DAYS = 7
# Records up to which the file is made at once, in the request; above it, by the worker.
INLINE_LIMIT = 2000


class ExportNotReady(Exception):
    """The file is still being prepared."""


def _when(moment: datetime | None) -> str | None:
    return clock.as_utc(moment).isoformat() if moment is not None else None


def _revisions(**where: int) -> list[dict[str, Any]]:
    column = Revision.story_id if "story_id" in where else Revision.reply_id
    rows = db.session.execute(
        sa.select(Revision).where(column == next(iter(where.values()))).order_by(Revision.id)
    ).scalars()
    return [
        {"title": r.title, "text": r.body_source, "saved_at": _when(r.created_at)} for r in rows
    ]


def collect(user: User) -> dict[str, Any]:
    """Every record the member owns, as plain data."""
    from app.research.models import ConsentRecord, Participation
    from moderation import member_data

    def rows(statement: Any) -> list[Any]:
        return list(db.session.execute(statement).scalars())

    stories = rows(sa.select(Story).where(Story.author_id == user.id).order_by(Story.id))
    replies = rows(sa.select(Reply).where(Reply.author_id == user.id).order_by(Reply.id))
    return {
        "made_at": _when(clock.utcnow()),
        "profile": {
            "pseudonym": user.pseudonym,
            "email": user.email,
            "role": user.role,
            "language": user.locale,
            "joined_at": _when(user.created_at),
            "house_rules_accepted_at": _when(user.house_rules_accepted_at),
            "reading_preferences": user.warning_filters or {},
            "two_step_verification": two_factor.is_enabled(user),
        },
        "memberships": [
            {"group": m.group.name, "role": m.role, "since": _when(m.created_at)}
            for m in rows(sa.select(Membership).where(Membership.user_id == user.id))
        ],
        "join_requests": [
            {
                "group": j.group.name,
                "motivation": j.motivation,
                "status": j.status,
                "asked_at": _when(j.created_at),
                "decided_at": _when(j.decided_at),
            }
            for j in rows(sa.select(JoinRequest).where(JoinRequest.user_id == user.id))
        ],
        "stories": [
            {
                "id": s.id,
                "group": s.group.name,
                "title": s.title,
                "text": s.body_source,
                "anonymous": s.anonymous,
                "status": s.status,
                "content_warnings": list(s.content_warnings or []),
                "content_warning_note": s.content_warning_note,
                "written_at": _when(s.created_at),
                "published_at": _when(s.published_at),
                "edited_at": _when(s.edited_at),
                "deleted_at": _when(s.deleted_at),
                "earlier_versions": _revisions(story_id=s.id),
            }
            for s in stories
        ],
        "replies": [
            {
                "id": r.id,
                "story_id": r.story_id,
                "text": r.body_source,
                "anonymous": r.anonymous,
                "status": r.status,
                "written_at": _when(r.created_at),
                "edited_at": _when(r.edited_at),
                "deleted_at": _when(r.deleted_at),
                "earlier_versions": _revisions(reply_id=r.id),
            }
            for r in replies
        ],
        "reactions": [
            {
                "kind": r.kind,
                "story_id": r.story_id,
                "reply_id": r.reply_id,
                "at": _when(r.created_at),
            }
            for r in rows(sa.select(Reaction).where(Reaction.user_id == user.id))
        ],
        "follows": [
            {"story_id": f.story_id, "since": _when(f.created_at)}
            for f in rows(sa.select(Follow).where(Follow.user_id == user.id))
        ],
        "notifications": [
            {
                "kind": n.kind,
                "link": n.link,
                "at": _when(n.created_at),
                "read_at": _when(n.read_at),
            }
            for n in rows(sa.select(Notification).where(Notification.user_id == user.id))
        ],
        "blocks": [
            {"since": _when(b.created_at)}
            for b in rows(sa.select(MemberBlock).where(MemberBlock.blocker_id == user.id))
        ],
        "reports_made": member_data.reports_made(user.id),
        "decisions_about_me": member_data.decisions_about(user.id),
        "research": [
            {
                "group": p.study.group.name,
                "study_code": p.code,
                "joined_at": _when(p.joined_at),
                "withdrawn_at": _when(p.withdrawn_at),
                "consents": [
                    {"action": c.action, "version": c.version, "at": _when(c.created_at)}
                    for c in rows(
                        sa.select(ConsentRecord)
                        .where(ConsentRecord.participation_id == p.id)
                        .order_by(ConsentRecord.id)
                    )
                ],
            }
            for p in rows(sa.select(Participation).where(Participation.user_id == user.id))
        ],
        # Kept for the community figures (how many members were active); deleted with the account.
        "active_days": [
            {"group": name, "day": day.isoformat()}
            for day, name in db.session.execute(
                sa.select(ActivityDay.day, Group.name)
                .join(Group, Group.id == ActivityDay.group_id)
                .where(ActivityDay.user_id == user.id)
                .order_by(ActivityDay.day, Group.name)
            )
        ],
        "logins": [
            {
                "device": a.device_label,
                "started_at": _when(a.created_at),
                "last_seen_at": _when(a.last_seen_at),
            }
            for a in rows(sa.select(AuthSession).where(AuthSession.user_id == user.id))
        ],
        # Names and dates of the keys for programs; the keys themselves are never kept.
        "access_tokens": tokens.export_rows(user),
    }


def _record_count(user: User) -> int:
    total = 0
    for model, column in (
        (Story, Story.author_id),
        (Reply, Reply.author_id),
        (Reaction, Reaction.user_id),
        (Notification, Notification.user_id),
    ):
        total += int(
            db.session.execute(
                sa.select(sa.func.count()).select_from(model).where(column == user.id)
            ).scalar_one()
        )
    return total


def make_zip(user: User) -> bytes:
    """The ZIP: ``gegevens.json`` and ``overzicht.html``."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(
            "overzicht.html", render_template("accounts/export_overview.html", data=data)
        )
    return buffer.getvalue()


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_path(export: DataExport) -> Path:
    """Where the file of ``export`` is (or will be)."""
    return _folder() / f"{export.token}.zip"


def request_export(user: User) -> DataExport:
    """Ask for the member's data: made at once for a small account, else by the worker."""
    with unit_of_work() as session:
        export = DataExport(user_id=user.id, token=secrets.token_urlsafe(32))
        session.add(export)
    if _record_count(user) <= INLINE_LIMIT:
        _prepare(export)
    return export


def _prepare(export: DataExport) -> None:
    user = db.session.get(User, export.user_id)
    if user is None:
        return
    export_path(export).write_bytes(make_zip(user))
    with unit_of_work():
        now = clock.utcnow()
        export.ready_at = now
        export.expires_at = now + timedelta(days=EXPORT_DAYS)


def prepare_waiting(now: datetime) -> Mapping[str, int]:
    """Worker job: make the files asked for, tell their members, remove expired ones."""
    from app.notifications import kinds
    from app.notifications.services import notify

    waiting = list(
        db.session.execute(
            sa.select(DataExport).where(DataExport.ready_at.is_(None)).order_by(DataExport.id)
        ).scalars()
    )
    for export in waiting:
        _prepare(export)
        with unit_of_work():
            notify(export.user_id, kinds.DATA_EXPORT_READY, {}, url_for("data_export.page"))
    expired = list(
        db.session.execute(sa.select(DataExport).where(DataExport.expires_at < now)).scalars()
    )
    for export in expired:
        export_path(export).unlink(missing_ok=True)
    if expired:
        with unit_of_work() as session:
            session.execute(sa.delete(DataExport).where(DataExport.id.in_([e.id for e in expired])))
    return {"prepared": len(waiting), "removed": len(expired)}


def exports_of(user: User) -> list[DataExport]:
    """The member's requests that have not expired, newest first."""
    return list(
        db.session.execute(
            sa.select(DataExport)
            .where(
                DataExport.user_id == user.id,
                sa.or_(DataExport.expires_at.is_(None), DataExport.expires_at > clock.utcnow()),
            )
            .order_by(DataExport.id.desc())
        ).scalars()
    )


def file_for(user: User, export_id: int) -> Path:
    """The ready file of one of the member's own exports; raises NotFound or ExportNotReady."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != user.id:
        raise NotFound
    if export.expires_at is not None and export.expires_at <= clock.utcnow():
        raise NotFound
    if export.ready_at is None:
        raise ExportNotReady()
    path = export_path(export)
    if not path.exists():
        raise NotFound
    return path
