"""Loading the demo community into the database, safely and as often as you like.

Rows are keyed on what a person would recognise: a group by its slug, a member by pseudonym,
a story by its title within its group, a reply by its writer and text within its story. What
exists is left alone; what is missing is added. Everything happens in one unit of work.
"""

from __future__ import annotations

import os
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from app import clock, markup
from app.accounts import passwords, pseudonyms
from app.accounts.models import User
from app.database import unit_of_work
from app.demo import research
from app.demo.content import ALL_MEMBERS, DEMO_ACCOUNTS, GROUPS, DemoMember
from app.demo.content_stories import STORIES, DemoStory
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership
from app.guarantee import ladder
from app.stories.models import PostStatus, Reply, Story

PASSWORD_FILE = "demo_password"  # noqa: S105 (a file name, not a secret)
# Demo accounts carry an address that can never receive mail; it marks them as demo accounts.
DEMO_EMAIL_DOMAIN = "demo.invalid"
_ROLE_RANK = {GroupRole.MEMBER: 0, GroupRole.AMBASSADOR: 1, GroupRole.MANAGER: 2}


class DemoConflict(Exception):
    """A pseudonym the demo needs belongs to a real (non-demo) account."""


@dataclass(frozen=True)
class DemoPassword:
    """The password every demo account shares, and where it came from."""

    value: str
    source: str  # "config", "instance" or "generated"


@dataclass
class LoadReport:
    """What ``load`` found and added."""

    password: DemoPassword
    groups_added: int = 0
    members_added: int = 0
    memberships_added: int = 0
    stories_added: int = 0
    replies_added: int = 0
    password_updated: bool = False


def password_file() -> Path:
    """Where a generated demo password is kept between runs."""
    return Path(current_app.instance_path) / PASSWORD_FILE


def demo_password() -> DemoPassword:
    """DEMO_PASSWORD when configured, else the one kept in the instance folder (made once)."""
    configured = str(current_app.config.get("DEMO_PASSWORD") or "").strip()
    if configured:
        return DemoPassword(configured, "config")
    path = password_file()
    if path.exists():
        return DemoPassword(path.read_text(encoding="utf-8").strip(), "instance")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(18)
    # Owner-only from the start: never world-readable, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return DemoPassword(value, "generated")


def demo_email(pseudonym: str) -> str:
    """The never-deliverable address that marks a demo account."""
    return f"{pseudonyms.key_for(pseudonym)}@{DEMO_EMAIL_DOMAIN}"


def is_demo_account(user: User) -> bool:
    """Tell whether ``user`` was made by the demo loader."""
    return (user.email_key or "").endswith("@" + DEMO_EMAIL_DOMAIN)


def load(now: datetime | None = None) -> LoadReport:
    """Add whatever part of the demo community is missing; raises DemoConflict."""
    now = now or clock.utcnow()
    report = LoadReport(password=demo_password())
    with unit_of_work() as session:
        groups = _ensure_groups(session, report, now)
        users = _ensure_members(session, report, now)
        _ensure_memberships(session, report, groups, users, now)
        _ensure_stories(session, report, groups, users, now)
        research.ensure_study(session, groups, users, now)
    # Demo stories are old: their clocks start without a flood of reminders.
    while ladder.start_missing_clocks(now, quietly=True):
        pass
    return report


def _ensure_groups(session: Session, report: LoadReport, now: datetime) -> dict[str, Group]:
    slugs = [group.slug for group in GROUPS]
    existing = {
        group.slug: group
        for group in session.execute(sa.select(Group).where(Group.slug.in_(slugs))).scalars()
    }
    for demo in GROUPS:
        if demo.slug in existing:
            continue
        group = Group(
            slug=demo.slug,
            name=demo.name,
            description=demo.description,
            house_rules=demo.house_rules,
            kind=demo.kind.value,
            theme=demo.theme,
            visibility=demo.visibility.value,
            created_at=now - timedelta(days=90),
        )
        session.add(group)
        existing[demo.slug] = group
        report.groups_added += 1
    session.flush()
    return existing


def _ensure_members(session: Session, report: LoadReport, now: datetime) -> dict[str, User]:
    keys = {pseudonyms.key_for(member.pseudonym): member for member in ALL_MEMBERS}
    existing = {
        user.pseudonym_key: user
        for user in session.execute(sa.select(User).where(User.pseudonym_key.in_(keys))).scalars()
    }
    for user in existing.values():
        if not is_demo_account(user):
            raise DemoConflict(
                f"De schuilnaam {user.pseudonym!r} hoort bij een echt account; "
                "de demo laadt niet over echte accounts heen."
            )
    password = report.password.value
    # One argon2 hash for every demo account: hashing dozens of times is slow on purpose.
    password_hash: str | None = None
    if existing:
        sample = next(iter(existing.values()))
        if not passwords.verify_password(sample.password_hash, password):
            password_hash = passwords.hash_password(password)
            for user in existing.values():
                user.password_hash = password_hash
                user.password_changed_at = now
            report.password_updated = True
    by_pseudonym: dict[str, User] = {}
    for key, member in keys.items():
        found = existing.get(key)
        if found is None:
            password_hash = password_hash or passwords.hash_password(password)
            found = _new_user(member, password_hash, now)
            session.add(found)
            report.members_added += 1
        by_pseudonym[member.pseudonym] = found
    session.flush()
    return by_pseudonym


