"""Blocking another member: protection from a perpetrator or an unwanted person.

The blocked member can no longer reply to, react to or be notified about the blocker's
content, and the blocker no longer sees theirs. Nobody is told.
"""
