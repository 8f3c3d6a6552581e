"""Imports every area's models so that migrations and ``create_all`` see all tables."""

from app.accounts.models import AuthSession, User
from app.groups.models import Group, JoinRequest, Membership
from app.notifications.models import Notification
from app.stories.models import Follow, Reaction, Reply, Revision, Story, StoryRead

__all__ = [
    "AuthSession",
    "Follow",
    "Group",
    "JoinRequest",
    "Membership",
    "Notification",
    "Reaction",
    "Reply",
    "Revision",
    "Story",
    "StoryRead",
    "User",
]
