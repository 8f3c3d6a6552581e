"""The Whoosh index on disk: one writer at a time, a rebuild that never takes search
offline, and a site that keeps working when the index is missing or damaged."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from flask import Flask

from app.search import current_engine, indexer
from app.search.documents import SearchDocument
from app.search.whoosh_engine import WhooshEngine
from tests.support import Factory, Visitor


@pytest.fixture
def whoosh(app: Flask) -> WhooshEngine:
    engine = current_engine(app)
    assert isinstance(engine, WhooshEngine)
    return engine


def _search(app: Flask, q: str) -> list[int]:
    from app.search import service

    with app.test_request_context():
        outcome = service.search(None, {"q": q})
        assert not outcome.unavailable
        return [r.story.id for r in outcome.results]


def test_a_second_writer_waits_its_turn_instead_of_failing(make: Factory, app, whoosh):
    group = make.group()
    with app.app_context():
        indexer.run_once(whoosh)
    story = make.story(group, title="Twee schrijvers", body="Eén tegelijk.")
    other_process = WhooshEngine(whoosh.root)
    with other_process.writing() as mine:
        assert mine
        with app.app_context():
            # No LockError: the round is simply skipped while the other writer works.
            assert indexer.apply_pending(whoosh) == 0
    with app.app_context():
        assert indexer.apply_pending(whoosh) >= 1
    assert _search(app, "schrijvers") == [story.id]


def test_search_keeps_answering_while_the_index_is_rebuilt(make: Factory, app, whoosh, monkeypatch):
    group = make.group()
    before = make.story(group, title="Voor de herbouw", body="Dit stond er al in.")
    with app.app_context():
        indexer.run_once(whoosh)
    for n in range(5):
        make.story(group, title=f"Vulling {n}", body="Om de herbouw wat te vullen.")
    from app.search import documents

    real_everything = documents.everything
    answers: list[list[int]] = []

    def searched_between_batches(batch: int = 1000) -> Iterator[Sequence[SearchDocument]]:
        for docs in real_everything(batch=1):
            # Halfway through the build, readers still get the old index's answers.
            answers.append(_search(app, "herbouw"))
            yield docs

    monkeypatch.setattr(documents, "everything", searched_between_batches)
    with app.app_context():
        assert indexer.rebuild(whoosh) == 6
    assert len(answers) == 6
    assert all(found == [before.id] for found in answers)
    assert len(_search(app, "herbouw")) == 6
    assert len(list(whoosh.root.glob("g*"))) == 1  # the old generation is cleared away


def test_changes_made_during_a_rebuild_are_in_the_new_index(
    make: Factory, app, whoosh, monkeypatch
):
    group = make.group()
    with app.app_context():
        indexer.run_once(whoosh)
    from app.search import documents

    real_everything = documents.everything
    late: list[int] = []

    def everything_then_a_new_story(batch: int = 1000) -> Iterator[Sequence[SearchDocument]]:
        yield from real_everything(batch)
        # A member shares a story after the build read the database; the regular writer
        # even applies it to the old index before the swap.
        late.append(make.story(group, title="Laat verhaal", body="Net op tijd.").id)
        indexer.apply_pending(whoosh)

    monkeypatch.setattr(documents, "everything", everything_then_a_new_story)
    with app.app_context():
        indexer.rebuild(whoosh)
    assert _search(app, "laat") == late


def _damage(root: Path) -> None:
    for file in root.rglob("*"):
        if file.is_file() and file.name != "writer.lock" and file.name != "CURRENT":
            file.write_bytes(b"\x00garbage" * 10)


# Whoosh leaves a file open when it fails to read a damaged table of contents.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.parametrize("harm", ["missing", "damaged"])
def test_a_missing_or_damaged_index_leaves_the_site_working(
    make: Factory,
    app: Flask,
    whoosh: WhooshEngine,
    visitor: Visitor,
    harm: str,
    caplog: pytest.LogCaptureFixture,
):
    group = make.group()
    story = make.story(group, title="Na de schade", body="Het herstel ging vanzelf.")
    with app.app_context():
        indexer.run_once(whoosh)
    import shutil

    if harm == "missing":
        shutil.rmtree(whoosh.root)
    else:
        _damage(whoosh.root)
    whoosh._forget()

    page = visitor.get("/zoeken?q=herstel")
    assert page.status_code == 200
    assert "Zoeken lukt op dit moment even niet" in page.get_data(as_text=True)
    # The log says search is unavailable, never what was searched for.
    assert "search is unavailable" in caplog.text and "herstel" not in caplog.text
    assert visitor.get("/").status_code == 200
    assert visitor.get(f"/verhalen/{story.id}").status_code == 200

    # The writer notices and rebuilds; search works again.
    with app.app_context():
        assert whoosh.needs_rebuild()
        indexer.run_once(whoosh)
    page = visitor.get("/zoeken?q=herstel")
    assert page.status_code == 200
    assert f"/verhalen/{story.id}" in page.get_data(as_text=True)
    gc.collect()  # while the warning filter above still applies


def test_an_index_from_an_earlier_version_is_rebuilt(make: Factory, app: Flask, whoosh):
    from whoosh import index as whoosh_index

    from app.search.whoosh_engine import schema

    group = make.group()
    story = make.story(group, title="Oude index", body="Gebouwd voor de weeknummers er waren.")
    earlier = schema()
    earlier.remove("week")
    whoosh.root.mkdir(parents=True, exist_ok=True)
    (whoosh.root / "g1").mkdir()
    whoosh_index.create_in(str(whoosh.root / "g1"), earlier)
    (whoosh.root / "CURRENT").write_text("g1")
    whoosh._forget()
    with app.app_context():
        assert whoosh.needs_rebuild()
        indexer.run_once(whoosh)
        assert not whoosh.needs_rebuild()
    assert _search(app, "weeknummers") == [story.id]
