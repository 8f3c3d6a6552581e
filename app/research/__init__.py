"""Closed co-creation groups for researchers: studies with informed consent, invitations,
a programme of daily prompts, the participation matrix and exports by study code."""
