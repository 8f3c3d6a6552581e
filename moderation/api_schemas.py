"""The shapes of the moderation API (the review queue, one item, a decision), as pydantic
models on the API's own bases, so the OpenAPI document describes them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.api.schemas import GroupRef, Input, Output, PostState, Query
from app.api.spec import ID_MAX

SignalName = Literal["report", "notice", "held", "crisis", "identifying", "flagged", "appeal"]
PriorityName = Literal["crisis", "identifying", "normal"]
TargetName = Literal["story", "reply", "user"]
ContentDecision = Literal["approve", "remove", "redact", "move", "close", "keep_out"]
MemberActionName = Literal["", "warn", "silence", "suspend", "ban"]


class QueueQuery(Query):
    kind: Literal["", SignalName] = Field(
        default="", description="Keep only items with a signal of this kind."
    )


class QueueItemOut(Output):
    id: int
    target_type: TargetName
    priority: PriorityName
    signals: list[SignalName] = Field(description="The kinds of signal, each once.")
    created_at: datetime
    due_at: datetime
    overdue: bool
    claimed_by: str | None = Field(description="The moderator who took it on, if any.")
    version: int = Field(description="Send with a decision; a stale one answers 409.")
    url: str = Field(description="The item's moderation page.")


class ModerationQueue(Output):
    items: list[QueueItemOut]
    open: int = Field(description="How many items wait for a decision in all.")


class SignalOut(Output):
    kind: SignalName
    category: str
    note: str = Field(description="What the reporter wrote; who reported is never shown.")
    created_at: datetime
    snapshot_title: str
    snapshot_body: str = Field(description="The text as it was when the signal came in.")


class ContentOut(Output):
    type: Literal["story", "reply"]
    id: int
    story_id: int
    story_title: str
    group: GroupRef | None
    body_html: str
    body_source: str = Field(description="The text as written, to start a redaction from.")
    status: PostState
    anonymous: bool
    url: str


class ItemAuthorOut(Output):
    id: int
    pseudonym: str


class RevisionOut(Output):
    created_at: datetime
    title: str | None
    body_source: str


class NoteOut(Output):
    author_name: str
    created_at: datetime
    body: str


class RecentPostOut(Output):
    type: Literal["story", "reply"]
    id: int
    created_at: datetime
    text: str = Field(description="A story's title, or a reply's first 120 characters.")
    status: PostState


class EarlierDecisionOut(Output):
    id: int
    decided_at: datetime | None
    decision: str
    decided_by_name: str
    reason: str


class ReasonOut(Output):
    id: int
    title: str


class AppealOut(Output):
    item_id: int
    decided_by_name: str
    reason: str


class DecidedOut(Output):
    decision: str
    member_action: str
    member_action_until: datetime | None
    reason: str
    rule: str
    decided_at: datetime | None
    decided_by_name: str


class ModerationItemOut(Output):
    id: int
    status: Literal["open", "decided"]
    target_type: TargetName
    priority: PriorityName
    created_at: datetime
    due_at: datetime
    version: int = Field(description="Send with a decision; a stale one answers 409.")
    claimed_by: str | None
    appeal_of: AppealOut | None = Field(description="The decision this item appeals against.")
    content: ContentOut | None = Field(description="Null for a member or deleted content.")
    author: ItemAuthorOut | None = Field(
        description="Who wrote it, also for an anonymous post, as the moderation page shows "
        "it (only moderators ever get this answer; looking is written to the audit log)."
    )
    signals: list[SignalOut]
    revisions: list[RevisionOut]
    notes: list[NoteOut]
    recent_posts: list[RecentPostOut] = Field(description="The writer's newest posts.")
    earlier_decisions: list[EarlierDecisionOut]
    reasons: list[ReasonOut] = Field(description="Reasons to pick as `template_id`.")
    move_to: list[GroupRef] = Field(description="Groups a story can be moved to.")
    decided: DecidedOut | None


class DecisionIn(Input):
    version: int = Field(ge=1, le=ID_MAX, description="The item's `version` you looked at.")
    decision: ContentDecision
    reason: str = Field(
        default="",
        max_length=2000,
        description="Why, for the writer; needed to remove, redact or move, and for any "
        "action on the account.",
    )
    template_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    member_action: MemberActionName = ""
    days: int | None = Field(
        default=None, ge=1, le=ID_MAX, description="For silence and suspend: 1 to 365."
    )
    new_text: str = Field(default="", max_length=100_000, description="For redact.")
    group: str = Field(default="", max_length=200, description="For move: the group's slug.")


class DecisionOut(Output):
    id: int
    status: Literal["decided"]
    decided: DecidedOut
    message: str
