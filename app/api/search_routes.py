"""Search over the stories and replies the asker may read."""

from __future__ import annotations

from flask import Response, jsonify, url_for

from app.api import auth, bodies, schemas
from app.api.blueprint import bp
from app.api.spec import operation
from app.search import service
from app.stories import reply_pages

TAG = "Search"
_KINDS = {"stories": "verhalen", "replies": "reacties"}


@bp.get("/search")
@operation(
    summary="Search what you may read (10 per page)",
    tag=TAG,
    query=schemas.SearchQuery,
    responses={200: schemas.SearchOut},
)
def search() -> Response:
    args = bodies.query(schemas.SearchQuery)
    outcome = service.search(
        auth.current_actor(),
        {
            "q": args.q,
            "groep": args.group,
            "thema": args.theme,
            "soort": _KINDS.get(args.kind, ""),
            "pagina": str(args.page),
        },
    )
    items = []
    for result in outcome.results:
        items.append(
            schemas.SearchHit(
                kind="reply" if result.reply is not None else "story",
                story_id=result.story.id,
                reply_id=result.reply.id if result.reply is not None else None,
                title=result.story.title,
                snippet_html=str(result.snippet) if result.snippet is not None else None,
                url=reply_pages.permalink(result.reply.id, external=True)
                if result.reply is not None
                else url_for("stories.show", story_id=result.story.id, _external=True),
                published_at=result.published_at,
            )
        )
    body = schemas.SearchOut(
        q=outcome.form.q,
        total=outcome.total,
        capped=outcome.capped,
        broadened=outcome.broadened,
        unavailable=outcome.unavailable,
        page=outcome.form.page,
        pages=outcome.pages,
        items=items,
    )
    return jsonify(body.model_dump(mode="json"))
