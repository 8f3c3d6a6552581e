"""The addresses under every reply on a story page, worked out once per page.

A story with hundreds of replies would otherwise build four addresses per reply with
``url_for``, about a fifth of the page's time. Each address is built once with stand-in ids;
each reply's address is that pattern with its own ids put in.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

# Numbers no real id on a page reaches, and that no other part of these addresses contains.
_REPLY, _USER = 987_654_321, 987_654_322


@dataclass(frozen=True)
class ReplyLinks:
    """The per-reply links of one story page, for one reader."""

    cite_pattern: str
    report_pattern: str
    block_pattern: str
    react_pattern: str

    def cite(self, reply_id: int) -> str:
        """The story page with the reply quoted in the reply form."""
        return self.cite_pattern.replace(str(_REPLY), str(int(reply_id)))

    def report(self, reply_id: int) -> str:
        """The report form (members) or the notice form (visitors) for the reply."""
        return self.report_pattern.replace(str(_REPLY), str(int(reply_id)))

    def react(self, reply_id: int) -> str:
        """Where the reaction buttons under the reply send their form."""
        return self.react_pattern.replace(str(_REPLY), str(int(reply_id)))

    def block(self, user_id: int, reply_id: int) -> str:
        """Blocking the reply's named writer, coming back to the reply afterwards."""
        return self.block_pattern.replace(str(_USER), str(int(user_id))).replace(
            str(_REPLY), str(int(reply_id))
        )


def reply_links(story_id: int, page: int, signed_in: bool) -> ReplyLinks:
    """The patterns for page ``page`` of ``story_id``'s replies; ``signed_in`` picks the
    report form."""
    report = "reports.report_reply" if signed_in else "reports.notice_reply"
    back = url_for("stories.reply_at", reply_id=_REPLY)
    pagina = page if page > 1 else None
    cite = url_for(
        "stories.show", story_id=story_id, pagina=pagina, citeer=_REPLY, _anchor="reageren"
    )
    return ReplyLinks(
        cite_pattern=cite,
        report_pattern=url_for(report, reply_id=_REPLY),
        block_pattern=url_for("blocks.confirm", user_id=_USER, terug=back),
        react_pattern=url_for("reactions.react_to_reply", reply_id=_REPLY),
    )
