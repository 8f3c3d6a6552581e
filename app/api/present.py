"""Turning stories, replies and groups into API answers, with the pages' anonymity rules.

An anonymous post never names its writer, not even to moderators here (they see the writer
on a moderation item only, page or API: :mod:`moderation.api_present`), and never carries an
ambassador or staff badge: with so few
of those, a badge would all but name the writer. The writer sees ``own: true``, as the pages
tell them "dit schreef jij".
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for

from app import permissions
from app.accounts.models import AccountStatus
from app.api import schemas
from app.blocks import services as blocks
from app.groups import queries
from app.groups.models import Group
from app.guarantee.queue import Waiting
from app.permissions import Actor
from app.stories import reactions, services
from app.stories.models import Reply, Story


def _own(actor: Actor | None, post: Story | Reply) -> bool:
    user = permissions.as_user(actor)
    return user is not None and post.author_id is not None and post.author_id == user.id


def _author(
    post: Story | Reply, ambassadors: set[int], staff: set[int]
) -> schemas.AuthorOut | None:
    if post.anonymous or post.author is None or post.author.status == AccountStatus.DELETED.value:
        return None
    return schemas.AuthorOut(
        pseudonym=post.author.pseudonym,
        ambassador=post.author.id in ambassadors,
        staff=post.author.id in staff,
    )


def group_ref(group: Group) -> schemas.GroupRef:
    return schemas.GroupRef(slug=group.slug, name=group.name)


def group(
    group: Group, actor: Actor | None, member_count: int, state: queries.ViewerState
) -> schemas.GroupOut:
    """A group as the actor may know it."""
    return schemas.GroupOut(
        slug=group.slug,
        name=group.name,
        description=group.description,
        theme=group.theme,
        kind=group.kind,
        visibility=group.visibility,  # type: ignore[arg-type]
        member_count=member_count,
        state=state.value,
        may_read=permissions.can_read_group(actor, group),
        may_post=permissions.can_post_in_group(actor, group),
        url=url_for("groups.show", slug=group.slug, _external=True),
    )


def stories(actor: Actor | None, items: Sequence[Story]) -> list[schemas.StoryOut]:
    """Stories for a list: badges looked up once per group, no reactions."""
    out = []
    by_group: dict[int, list[Story]] = {}
    for story in items:
        by_group.setdefault(story.group_id, []).append(story)
    badges = {
        group_id: (
            services.ambassadors_among(group_id, posts),
            services.staff_among(posts[0].group, posts),
        )
        for group_id, posts in by_group.items()
    }
    for story in items:
        ambassadors, staff = badges[story.group_id]
        out.append(story_out(actor, story, ambassadors, staff))
    return out


def story_out(
    actor: Actor | None,
    story: Story,
    ambassadors: set[int],
    staff: set[int],
    tally: reactions.Tally | None = None,
) -> schemas.StoryOut:
    """One story as the actor may see it."""
    return schemas.StoryOut(
        id=story.id,
        url=url_for("stories.show", story_id=story.id, _external=True),
        group=group_ref(story.group),
        title=story.title,
        body_html=story.body_html,
        anonymous=story.anonymous,
        own=_own(actor, story),
        author=_author(story, ambassadors, staff),
        status=story.status,  # type: ignore[arg-type]
        published_at=story.published_at,
        edited_at=story.edited_at,
        reply_count=story.reply_count,
        content_warnings=list(story.content_warnings or []),
        content_warning_note=story.content_warning_note,
        replies_closed=story.replies_closed_at is not None,
        reactions=schemas.Tally(**tally.as_json()) if tally is not None else None,  # type: ignore[arg-type]
    )


def one_story(actor: Actor | None, story: Story, with_reactions: bool = True) -> schemas.StoryOut:
    """A single story with its badges (and the reactions on it)."""
    tally = None
    if with_reactions:
        tally = reactions.board_for(story, actor).tally(story)
    return story_out(
        actor,
        story,
        services.ambassadors_among(story.group_id, [story]),
        services.staff_among(story.group, [story]),
        tally,
    )


def replies(actor: Actor | None, story: Story, items: Sequence[Reply]) -> list[schemas.ReplyOut]:
    """The replies of ``story`` as the thread shows them to the actor."""
    ambassadors = services.ambassadors_among(story.group_id, items)
    staff = services.staff_among(story.group, items)
    return [reply_out(actor, reply, ambassadors, staff) for reply in items]


def reply_out(
    actor: Actor | None, reply: Reply, ambassadors: set[int], staff: set[int]
) -> schemas.ReplyOut:
    """One reply; a named reply by a member the actor blocked is folded away, as on the
    page (an anonymous one never is: that would tell who wrote it)."""
    folded = not reply.anonymous and blocks.hides(actor, reply)
    deleted = reply.status == "deleted"
    return schemas.ReplyOut(
        id=reply.id,
        story_id=reply.story_id,
        body_html="" if folded or deleted else reply.body_html,
        anonymous=reply.anonymous,
        own=_own(actor, reply),
        author=None if folded or deleted else _author(reply, ambassadors, staff),
        status=reply.status,  # type: ignore[arg-type]
        created_at=reply.created_at,
        edited_at=reply.edited_at,
        hidden_by_block=folded,
    )


def waiting(actor: Actor | None, items: Sequence[Waiting]) -> list[schemas.WaitingOut]:
    """The ambassador's queue: each story as the actor may see it, its time left and who
    took it on (as the queue page shows them)."""
    me = permissions.as_user(actor)
    shown = stories(actor, [item.story for item in items])
    return [
        schemas.WaitingOut(
            story=story,
            due_at=item.watch.due_at,
            seconds_left=int(item.time_left.total_seconds()),
            overdue=item.overdue,
            claimed_by=(
                schemas.ClaimerOut(
                    pseudonym=item.claimed_by.pseudonym,
                    you=me is not None and item.claimed_by.id == me.id,
                )
                if item.claimed_by is not None
                else None
            ),
        )
        for item, story in zip(items, shown, strict=True)
    ]
