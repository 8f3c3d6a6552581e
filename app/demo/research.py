"""The demo study in the hidden research group: its consent text, its participants (the
group's members, who consented when it began) and a short programme of daily prompts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app import clock, markup
from app.accounts.models import User
from app.demo.content import RESEARCH_GROUP
from app.groups.models import Group, GroupRole, Membership
from app.research.models import (
    ConsentAction,
    ConsentRecord,
    ConsentText,
    Participation,
    Prompt,
    Study,
)
from app.stories.models import Story

CONSENT = (
    "Je doet tien dagen mee aan een onderzoek naar betere hulp voor naasten. Elke dag staat "
    "er een vraag klaar. Je antwoordt wanneer het je uitkomt.\n\n"
    "Wat je schrijft, lezen de andere deelnemers en de onderzoekers. In het onderzoek sta je "
    "alleen met een code, zoals P01, nooit met je schuilnaam. We bewaren de antwoorden "
    "twee jaar.\n\n"
    "Meedoen is vrijwillig. Je kunt altijd stoppen. Dan halen we weg wat je schreef."
)

# (day, title, question, title of the demo story that is the day's thread, or None)
PROGRAMME = (
    (
        1,
        "Wat hielp jou in de eerste week?",
        "Denk terug aan de eerste week nadat je naaste slachtoffer werd. Wat hielp jou toen "
        "het meest?",
        "Dag 1: wat hielp jou in de eerste week?",
    ),
    (
        2,
        "Waar liep je tegenaan bij het zoeken naar hulp?",
        "Toen je hulp zocht, voor je naaste of voor jezelf: waar liep je tegenaan?",
        "Dag 2: waar liep je tegenaan bij het zoeken naar hulp?",
    ),
    (
        3,
        "Wat had je eerder willen weten?",
        "Als je terugkijkt: welke informatie had je graag eerder gehad?",
        None,
    ),
)


def ensure_study(
    session: Session, groups: dict[str, Group], users: dict[str, User], now: datetime
) -> bool:
    """Give the demo research group its study when it has none; True when one was made."""
    group = groups.get(RESEARCH_GROUP)
    if group is None:
        return False
    if session.execute(sa.select(Study.id).where(Study.group_id == group.id)).first():
        return False
    begun = now - timedelta(days=10)
    study = Study(group_id=group.id, consent_version=1, last_code=0, created_at=begun)
    session.add(study)
    session.flush()
    session.add(
        ConsentText(
            study_id=study.id,
            version=1,
            text=CONSENT,
            created_at=begun,
            created_by_name="demo-onderzoeker",
        )
    )
    members = session.execute(
        sa.select(Membership)
        .where(Membership.group_id == group.id, Membership.role != GroupRole.MANAGER.value)
        .order_by(Membership.id)
    ).scalars()
    for membership in list(members):
        study.last_code += 1
        participation = Participation(
            study_id=study.id,
            user_id=membership.user_id,
            code=f"P{study.last_code:02d}",
            joined_at=begun,
            consent_version=1,
            consented_at=begun,
        )
        session.add(participation)
        session.flush()
        session.add(
            ConsentRecord(
                participation_id=participation.id,
                action=ConsentAction.ACCEPTED.value,
                version=1,
                created_at=begun,
            )
        )
    researcher = users.get("demo-onderzoeker")
    tomorrow = clock.local(now).date() + timedelta(days=1)
    for day, title, question, thread_title in PROGRAMME:
        story_id = None
        if thread_title is not None:
            story_id = session.execute(
                sa.select(Story.id).where(Story.group_id == group.id, Story.title == thread_title)
            ).scalar_one_or_none()
        opens_at = (
            now - timedelta(days=10 - day)
            if thread_title is not None
            else datetime.combine(tomorrow, time(9), tzinfo=clock.AMSTERDAM)
        )
        session.add(
            Prompt(
                study_id=study.id,
                day=day,
                title=title,
                body_source=question,
                body_html=markup.render(question),
                opens_at=opens_at,
                created_by_id=researcher.id if researcher is not None else None,
                created_at=begun,
                story_id=story_id,
                # Demo days already open were announced long ago: nobody is told again.
                announced_at=opens_at if story_id is not None else None,
            )
        )
    return True
