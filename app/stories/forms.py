"""Forms for writing: sharing a story, replying, editing, deleting, and reading choices.

The services check titles, bodies and warnings (and say which field is at fault); these forms
carry the text and the CSRF token, so a refused form always comes back with the text in it.
No ``maxlength`` attributes: a browser cuts pasted text off silently at that length, and a
story must never be cut short; the server says what is too long instead.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form
from app.stories import content_warnings
from app.stories.content_warnings import FilterChoice
from app.stories.services import BODY_MAX, TITLE_MAX

_ANONYMOUS = _l(
    "Plaats anoniem: anderen zien 'Anoniem lid'; moderators kunnen zien wie het schreef"
)


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes; unknown values are left to the service to refuse."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """The service checks the values, with a message that names the field."""


_POST_ANYWAY = _l("Ik wil mijn tekst toch zo plaatsen. Een moderator kijkt er eerst naar.")


class StoryForm(Form):
    group = SelectField(_l("In welke groep?"), coerce=str, validate_choice=False)
    title = StringField(
        _l("Titel"),
        render_kw={"autocomplete": "off"},
        description=_l(
            "Een paar woorden waar je verhaal over gaat (hoogstens %(max)d tekens).", max=TITLE_MAX
        ),
    )
    body = TextAreaField(
        _l("Je verhaal"),
        render_kw={"rows": 14},
        description=_l(
            "Schrijf zoals je wilt. Een witregel begint een nieuwe alinea. *schuin*, "
            "**vet**, een regel die begint met - wordt een lijstje, met > een citaat. "
            "Laat namen, adressen en telefoonnummers van anderen weg. Hoogstens %(max)d tekens.",
            max=BODY_MAX,
        ),
    )
    anonymous = BooleanField(_ANONYMOUS)
    warnings = CheckboxesField(
        _l("Gaat je verhaal over een van deze onderwerpen? Dan krijgen lezers eerst een melding."),
        choices=[],
    )
    warning_note = StringField(
        _l("Toelichting bij de melding (niet verplicht)"),
        render_kw={"autocomplete": "off"},
        description=_l("Bijvoorbeeld: 'gaat over het ongeluk en de dagen erna'."),
    )
    # Offered only after a warning about identifying details.
    post_anyway = BooleanField(_POST_ANYWAY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings.choices = [
            SelectChoice(value, label) for value, label in content_warnings.choices()
        ]


class EditStoryForm(StoryForm):
    """The story form without the group and the anonymous choice, which stay as they were."""

    group = None
    anonymous = None


class ReplyForm(Form):
    body = TextAreaField(
        _l("Je reactie"),
        render_kw={"rows": 6},
        description=_l("*schuin*, **vet**, en een regel die begint met > wordt een citaat."),
    )
    anonymous = BooleanField(_ANONYMOUS)
    post_anyway = BooleanField(_POST_ANYWAY)


class EditReplyForm(ReplyForm):
    anonymous = None


class ConfirmForm(Form):
    """Only the CSRF token: the confirmation is the button itself."""


class ReadingPreferencesForm(Form):
    """One choice per warning category; the fields are added by :func:`reading_form`."""


def reading_form(current: dict[str, str], **kwargs: Any) -> ReadingPreferencesForm:
    """The reading-preferences form with a radio group per category, set to ``current``."""

    class _Form(ReadingPreferencesForm):
        pass

    for value, label in content_warnings.choices():
        setattr(
            _Form,
            value,
            RadioField(
                label,
                choices=[
                    SelectChoice(FilterChoice.COLLAPSE.value, _l("inklappen")),
                    SelectChoice(FilterChoice.HIDE.value, _l("niet tonen")),
                ],
                default=current.get(value, FilterChoice.COLLAPSE.value),
            ),
        )
    return _Form(**kwargs)
