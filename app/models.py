"""Imports every area's models so that migrations and ``create_all`` see all tables."""

from app.accounts.models import (
    AuthSession,
    DataExport,
    DeviceMark,
    PersonalAccessToken,
    RecoveryCode,
    ReservedPseudonym,
    User,
)
from app.audit.models import AuditEntry
from app.blocks.models import MemberBlock
from app.dashboard.models import ActivityDay, ActivityYear, CountedDay, FigureDay, ResponseDay
from app.groups.models import Group, GroupExclusion, JoinRequest, Membership
from app.guarantee.models import ResponseWatch
from app.health.models import WorkerBeat
from app.notifications.models import Notification
from app.pages.models import SiteSetting
from app.research.models import (
    ConsentRecord,
    ConsentText,
    Invitation,
    Participation,
    Prompt,
    Study,
)
from app.search.models import SearchDocumentRow, SearchOutboxEntry
from app.stories.models import Follow, Reaction, Reply, Revision, Story, StoryRead

__all__ = [
    "ActivityDay",
    "ActivityYear",
    "AuditEntry",
    "AuthSession",
    "ConsentRecord",
    "ConsentText",
    "CountedDay",
    "DataExport",
    "DeviceMark",
    "FigureDay",
    "Follow",
    "Group",
    "GroupExclusion",
    "Invitation",
    "JoinRequest",
    "MemberBlock",
    "Membership",
    "Notification",
    "Participation",
    "PersonalAccessToken",
    "Prompt",
    "Reaction",
    "RecoveryCode",
    "Reply",
    "ReservedPseudonym",
    "ResponseDay",
    "ResponseWatch",
    "Revision",
    "SearchDocumentRow",
    "SearchOutboxEntry",
    "SiteSetting",
    "Story",
    "StoryRead",
    "Study",
    "User",
    "WorkerBeat",
]
