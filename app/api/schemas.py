"""The shapes of what goes in and out of the API, as pydantic models.

Input models are strict (no "1" for 1, no unknown fields); lengths and allowed values are
checked again by the services, which give the friendly Dutch message. Output models are what
every answer is built from, so the OpenAPI document describes exactly what is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.spec import ID_MAX

ContentWarningName = Literal[
    "violence",
    "sexual_violence",
    "death_and_suicide",
    "self_harm",
    "child_abuse",
    "injury",
    "domestic_abuse",
]
ReactionName = Literal["recognition", "support", "strength", "thanks"]
PostState = Literal["published", "held", "removed", "deleted", "withdrawn"]


class Input(BaseModel):
    """A request body: strict types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """A query string: values are text, so numbers are read from it; unknown names ignored."""

    model_config = ConfigDict(extra="ignore")


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------


class ErrorDetail(Output):
    code: str = Field(description="A stable code to act on, such as `not_found` or `csrf`.")
    message: str = Field(description="What went wrong, for people, in their language.")
    field: str | None = Field(default=None, description="The input field at fault, if one.")


class Error(Output):
    error: ErrorDetail


# --- accounts and the session ---------------------------------------------------------------


class LoginIn(Input):
    pseudonym: str = Field(max_length=200)
    password: str = Field(max_length=2000)
    remember: bool = False
    code: str | None = Field(
        default=None,
        max_length=40,
        description="The code from the authenticator app (or a recovery code), when two-step "
        "verification is on.",
    )


class RegisterIn(Input):
    pseudonym: str = Field(max_length=200)
    password: str = Field(max_length=2000)
    email: str | None = Field(default=None, max_length=254)


class UserOut(Output):
    id: int
    pseudonym: str
    role: str
    house_rules_accepted: bool


class SessionOut(Output):
    user: UserOut
    csrf_token: str | None = Field(
        description="Send as X-CSRF-Token with every write on this cookie login; null when "
        "the request used a personal access token."
    )
    by_token: bool


# --- groups ---------------------------------------------------------------------------------


class GroupRef(Output):
    slug: str
    name: str


class GroupOut(Output):
    slug: str
    name: str
    description: str
    theme: str
    kind: str
    visibility: Literal["public", "closed", "hidden"]
    member_count: int
    state: Literal["member", "pending", "can_join", "can_request", "visitor", "invite_only"]
    may_read: bool
    may_post: bool
    url: str


class GroupList(Output):
    items: list[GroupOut]


class JoinIn(Input):
    motivation: str | None = Field(
        default=None, max_length=2000, description="For a closed group: why you would like to join."
    )


class JoinOut(Output):
    group: GroupRef
    state: Literal["member", "pending"]
    message: str


class LeaveOut(Output):
    group: GroupRef
    may_see: bool = Field(
        description="False when the group is hidden and so gone from view after leaving."
    )
    message: str


class JoinRequestOut(Output):
    id: int
    pseudonym: str = Field(description="Who asks to join (never anonymous, as on the page).")
    motivation: str
    created_at: datetime


class JoinRequestList(Output):
    items: list[JoinRequestOut] = Field(description="Waiting for a decision, oldest first.")


class JoinDecisionIn(Input):
    decision: Literal["approve", "decline"]


class JoinDecisionOut(Output):
    id: int
    pseudonym: str
    decision: Literal["approve", "decline"]
    message: str


# --- stories, replies, reactions ------------------------------------------------------------


class AuthorOut(Output):
    pseudonym: str
    ambassador: bool
    staff: bool


class Tally(Output):
    counts: dict[str, int]
    given: list[str]


class StoryOut(Output):
    id: int
    url: str = Field(description="The story's page.")
    group: GroupRef
    title: str
    body_html: str = Field(description="Sanitised HTML, as the page shows it.")
    anonymous: bool
    own: bool = Field(description="True for the writer themselves.")
    author: AuthorOut | None = Field(
        description="Null for an anonymous story and for a former member."
    )
    status: PostState
    published_at: datetime | None
    edited_at: datetime | None
    reply_count: int
    content_warnings: list[str]
    content_warning_note: str
    replies_closed: bool
    reactions: Tally | None = None


