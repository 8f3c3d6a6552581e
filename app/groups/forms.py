"""Forms for the groups area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.forms import Form
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
