"""The onboarding form for choosing groups: a checkbox per group, a motivation per closed one."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField

from app.forms import Form
from app.groups.forms import MOTIVATION_HINT
from app.groups.models import Group
from app.groups.services import MOTIVATION_MAX
from app.onboarding.services import Choice


def group_field(group: Group) -> str:
    """The name of the checkbox for ``group``."""
    return f"group_{group.id}"


def motivation_field(group: Group) -> str:
    """The name of the motivation box for a closed ``group``."""
    return f"motivation_{group.id}"


class ChooseGroupsForm(Form):
    """Onboarding step 2. Fields are added per offered group by :func:`choose_groups_form`."""

    def choices(self, offered: Sequence[Group]) -> list[Choice]:
        """The groups that were ticked, each with its motivation (closed groups only)."""
        chosen = []
        for group in offered:
            if not self[group_field(group)].data:
                continue
            motivation = self[motivation_field(group)].data if group.is_closed else None
            chosen.append(Choice(group=group, motivation=motivation))
        return chosen


def choose_groups_form(offered: Sequence[Group]) -> ChooseGroupsForm:
    """Build the form for the groups on offer (the list differs per person)."""

    class Form(ChooseGroupsForm):
        pass

    for group in offered:
        setattr(Form, group_field(group), BooleanField(group.name))
        if group.is_closed:
            setattr(
                Form,
                motivation_field(group),
                TextAreaField(
                    # Each box names its group: several identical labels confuse screen readers.
                    _l(
                        "Waarom wil je lid worden van %(group)s? (niet verplicht)", group=group.name
                    ),
                    description=MOTIVATION_HINT,
                    render_kw={"maxlength": MOTIVATION_MAX, "rows": 3},
                ),
            )
    return Form()
