"""Drafts: the writing forms tell static/js/drafts.js where to keep text and when to drop it."""

from __future__ import annotations

from pathlib import Path

from tests.support import Factory, Visitor

_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "drafts.js"


def test_every_writing_form_has_its_own_draft_key(make: Factory, visitor: Visitor):
    group = make.group(slug="concept")
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer)
    reply = make.reply(story, writer)
    visitor.login(writer)
    for path, key in (
        ("/groepen/concept/verhaal-delen", "verhaal:concept"),
        ("/verhaal-delen", "verhaal:nieuw"),
        (f"/verhalen/{story.id}", f"reactie:{story.id}"),
        (f"/verhalen/{story.id}/bewerken", f"bewerk-verhaal:{story.id}"),
        (f"/reacties/{reply.id}/bewerken", f"bewerk-reactie:{reply.id}"),
    ):
        page = visitor.get(path).get_data(as_text=True)
        assert f'data-draft-key="{key}"' in page, path
        assert "data-draft-fresh" not in page, path
        assert "We hebben je concept teruggezet." in page and "Concept weggooien" in page
        assert '<script src="/static/js/drafts.js" defer></script>' in page


def test_a_form_sent_back_after_a_failure_is_marked_as_the_newest_text(
    make: Factory, visitor: Visitor
):
    group = make.group(slug="concept-fout")
    writer = make.user()
    make.membership(writer, group)
    visitor.login(writer)
    page = visitor.post("/groepen/concept-fout/verhaal-delen", {"title": "", "body": "Tekst"})
    assert page.status_code == 422
    assert "data-draft-fresh" in page.get_data(as_text=True)


def test_the_page_after_a_successful_save_clears_the_draft_once(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    writer = make.user()
    make.membership(writer, group)
    visitor.login(writer)
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Dank je."})
    assert response.status_code == 302
    first = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert f'data-clear-draft="reactie:{story.id}"' in first
    again = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "data-clear-draft" not in again


def test_the_draft_script_is_served_and_keeps_to_the_content_security_policy(visitor: Visitor):
    response = visitor.get("/static/js/drafts.js")
    assert response.status_code == 200
    response.close()
    source = _SCRIPT.read_text(encoding="utf-8")
    for needed in ("localStorage", "data-draft-key", "data-clear-draft", "data-draft-fresh"):
        assert needed in source
    # No eval-like calls and no inline styles: the CSP forbids both.
    for forbidden in ("eval(", "innerHTML", ".style."):
        assert forbidden not in source
