"""``flask demo load``: the Dutch demo community, loaded safely and as often as you like."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from app import clock
from app.accounts import passwords, pseudonyms
from app.accounts.models import SiteRole, User
from app.demo import loader
from app.demo.content import ALL_MEMBERS, GROUPS, RESEARCH_GROUP, DemoGroup
from app.demo.content_stories import STORIES
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.stories.models import Reply, Story
from tests.support import Factory, Visitor

DEMO_PASSWORD = "zeilboot lantaarn koffiekop"


def _load(app: Flask, runner: FlaskCliRunner, demo_mode: bool = False) -> str:
    app.config["DEMO_MODE"] = demo_mode
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return loader.count_rows()


def _user(app: Flask, pseudonym: str) -> User:
    with app.app_context():
        user = db.session.execute(
            sa.select(User).where(User.pseudonym_key == pseudonyms.key_for(pseudonym))
        ).scalar_one()
        db.session.expunge(user)
        return user


def _roles(app: Flask, pseudonym: str) -> dict[str, GroupRole]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Group.slug, Membership.role)
            .join(Membership, Membership.group_id == Group.id)
            .join(User, User.id == Membership.user_id)
            .where(User.pseudonym_key == pseudonyms.key_for(pseudonym))
        ).all()
    return {slug: GroupRole(role) for slug, role in rows}


def test_loading_twice_adds_nothing_the_second_time(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    first = _counts(app)
    assert first["groups"] == len(GROUPS)
    assert first["users"] == len(ALL_MEMBERS)
    assert first["stories"] == len(STORIES)
    assert first["replies"] == sum(len(story.replies) for story in STORIES)
    output = _load(app, runner)
    assert _counts(app) == first
    assert "Nieuw: 0 groepen, 0 leden, 0 verhalen, 0 reacties." in output


def test_the_required_accounts_exist_with_their_roles(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    expected = {
        "demo-lid": SiteRole.MEMBER,
        "demo-ambassadeur": SiteRole.MEMBER,
        "demo-moderator": SiteRole.MODERATOR,
        "demo-onderzoeker": SiteRole.RESEARCHER,
        "demo-beheerder": SiteRole.ADMIN,
        "demo-contentbeheer": SiteRole.CONTENT_MANAGER,
    }
    for pseudonym, role in expected.items():
        user = _user(app, pseudonym)
        assert user.site_role is role
        assert user.has_accepted_house_rules
        assert user.is_active


def test_every_demo_member_accepted_the_house_rules(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    with app.app_context():
        missing = db.session.execute(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.house_rules_accepted_at.is_(None))
        ).scalar_one()
    assert missing == 0


def test_the_ambassador_serves_every_peer_and_helpers_group(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    roles = _roles(app, "demo-ambassadeur")
    wanted = {g.slug for g in GROUPS if g.kind in (GroupKind.PEER, GroupKind.HELPERS)}
    assert {slug for slug, role in roles.items() if role is GroupRole.AMBASSADOR} == wanted


def test_the_demo_member_is_in_a_closed_group_and_public_ones(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    visibility = {group.slug: group.visibility for group in GROUPS}
    joined = _roles(app, "demo-lid")
    assert any(visibility[slug] is Visibility.CLOSED for slug in joined)
    assert any(visibility[slug] is Visibility.PUBLIC for slug in joined)


def test_the_researcher_manages_the_hidden_research_group(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    assert _roles(app, "demo-onderzoeker")[RESEARCH_GROUP] is GroupRole.MANAGER
    research = next(group for group in GROUPS if group.slug == RESEARCH_GROUP)
    assert research.visibility is Visibility.HIDDEN
    assert research.kind is GroupKind.RESEARCH


def test_every_group_has_a_manager(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    with app.app_context():
        managed = set(
            db.session.execute(
                sa.select(Group.slug)
                .join(Membership, Membership.group_id == Group.id)
                .where(Membership.role == GroupRole.MANAGER.value)
            ).scalars()
        )
    assert managed == {group.slug for group in GROUPS}


def test_demo_password_from_the_configuration_lets_people_log_in(
    app: Flask, runner: FlaskCliRunner, visitor: Visitor
):
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    _load(app, runner)
    visitor.login(_user(app, "demo-lid"), password=DEMO_PASSWORD)
    assert "demo-lid" in visitor.get("/").get_data(as_text=True)


def test_a_changed_demo_password_is_taken_over_on_the_next_load(
    app: Flask, runner: FlaskCliRunner, visitor: Visitor
):
    _load(app, runner)
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    output = _load(app, runner)
    assert "bijgewerkt" in output
    visitor.login(_user(app, "demo-ambassadeur"), password=DEMO_PASSWORD)


def test_the_password_is_printed_in_demo_mode_only(app: Flask, runner: FlaskCliRunner):
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    quiet = _load(app, runner, demo_mode=False)
    assert DEMO_PASSWORD not in quiet
    assert "demo-lid" in quiet
    loud = _load(app, runner, demo_mode=True)
    assert DEMO_PASSWORD in loud
    for name in ("demo-lid", "demo-ambassadeur", "demo-moderator", "demo-beheerder"):
        assert name in loud


def test_a_generated_password_is_kept_private_and_reused(app: Flask, runner: FlaskCliRunner):
    app.config["DEMO_PASSWORD"] = ""
    first = _load(app, runner, demo_mode=True)
    path = Path(app.instance_path) / loader.PASSWORD_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = path.read_text().strip()
    assert len(password) >= 20
    assert password in first
    assert password not in _load(app, runner, demo_mode=False)
    assert password in _load(app, runner, demo_mode=True)
    with app.app_context():
        assert passwords.verify_password(_user(app, "demo-lid").password_hash, password)


def test_a_real_account_with_a_demo_pseudonym_is_never_taken_over(
    app: Flask, runner: FlaskCliRunner, make: Factory
):
    make.user("Vuurtoren")
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "Vuurtoren" in result.output
    assert _counts(app)["stories"] == 0


def test_the_demo_makes_sense_on_the_home_page(
    app: Flask, runner: FlaskCliRunner, visitor: Visitor
):
    _load(app, runner)
    page = visitor.get("/").get_data(as_text=True)
    assert "Je staat er niet alleen voor" in page
    public = {g.slug for g in GROUPS if g.visibility is Visibility.PUBLIC}
    for story in STORIES:
        if story.group not in public:
            assert story.title not in page
    assert "Nog geen reactie" in page


def test_reply_counts_match_the_replies(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    _load(app, runner)
    with app.app_context():
        for story in db.session.execute(sa.select(Story)).scalars():
            assert story.reply_count == len(story_replies(story.id))


def story_replies(story_id: int) -> list[int]:
    return list(db.session.execute(sa.select(Reply.id).where(Reply.story_id == story_id)).scalars())


# --- the content itself ------------------------------------------------------------------


def test_every_demo_pseudonym_is_one_a_member_could_choose():
    for member in ALL_MEMBERS:
        assert pseudonyms.validate(member.pseudonym) == member.pseudonym
    keys = [pseudonyms.key_for(member.pseudonym) for member in ALL_MEMBERS]
    assert len(keys) == len(set(keys))


def test_the_stories_fit_the_rules_members_write_under():
    titles = [(story.group, story.title) for story in STORIES]
    assert len(titles) == len(set(titles))
    known = {group.slug for group in GROUPS}
    writers = {member.pseudonym for member in ALL_MEMBERS}
    for story in STORIES:
        assert story.group in known
        assert story.author in writers
        assert 0 < len(story.title) <= 150
        assert 0 < len(story.body) <= 20_000
        for reply in story.replies:
            assert reply.author in writers


def test_the_stories_hold_no_phone_numbers_or_addresses():
    phone = re.compile(r"(?:\+|00)?\d[\d\s.\-()]{6,}\d")
    address = re.compile(r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|gracht)\s+\d+", re.UNICODE)
    postcode = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
    texts = [story.body for story in STORIES] + [
        reply.body for story in STORIES for reply in story.replies
    ]
    for text in texts:
        assert not phone.search(text), text
        assert not address.search(text), text
        assert not postcode.search(text), text


def test_a_few_stories_still_wait_for_a_first_reply():
    assert 3 <= sum(1 for story in STORIES if not story.replies) <= 4


def test_stories_and_replies_are_spread_over_the_last_weeks_never_the_future():
    ages = sorted(story.days_ago for story in STORIES)
    assert ages[0] < 1 and ages[-1] > 21
    for story in STORIES:
        for reply in story.replies:
            assert timedelta(days=story.days_ago) > timedelta(hours=reply.hours_after)


def test_the_loader_never_dates_a_reply_in_the_future(app: Flask, runner: FlaskCliRunner):
    _load(app, runner)
    now = clock.utcnow()
    with app.app_context():
        latest = db.session.execute(sa.select(sa.func.max(Reply.created_at))).scalar_one()
    assert clock.as_utc(latest) <= now


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.slug)
def test_every_group_has_stories_and_house_rules(group: DemoGroup):
    assert group.house_rules.strip()
    assert any(story.group == group.slug for story in STORIES)
