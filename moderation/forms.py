"""Forms for reporting: a member's report and a visitor's notice.

They carry the text and the CSRF token; :mod:`moderation.reports` checks the choice, the
lengths and the address and names the field at fault, so a refused form comes back with the
person's words in it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.forms import Form
from moderation.reports import EXPLANATION_MAX, NOTE_MAX, REPORT_REASONS


def _reason_field() -> RadioField:
    # Checked by the service, with a Dutch message next to the field.
    return RadioField(_l("Wat is er aan de hand?"), choices=[], validate_choice=False)


def _choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in REPORT_REASONS.items()]


class ReportForm(Form):
    reason = _reason_field()
    note = TextAreaField(
        _l("Wil je er iets over vertellen? (niet verplicht)"),
        render_kw={"rows": 4},
        description=_l("Alleen moderatoren lezen dit. Hoogstens %(max)d tekens.", max=NOTE_MAX),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = _choices()


class NoticeForm(Form):
    reason = _reason_field()
    explanation = TextAreaField(
        _l("Wat is er niet in orde?"),
        render_kw={"rows": 6},
        description=_l(
            "Leg in je eigen woorden uit waarom dit bericht hier niet hoort. "
            "Hoogstens %(max)d tekens.",
            max=EXPLANATION_MAX,
        ),
    )
    email = EmailField(
        _l("Je e-mailadres (niet verplicht)"),
        render_kw={"autocomplete": "email"},
        description=_l(
            "Alleen als je wilt horen wat we met je melding doen. We gebruiken het "
            "nergens anders voor."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = _choices()
