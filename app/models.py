"""Imports every area's models so that migrations and ``create_all`` see all tables."""

from app.accounts.models import AuthSession, User
from app.groups.models import Group, JoinRequest, Membership
from app.notifications.models import Notification
from app.stories.models import Reply, Story

__all__ = [
    "AuthSession",
    "Group",
    "JoinRequest",
    "Membership",
    "Notification",
    "Reply",
    "Story",
    "User",
]