class StoryPage(Output):
    items: list[StoryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next, older page.")


class StoryIn(Input):
    title: str = Field(max_length=2000)
    body: str = Field(max_length=100_000)
    anonymous: bool = False
    content_warnings: list[ContentWarningName] = Field(default_factory=list, max_length=20)
    content_warning_note: str = Field(default="", max_length=2000)
    post_anyway: bool = Field(
        default=False,
        description="Post even though it seems to hold identifying details; a moderator "
        "looks first (202).",
    )


class StoryPatch(Input):
    title: str | None = Field(default=None, max_length=2000)
    body: str | None = Field(default=None, max_length=100_000)
    content_warnings: list[ContentWarningName] | None = Field(default=None, max_length=20)
    content_warning_note: str | None = Field(default=None, max_length=2000)
    post_anyway: bool = False


class SavedStory(Output):
    story: StoryOut
    held: bool = Field(description="Waiting for a moderator (status 202).")
    crisis: bool = Field(description="The text reads as if the writer may be in crisis.")
    message: str | None = Field(description="What to tell the writer, in their language.")


class ReplyOut(Output):
    id: int
    story_id: int
    body_html: str
    anonymous: bool
    own: bool
    author: AuthorOut | None
    status: PostState
    created_at: datetime
    edited_at: datetime | None
    hidden_by_block: bool = Field(description="Written by a member you blocked; folded away.")


class ReplyList(Output):
    items: list[ReplyOut]


class ReplyIn(Input):
    body: str = Field(max_length=100_000)
    anonymous: bool = False
    post_anyway: bool = False


class SavedReply(Output):
    reply: ReplyOut
    held: bool
    crisis: bool
    message: str | None


# --- notifications and search ---------------------------------------------------------------


class NotificationOut(Output):
    id: int
    text: str
    link: str
    created_at: datetime
    unread: bool


class NotificationPage(Output):
    items: list[NotificationOut]
    next_cursor: int | None
    unread: int


class PageQuery(Query):
    cursor: str | None = Field(default=None, max_length=60)
    limit: int = Field(default=20, ge=1, le=100)


class NotificationQuery(Query):
    before: int | None = Field(default=None, ge=1, le=ID_MAX)
    limit: int = Field(default=30, ge=1, le=100)


class SearchQuery(Query):
    q: str = Field(max_length=1000)
    group: str = Field(default="", max_length=200)
    theme: str = Field(default="", max_length=200)
    kind: Literal["", "stories", "replies"] = ""
    page: int = Field(default=1, ge=1, le=50)


class SearchHit(Output):
    kind: Literal["story", "reply"]
    story_id: int
    reply_id: int | None
    title: str
    snippet_html: str | None = Field(
        description="Matches marked with <mark>; null for a story with content warnings."
    )
    url: str
    published_at: datetime | None


class SearchOut(Output):
    q: str
    total: int
    capped: bool
    broadened: bool
    unavailable: bool
    page: int
    pages: int
    items: list[SearchHit]


# --- reports --------------------------------------------------------------------------------


class ReportIn(Input):
    target_type: Literal["story", "reply", "member"]
    target_id: int = Field(ge=1, le=ID_MAX)
    reason: Literal["identifying", "concern", "hurtful", "spam", "unwanted_person", "other"]
    note: str = Field(default="", max_length=5000)


class ReportOut(Output):
    received: bool
    message: str


class ReplyPatch(Input):
    body: str = Field(max_length=100_000)
    post_anyway: bool = False


# --- the response guarantee (ambassadors) ---------------------------------------------------


class ClaimerOut(Output):
    pseudonym: str
    you: bool = Field(description="True when the caller holds the claim.")


class WaitingOut(Output):
    story: StoryOut
    due_at: datetime = Field(description="When the story should have its first response.")
    seconds_left: int = Field(description="Until `due_at`; negative when past it.")
    overdue: bool
    claimed_by: ClaimerOut | None = Field(description="The ambassador who took it on, if any.")


class GuaranteeQueue(Output):
    items: list[WaitingOut]


class ClaimIn(Input):
    story_id: int = Field(ge=1, le=ID_MAX)


class ClaimOut(Output):
    story_id: int
    claimed_until: datetime = Field(description="The claim lapses then; claim again to extend.")
    message: str


# --- following stories and the house rules --------------------------------------------------


class FollowOut(Output):
    story_id: int
    following: bool
    message: str


class HouseRulesOut(Output):
    house_rules_accepted: bool
    url: str = Field(description="The page with the house rules.")
    message: str
