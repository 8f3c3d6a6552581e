"""Stories, their replies and reactions: reading, sharing, changing and deleting (stories
and replies alike), and following a story.

A story or reply that waits for a moderator answers 202 with its state, so the client can
tell the writer; every refusal comes from the same services the pages use.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _

from app import permissions, ratelimits
from app.api import auth, bodies, errors, present, schemas
from app.api.blueprint import bp
from app.api.errors import ApiError
from app.api.spec import ID, operation
from app.errors import NotAllowed, NotFound
from app.groups import queries
from app.stories import follows, reactions, services, writing
from app.stories.models import ReactionKind
from app.stories.services import Saved

TAG = "Stories"


def _json(model: Any, status: int = 200) -> tuple[Response, int]:
    return jsonify(model.model_dump(mode="json")), status


def _message(saved: Saved[Any]) -> str | None:
    """What the pages would tell the writer after saving, in their language."""
    if saved.crisis:
        return _(
            "We lezen dat het je misschien heel zwaar valt. Je hoeft het niet alleen te "
            "doen. Praat erover: hieronder staat waar je nu meteen terecht kunt."
        )
    if saved.held:
        return _(
            "Dank je. Je tekst is goed aangekomen en is in behandeling: een moderator "
            "kijkt er even naar. Daarna ziet iedereen hem. Je hoeft niets opnieuw te "
            "plaatsen."
        )
    return None


def _saved_story(saved: Saved[Any], created: bool) -> tuple[Response, int]:
    actor = auth.current_actor()
    body = schemas.SavedStory(
        story=present.one_story(actor, saved.post, with_reactions=False),
        held=saved.held,
        crisis=saved.crisis,
        message=_message(saved),
    )
    return _json(body, 202 if saved.held else 201 if created else 200)


def _cursor(token: str | None) -> services.FeedCursor | None:
    if not token:
        return None
    try:
        return services.FeedCursor.from_token(token)
    except ValueError:
        raise ApiError(
            422, "invalid", _("Deze cursor kennen we niet. Begin bij de eerste pagina."), "cursor"
        ) from None


def _posting_limit(name: str, limits: str) -> None:
    ratelimits.check(name, limits, ratelimits.user_key(auth.member().id))


@bp.get("/groups/<slug>/stories")
@operation(
    summary="A group's published stories, newest first (keyset pages)",
    tag=TAG,
    query=schemas.PageQuery,
    responses={200: schemas.StoryPage},
    description="Pages are stable under new stories: pass `next_cursor` as `cursor`.",
)
def group_stories(slug: str) -> tuple[Response, int]:
    actor = auth.current_actor()
    args = bodies.query(schemas.PageQuery)
    group = queries.find_group(slug, actor=actor)
    if not permissions.can_read_group(actor, group):
        # The group itself is known (a closed group): say why rather than "not found".
        if permissions.as_user(actor) is None:
            raise errors.unauthorized(_("Log in en word lid om de verhalen te lezen."))
        raise NotAllowed(_("Dit is een besloten groep. Word lid om de verhalen te lezen."))
    page = services.group_stories(actor, group, before=_cursor(args.cursor), limit=args.limit)
    body = schemas.StoryPage(
        items=present.stories(actor, page.stories),
        next_cursor=page.next_cursor.token if page.next_cursor else None,
    )
    return _json(body)


@bp.post("/groups/<slug>/stories")
@operation(
    summary="Share a story in a group you are a member of",
    tag=TAG,
    body=schemas.StoryIn,
    responses={201: schemas.SavedStory, 202: schemas.SavedStory},
    login=True,
    description="202 when a moderator looks first; 422 with code `needs_confirmation` when "
    "the text seems to hold identifying details (send `post_anyway: true` to post it anyway).",
)
def share(slug: str) -> tuple[Response, int]:
    user = auth.member()
    group = queries.find_group(slug, actor=user)
    data = bodies.json_body(schemas.StoryIn)
    _posting_limit("share-story", ratelimits.STORIES_PER_USER)
    saved = services.share_story(
        user,
        group,
        title=data.title,
        body=data.body,
        anonymous=data.anonymous,
        warnings=data.content_warnings,
        warning_note=data.content_warning_note,
        post_anyway=data.post_anyway,
    )
    return _saved_story(saved, created=True)


@bp.get(f"/stories/<{ID}:story_id>")
@operation(summary="One story, with its reactions", tag=TAG, responses={200: schemas.StoryOut})
def story(story_id: int) -> tuple[Response, int]:
    actor = auth.current_actor()
    found = services.story_for_reader(actor, story_id)
    return _json(present.one_story(actor, found))


@bp.patch(f"/stories/<{ID}:story_id>")
@operation(
    summary="Change your own story (fields left out stay as they are)",
    tag=TAG,
    body=schemas.StoryPatch,
    responses={200: schemas.SavedStory, 202: schemas.SavedStory},
    login=True,
)
def change_story(story_id: int) -> tuple[Response, int]:
    user = auth.member()
    own = writing.own_story(user, story_id)
    data = bodies.json_body(schemas.StoryPatch)
    _posting_limit("edit", ratelimits.EDITS_PER_USER)
    saved = writing.revise_story(
        user,
        story_id,
        title=own.title if data.title is None else data.title,
        body=own.body_source if data.body is None else data.body,
        warnings=own.content_warnings if data.content_warnings is None else data.content_warnings,
        warning_note=(
            own.content_warning_note
            if data.content_warning_note is None
            else data.content_warning_note
        ),
        post_anyway=data.post_anyway,
    )
    return _saved_story(saved, created=False)


@bp.delete(f"/stories/<{ID}:story_id>")
@operation(
    summary="Delete your own story; its replies stay readable under a tombstone",
    tag=TAG,
    responses={204: None},
    login=True,
)
def delete_story(story_id: int) -> tuple[str, int]:
    writing.delete_story(auth.member(), story_id)
    return "", 204


@bp.get(f"/stories/<{ID}:story_id>/replies")
@operation(
    summary="The replies to a story, oldest first, as the story page shows them",
    tag=TAG,
    responses={200: schemas.ReplyList},
)
def replies(story_id: int) -> tuple[Response, int]:
    actor = auth.current_actor()
    found = services.story_for_reader(actor, story_id)
    items = present.replies(actor, found, services.replies_to(found, actor))
    return _json(schemas.ReplyList(items=items))


@bp.post(f"/stories/<{ID}:story_id>/replies")
@operation(
    summary="Reply to a story",
    tag=TAG,
    body=schemas.ReplyIn,
    responses={201: schemas.SavedReply, 202: schemas.SavedReply},
    login=True,
)
def reply(story_id: int) -> tuple[Response, int]:
    user = auth.member()
    found = services.story_for_reader(user, story_id)
    data = bodies.json_body(schemas.ReplyIn)
    _posting_limit("reply", ratelimits.REPLIES_PER_USER)
    saved = services.post_reply(
        user, found, data.body, anonymous=data.anonymous, post_anyway=data.post_anyway
    )
    out = present.replies(user, found, [saved.post])[0]
    body = schemas.SavedReply(
        reply=out, held=saved.held, crisis=saved.crisis, message=_message(saved)
    )
    return _json(body, 202 if saved.held else 201)


def _kind(kind: str) -> ReactionKind:
    try:
        return ReactionKind(kind)
    except ValueError:
        raise NotFound() from None


def _react(
    kind: str, given: bool, story_id: int | None = None, reply_id: int | None = None
) -> tuple[Response, int]:
    _post, tally = reactions.set_reaction(
        auth.member(), _kind(kind), given, story_id=story_id, reply_id=reply_id
    )
    return _json(schemas.Tally(**tally.as_json()))  # type: ignore[arg-type]


KIND = "<any(recognition, support, strength, thanks):kind>"


@bp.put(f"/stories/<{ID}:story_id>/reactions/{KIND}")
@operation(
    summary="Give a reaction (once per kind; again does no harm)",
    tag=TAG,
    responses={200: schemas.Tally},
    login=True,
)
def give_reaction(story_id: int, kind: str) -> tuple[Response, int]:
    return _react(kind, True, story_id=story_id)


@bp.delete(f"/stories/<{ID}:story_id>/reactions/{KIND}")
@operation(summary="Take a reaction back", tag=TAG, responses={200: schemas.Tally}, login=True)
def take_back_reaction(story_id: int, kind: str) -> tuple[Response, int]:
    return _react(kind, False, story_id=story_id)


@bp.patch(f"/replies/<{ID}:reply_id>")
@operation(
    summary="Change your own reply",
    tag=TAG,
    body=schemas.ReplyPatch,
    responses={200: schemas.SavedReply, 202: schemas.SavedReply},
    login=True,
    description="The old text is kept for moderators. 202 when a moderator looks first; 422 "
    "with code `needs_confirmation` as when sharing.",
)
def change_reply(reply_id: int) -> tuple[Response, int]:
    user = auth.member()
    writing.own_reply(user, reply_id)
    data = bodies.json_body(schemas.ReplyPatch)
    _posting_limit("edit", ratelimits.EDITS_PER_USER)
    saved = writing.revise_reply(user, reply_id, data.body, data.post_anyway)
    out = present.replies(user, saved.post.story, [saved.post])[0]
    body = schemas.SavedReply(
        reply=out, held=saved.held, crisis=saved.crisis, message=_message(saved)
    )
    return _json(body, 202 if saved.held else 200)


@bp.delete(f"/replies/<{ID}:reply_id>")
@operation(
    summary="Delete your own reply; the thread shows that it was deleted",
    tag=TAG,
    responses={204: None},
    login=True,
)
def delete_reply(reply_id: int) -> tuple[str, int]:
    writing.delete_reply(auth.member(), reply_id)
    return "", 204


@bp.put(f"/replies/<{ID}:reply_id>/reactions/{KIND}")
@operation(
    summary="Give a reaction to a reply (once per kind; again does no harm)",
    tag=TAG,
    responses={200: schemas.Tally},
    login=True,
)
def give_reply_reaction(reply_id: int, kind: str) -> tuple[Response, int]:
    return _react(kind, True, reply_id=reply_id)


@bp.delete(f"/replies/<{ID}:reply_id>/reactions/{KIND}")
@operation(
    summary="Take a reaction to a reply back", tag=TAG, responses={200: schemas.Tally}, login=True
)
def take_back_reply_reaction(reply_id: int, kind: str) -> tuple[Response, int]:
    return _react(kind, False, reply_id=reply_id)


def _follow(story_id: int, following: bool) -> tuple[Response, int]:
    user = auth.member()
    found = services.story_for_reader(user, story_id)
    follows.set_following(user, found, following=following)
    if following:
        message = _("Je volgt dit verhaal. Je krijgt een melding bij een nieuwe reactie.")
    else:
        message = _("Je volgt dit verhaal niet meer.")
    return _json(schemas.FollowOut(story_id=found.id, following=following, message=message))


@bp.put(f"/stories/<{ID}:story_id>/follow")
@operation(
    summary="Follow a story: hear about new replies to it (again does no harm)",
    tag=TAG,
    responses={200: schemas.FollowOut},
    login=True,
)
def follow(story_id: int) -> tuple[Response, int]:
    return _follow(story_id, True)


@bp.delete(f"/stories/<{ID}:story_id>/follow")
@operation(
    summary="Stop following a story (again does no harm)",
    tag=TAG,
    responses={200: schemas.FollowOut},
    login=True,
)
def unfollow(story_id: int) -> tuple[Response, int]:
    return _follow(story_id, False)
