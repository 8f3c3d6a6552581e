"""The contract both search engines keep: Dutch words, permissions, and never out of step
with what the database says. Every test here runs against Whoosh and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import GroupRole, Visibility
from app.search import documents
from app.search.models import SearchOutboxEntry
from app.stories import visibility, writing
from app.stories.models import PostStatus, Reply, Story
from tests.support import Factory


def _story_key(story: Story) -> tuple[str, int]:
    return ("story", story.id)


def test_dutch_word_forms_find_each_other(make: Factory, index, find):
    group = make.group()
    plural = make.story(group, title="Over de nacht", body="Ik las hier verhalen van anderen.")
    single = make.story(group, title="Eén verhaal", body="Dit is mijn verhaal over de inbraak.")
    index()
    assert set(find("verhaal")) == {_story_key(plural), _story_key(single)}
    assert set(find("verhalen")) == {_story_key(plural), _story_key(single)}
    assert find("inbraken") == [_story_key(single)]


def test_accents_are_folded_both_ways(make: Factory, index, find):
    group = make.group()
    accented = make.story(group, title="De reünie", body="Na tien jaar zag ik hen weer.")
    plain = make.story(group, title="Een reunie", body="In het cafe was het stil.")
    index()
    assert set(find("reunie")) == {_story_key(accented), _story_key(plain)}
    assert set(find("reünie")) == {_story_key(accented), _story_key(plain)}
    assert find("café") == [_story_key(plain)]


def test_common_words_alone_find_nothing_but_do_not_break_a_query(make: Factory, index, find):
    group = make.group()
    story = make.story(group, title="Inbraak", body="De inbraak was in de nacht.")
    index()
    assert find("de het een") == []
    assert find("de inbraak") == [_story_key(story)]


def test_all_words_first_then_some_of_them(make: Factory, index, find):
    group = make.group()
    both = make.story(group, title="Oplichting", body="Mijn moeder werd opgelicht via whatsapp.")
    one = make.story(group, title="Whatsapp", body="Een bericht van een onbekend nummer.")
    index()
    assert find("moeder whatsapp") == [_story_key(both)]
    # Nothing has every word: stories with some of them are shown instead.
    assert set(find("whatsapp fietsendief")) == {_story_key(both), _story_key(one)}


def test_phrases_and_left_out_words(make: Factory, index, find):
    group = make.group()
    exact = make.story(group, title="Aangifte", body="Ik deed aangifte bij de politie.")
    apart = make.story(group, title="Politie", body="De politie kwam. Later deed ik aangifte.")
    index()
    assert find('"aangifte bij de politie"') == [_story_key(exact)]
    assert set(find("aangifte")) == {_story_key(exact), _story_key(apart)}
    assert find("aangifte -later") == [_story_key(exact)]


def test_a_word_in_the_title_ranks_above_a_newer_mention_in_the_text(
    make: Factory, index, find, app: Flask
):
    group = make.group()
    titled = make.story(group, title="Inbraak bij ons thuis", body="Het gebeurde in de nacht.")
    mentioned = make.story(group, title="Een nare nacht", body="Er was een inbraak verderop.")
    with app.app_context(), unit_of_work():
        db.session.get(Story, titled.id).published_at = datetime(2025, 3, 1, tzinfo=UTC)
        db.session.get(Story, mentioned.id).published_at = datetime(2025, 6, 1, tzinfo=UTC)
    index()
    assert find("inbraak") == [_story_key(titled), _story_key(mentioned)]
    assert find("inbraak", volgorde="nieuwste") == [_story_key(mentioned), _story_key(titled)]


def test_a_closed_group_story_is_found_only_by_its_members(make: Factory, index, find):
    closed = make.group(visibility=Visibility.CLOSED)
    hidden = make.group(visibility=Visibility.HIDDEN, name="Onderzoeksgroep")
    member, outsider = make.user(), make.user()
    make.membership(member, closed)
    make.membership(member, hidden)
    secret = make.story(closed, title="Wat niemand mocht weten", body="Alleen voor de groep.")
    research = make.story(hidden, title="Dagboek van week drie", body="Een onderzoeksvraag.")
    index()
    for actor in (None, outsider):
        assert find("Wat niemand mocht weten", actor) == []
        assert find('"wat niemand mocht weten"', actor) == []
        assert find("Dagboek van week drie", actor) == []
        assert find("onderzoeksgroep", actor) == []
    assert find("Wat niemand mocht weten", member) == [_story_key(secret)]
    assert find("dagboek", member) == [_story_key(research)]


def test_a_group_filter_cannot_reach_a_group_one_may_not_read(make: Factory, index, find):
    closed = make.group(visibility=Visibility.CLOSED)
    make.story(closed, title="Besloten inbraak", body="Een inbraak in de besloten groep.")
    index()
    assert find("inbraak", None, groep=closed.slug) == []
    assert find("inbraak", make.user(), groep=closed.slug) == []


def test_an_anonymous_writer_is_not_findable_by_pseudonym(make: Factory, index, find, engine):
    group = make.group()
    writer = make.user("Zonnebloem")
    named = make.story(group, writer, title="Met naam", body="Een verhaal onder mijn naam.")
    hidden = make.story(
        group, writer, title="Zonder naam", body="Een verhaal zonder naam.", anonymous=True
    )
    make.reply(named, writer, body="Een anonieme reactie van mij.", anonymous=True)
    index()
    assert find("zonnebloem") == [_story_key(named)]
    # Not even the account behind it is in the index.
    with db.session.no_autoflush:
        doc = documents.load([("story", hidden.id)])[f"s{hidden.id}"]
    assert doc is not None and doc.author_id is None and doc.author_name is None
    if engine.name == "postgres":
        row = db.session.execute(
            sa.text("SELECT author_id, terms::text FROM search_documents WHERE key = :k"),
            {"k": f"s{hidden.id}"},
        ).one()
        assert row.author_id is None and "zonnebloem" not in row.terms


def test_held_removed_and_deleted_posts_are_never_found(make: Factory, index, find, app: Flask):
    group = make.group()
    writer = make.user()
    make.story(group, writer, title="Wacht op moderator", status=PostStatus.HELD)
    shown = make.story(group, writer, title="Zichtbaar verhaal", body="Over de rechtszaak.")
    reply = make.reply(shown, body="Sterkte met de rechtszaak.")
    index()
    assert find("moderator") == []
    assert set(find("rechtszaak")) == {_story_key(shown), ("reply", reply.id)}

    with app.test_request_context(), unit_of_work():
        visibility.hide_reply(db.session.get(Reply, reply.id), PostStatus.REMOVED)
    index()
    assert find("rechtszaak") == [_story_key(shown)]

    with app.test_request_context(), unit_of_work():
        visibility.hide_story(db.session.get(Story, shown.id), PostStatus.REMOVED)
    index()
    assert find("rechtszaak") == [] and find("zichtbaar") == []


def test_edits_and_deletions_reach_the_index(make: Factory, index, find, app: Flask):
    group = make.group()
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer, title="Eerste titel", body="Over de stalker.")
    reply = make.reply(story, body="Een stalker is zo eng.")
    index()
    with app.test_request_context():
        writing.edit_story(writer, story.id, "Nieuwe titel", "Over de buren.", [], "")
    index()
    assert find("eerste") == []
    assert find("nieuwe buren") == [_story_key(story)]
    assert find("stalker") == [("reply", reply.id)]

    with app.test_request_context():
        writing.delete_story(writer, story.id)
    index()
    assert find("nieuwe") == [] and find("buren") == []
    # The replies stay readable under the tombstone, so they stay findable.
    assert find("stalker") == [("reply", reply.id)]


def test_a_pseudonym_change_reaches_named_posts(make: Factory, index, find, app: Flask):
    group = make.group()
    writer = make.user("Kastanje")
    story = make.story(group, writer, title="Herfst", body="Een verhaal.")
    index()
    assert find("kastanje") == [_story_key(story)]
    with app.app_context(), unit_of_work():
        db.session.get(type(writer), writer.id).pseudonym = "Eikenblad"
    index()
    assert find("kastanje") == []
    assert find("eikenblad") == [_story_key(story)]


def test_a_story_moved_to_a_closed_group_leaves_public_results(make: Factory, index, find, app):
    public, closed = make.group(), make.group(visibility=Visibility.CLOSED)
    story = make.story(public, title="Verhuisd verhaal", body="Over verhuizen.")
    reply = make.reply(story, body="Ook verhuizen hier.")
    index()
    assert set(find("verhuizen")) == {_story_key(story), ("reply", reply.id)}
    with app.app_context(), unit_of_work():
        db.session.get(Story, story.id).group_id = closed.id
    index()
    assert find("verhuizen") == []


def test_filters_by_group_theme_kind_and_period(make: Factory, index, find, app: Flask):
    fraud = make.group(theme="fraude")
    violence = make.group(theme="geweld")
    member = make.user()
    old = make.story(fraud, title="Oplichting toen", body="De bank belde.")
    new = make.story(violence, title="Geweld nu", body="De bank in het park.")
    reply = make.reply(new, body="Die bank ken ik.")
    with app.app_context(), unit_of_work():
        db.session.get(Story, old.id).published_at = datetime(2024, 3, 1, 12, tzinfo=UTC)
    index()
    assert set(find("bank", member)) == {_story_key(old), _story_key(new), ("reply", reply.id)}
    assert find("bank", member, groep=fraud.slug) == [_story_key(old)]
    assert find("bank", member, thema="geweld", soort="verhalen") == [_story_key(new)]
    assert find("bank", member, soort="reacties") == [("reply", reply.id)]
    assert find("bank", member, van="2024-01-01", tot="2024-12-31") == [_story_key(old)]
    today = clock.local(clock.utcnow()).date().isoformat()
    assert _story_key(old) not in find("bank", member, van=today)


def test_newest_first_and_pages(make: Factory, index, find, app: Flask):
    group = make.group()
    stories = [make.story(group, title=f"Rouw {n}", body="Over rouw.") for n in range(13)]
    with app.app_context(), unit_of_work():
        for n, story in enumerate(stories):
            db.session.get(Story, story.id).published_at = datetime(2025, 1, 1 + n, tzinfo=UTC)
    index()
    newest = find("rouw", volgorde="nieuwste")
    assert newest == [_story_key(s) for s in reversed(stories)][:10]
    second = find("rouw", volgorde="nieuwste", pagina="2")
    assert second == [_story_key(s) for s in reversed(stories[:3])]
    assert len(set(find("rouw")) | set(find("rouw", pagina="2"))) == 13


def test_blocked_writers_and_filtered_warnings_are_left_out(make: Factory, index, find, app):
    from app.blocks import services as blocks
    from app.stories.models import ContentWarning

    group = make.group()
    reader, pest = make.user(), make.user()
    make.membership(reader, group)
    named = make.story(group, pest, title="Van een pestkop", body="Over de school.")
    anonymous = make.story(group, pest, title="Anoniem", body="Ook over school.", anonymous=True)
    warned = make.story(group, title="Met waarschuwing", body="Over school en geweld.")
    with app.test_request_context(), unit_of_work():
        db.session.get(Story, warned.id).content_warnings = [ContentWarning.VIOLENCE.value]
    with app.test_request_context():
        blocks.block(reader, pest.id)
        writing.set_warning_filters(reader, {ContentWarning.VIOLENCE.value: "hide"})
    index()
    assert _story_key(named) in find("school")
    # Blocks never act on anonymous posts: that would point at their writer.
    assert set(find("school", db.session.get(type(reader), reader.id))) == {_story_key(anonymous)}


def test_a_commit_without_indexing_is_caught_up_later(make: Factory, index, find, app: Flask):
    """A crash between the commit and the index write loses nothing: the outbox entry was
    committed with the story, so the next writer round applies it."""
    group = make.group()
    index()  # the index exists; now a story arrives and the process "dies" before indexing
    story = make.story(group, title="Na de crash", body="Het verhaal overleefde.")
    with app.app_context():
        waiting = db.session.execute(
            sa.select(SearchOutboxEntry).where(SearchOutboxEntry.applied_at.is_(None))
        ).scalars()
        assert ("thread", story.id) in {(e.kind, e.target_id) for e in waiting}
    assert find("overleefde") == []
    index()
    assert find("overleefde") == [_story_key(story)]
    with app.app_context():
        pending = db.session.execute(
            sa.select(sa.func.count(SearchOutboxEntry.id)).where(
                SearchOutboxEntry.applied_at.is_(None)
            )
        ).scalar_one()
    assert pending == 0


def test_a_failed_index_write_leaves_the_entry_waiting(make: Factory, index, find, app, engine):
    group = make.group()
    index()
    story = make.story(group, title="Tweede poging", body="Het lukte later toch.")
    original = engine.apply

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    engine.apply = broken  # type: ignore[method-assign]
    with app.app_context(), pytest.raises(OSError):
        from app.search import indexer

        indexer.apply_pending(engine)
    engine.apply = original  # type: ignore[method-assign]
    assert find("poging") == []
    index()
    assert find("poging") == [_story_key(story)]


def test_a_rebuild_matches_the_database(make: Factory, index, find, app: Flask, runner):
    group = make.group()
    story = make.story(group, title="Herbouwd", body="Alles staat er weer in.")
    reply = make.reply(story, body="Ook deze reactie staat erin.")
    index()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "2 verhalen en reacties" in result.output
    assert set(find("staat")) == {_story_key(story), ("reply", reply.id)}


def test_membership_counts_at_search_time(make: Factory, index, find):
    closed = make.group(visibility=Visibility.CLOSED)
    member = make.user()
    story = make.story(closed, title="Pas na toetreden", body="Voor de leden.")
    index()
    assert find("toetreden", member) == []
    make.membership(member, closed, GroupRole.MEMBER)
    # No re-indexing needed: who may read what is decided in the query.
    assert find("toetreden", member) == [_story_key(story)]


def test_counting_stops_at_the_cap(make: Factory, index, app: Flask, monkeypatch, engine):
    from app.search import postgres_engine, service, whoosh_search

    monkeypatch.setattr(whoosh_search, "COUNT_CAP", 3)
    monkeypatch.setattr(postgres_engine, "COUNT_CAP", 3)
    group = make.group()
    for n in range(5):
        make.story(group, title=f"Veel {n}", body="Een woord dat vaak voorkomt: rouw.")
    index()
    with app.test_request_context():
        outcome = service.search(None, {"q": "rouw"})
    assert outcome.total == 3
    assert len(outcome.results) == 5  # the page itself is complete


def test_newest_matches_first_and_older_ones_still_found(
    make: Factory, index, app: Flask, engine, monkeypatch
):
    """Both engines look among the newest documents first (PostgreSQL: the newest stretch
    of documents; Whoosh: week by week); nothing older may get lost that way."""
    from app.search import postgres_engine, service, whoosh_search

    monkeypatch.setattr(postgres_engine, "_WINDOWS", (4, 2))
    monkeypatch.setattr(postgres_engine, "COUNT_CAP", 5)
    monkeypatch.setattr(whoosh_search, "COUNT_CAP", 5)
    group = make.group()
    recent = [make.story(group, title=f"Rouw {n}", body="Over rouw.") for n in range(30)]
    old = [make.story(group, title=f"Harmonica {n}", body="Opa speelde.") for n in range(3)]
    with app.app_context(), unit_of_work():
        for n, story in enumerate(recent):
            db.session.get(Story, story.id).published_at = datetime(2025, 1, 1 + n, tzinfo=UTC)
        for n, story in enumerate(old):
            db.session.get(Story, story.id).published_at = datetime(2023, 3, 1 + n, tzinfo=UTC)
    index()
    if engine.name == "postgres":
        with app.app_context():
            db.session.execute(sa.text("ANALYZE search_documents"))
            db.session.commit()

    def results(**args: str) -> tuple[list[int], int]:
        with app.test_request_context():
            outcome = service.search(None, args)
            return [r.story.id for r in outcome.results], outcome.total

    newest_first = [s.id for s in reversed(recent)]
    assert results(q="rouw", volgorde="nieuwste") == (newest_first[:10], 5)
    assert results(q="rouw", volgorde="nieuwste", pagina="3")[0] == newest_first[20:30]
    ranked, total = results(q="rouw")
    assert total == 5 and set(ranked) <= set(newest_first)
    assert results(q="harmonica", volgorde="nieuwste") == ([s.id for s in reversed(old)], 3)
    assert results(q="harmonica")[1] == 3
