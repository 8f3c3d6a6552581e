"""Forms for the groups area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from app.forms import Form
from app.groups.management import CLAIM_MINUTES, TARGET_HOURS
from app.groups.services import MOTIVATION_MAX

MOTIVATION_LABEL = _l("Waarom wil je lid worden? (niet verplicht)")
MOTIVATION_HINT = _l(
    "Een paar woorden is genoeg. Alleen de beheerders en ambassadeurs van de groep lezen dit. "
    "Noem geen namen, adressen of telefoonnummers."
)


class JoinRequestForm(Form):
    # The length is checked by the service, after line endings are tidied, so that what
    # counts is what the person sees.
    motivation = TextAreaField(
        MOTIVATION_LABEL,
        description=MOTIVATION_HINT,
        render_kw={"maxlength": MOTIVATION_MAX, "rows": 4},
    )


class GuaranteeForm(Form):
    """The group's response target and how long an ambassador's claim holds."""

    target_hours = IntegerField(
        _l("Reactie binnen (uren)"),
        description=_l("Binnen deze tijd krijgt elk nieuw verhaal een eerste reactie."),
        validators=[InputRequired(_l("Vul een aantal uren in.")), NumberRange(*TARGET_HOURS)],
    )
    claim_minutes = IntegerField(
        _l("Opgepakt verhaal komt terug na (minuten)"),
        description=_l(
            "Reageert een ambassadeur niet binnen deze tijd, dan komt het verhaal "
            "weer vrij in de wachtrij."
        ),
        validators=[InputRequired(_l("Vul een aantal minuten in.")), NumberRange(*CLAIM_MINUTES)],
    )