def _new_user(member: DemoMember, password_hash: str, now: datetime) -> User:
    email = demo_email(member.pseudonym)
    return User(
        pseudonym=member.pseudonym,
        pseudonym_key=pseudonyms.key_for(member.pseudonym),
        email=email,
        email_key=email,
        password_hash=password_hash,
        password_changed_at=now,
        role=member.role.value,
        house_rules_accepted_at=now - timedelta(days=60),
        created_at=now - timedelta(days=60),
    )


def wanted_memberships() -> dict[tuple[str, str], GroupRole]:
    """Every (group slug, pseudonym) the demo needs, with the highest role it asks for."""
    wanted: dict[tuple[str, str], GroupRole] = {}

    def want(slug: str, pseudonym: str, role: GroupRole) -> None:
        current = wanted.get((slug, pseudonym))
        if current is None or _ROLE_RANK[role] > _ROLE_RANK[current]:
            wanted[(slug, pseudonym)] = role

    for member in ALL_MEMBERS:
        for slug in member.groups:
            want(slug, member.pseudonym, GroupRole.MEMBER)
        for slug in member.ambassador_in:
            want(slug, member.pseudonym, GroupRole.AMBASSADOR)
        for slug in member.manager_of:
            want(slug, member.pseudonym, GroupRole.MANAGER)
    # Whoever writes in a group is a member of it.
    for story in STORIES:
        want(story.group, story.author, GroupRole.MEMBER)
        for reply in story.replies:
            want(story.group, reply.author, GroupRole.MEMBER)
    return wanted


def _ensure_memberships(
    session: Session,
    report: LoadReport,
    groups: dict[str, Group],
    users: dict[str, User],
    now: datetime,
) -> None:
    user_ids = [user.id for user in users.values()]
    existing = {
        (row.group_id, row.user_id): row
        for row in session.execute(
            sa.select(Membership).where(Membership.user_id.in_(user_ids))
        ).scalars()
    }
    for (slug, pseudonym), role in wanted_memberships().items():
        group, user = groups[slug], users[pseudonym]
        row = existing.get((group.id, user.id))
        if row is None:
            session.add(
                Membership(
                    group_id=group.id,
                    user_id=user.id,
                    role=role.value,
                    created_at=now - timedelta(days=60),
                )
            )
            report.memberships_added += 1
        elif _ROLE_RANK[GroupRole(row.role)] < _ROLE_RANK[role]:
            row.role = role.value
    session.flush()


def _ensure_stories(
    session: Session,
    report: LoadReport,
    groups: dict[str, Group],
    users: dict[str, User],
    now: datetime,
) -> None:
    group_ids = [group.id for group in groups.values()]
    stories = {
        (story.group_id, story.title): story
        for story in session.execute(sa.select(Story).where(Story.group_id.in_(group_ids)))
        .scalars()
        .all()
    }
    for demo in STORIES:
        key = (groups[demo.group].id, demo.title)
        if key not in stories:
            stories[key] = _new_story(demo, groups[demo.group], users[demo.author], now)
            session.add(stories[key])
            report.stories_added += 1
    session.flush()

    demo_story_ids = [stories[(groups[demo.group].id, demo.title)].id for demo in STORIES]
    replies: dict[int, set[tuple[int | None, str]]] = defaultdict(set)
    for story_id, author_id, body in session.execute(
        sa.select(Reply.story_id, Reply.author_id, Reply.body_source).where(
            Reply.story_id.in_(demo_story_ids)
        )
    ):
        replies[story_id].add((author_id, body))
    for demo in STORIES:
        story = stories[(groups[demo.group].id, demo.title)]
        published_at = story.published_at or now
        added = 0
        for demo_reply in demo.replies:
            author = users[demo_reply.author]
            if (author.id, demo_reply.body) in replies[story.id]:
                continue
            created_at = min(published_at + timedelta(hours=demo_reply.hours_after), now)
            session.add(
                Reply(
                    story_id=story.id,
                    author_id=author.id,
                    anonymous=demo_reply.anonymous,
                    body_source=demo_reply.body,
                    body_html=markup.render(demo_reply.body),
                    status=PostStatus.PUBLISHED.value,
                    created_at=created_at,
                )
            )
            added += 1
        if added:
            story.reply_count = (story.reply_count or 0) + added
            report.replies_added += added


def _new_story(demo: DemoStory, group: Group, author: User, now: datetime) -> Story:
    published_at = now - timedelta(days=demo.days_ago)
    return Story(
        group_id=group.id,
        author_id=author.id,
        anonymous=demo.anonymous,
        title=demo.title,
        body_source=demo.body,
        body_html=markup.render(demo.body),
        status=PostStatus.PUBLISHED.value,
        created_at=published_at,
        published_at=published_at,
        reply_count=0,
    )


def demo_account_names() -> list[tuple[str, str]]:
    """The named demo accounts and what each one is for, in the order to print them."""
    return [(member.pseudonym, member.purpose) for member in DEMO_ACCOUNTS]


def count_rows() -> dict[str, int]:
    """How many groups, accounts, memberships, stories and replies the database holds."""
    return {
        name: db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
        for name, model in (
            ("groups", Group),
            ("users", User),
            ("memberships", Membership),
            ("stories", Story),
            ("replies", Reply),
        )
    }
