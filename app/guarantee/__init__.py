"""The response guarantee: every new story gets a response, and nobody is left alone.

Ambassadors see the unanswered stories of their groups, claim one to answer it, and are
reminded halfway to the group's response target; at the target, moderators and content
managers are told. A background worker (``flask worker``) climbs this ladder every minute.
"""
