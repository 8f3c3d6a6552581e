"""Forms for the research area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional

from app.forms import Form
from app.research import services, video


class StartStudyForm(Form):
    """A new study: its name, a description for participants and the consent text."""

    name = StringField(_l("Naam van het onderzoek"), render_kw={"maxlength": services.NAME_MAX})
    description = TextAreaField(
        _l("Korte uitleg voor deelnemers"),
        description=_l("Wat gaan jullie samen doen, en hoe lang duurt het?"),
        render_kw={"rows": 4, "maxlength": services.DESCRIPTION_MAX},
    )
    consent = TextAreaField(
        _l("Uitleg en toestemming"),
        description=_l(
            "Wat gebeurt er met wat deelnemers schrijven, wie leest het, hoe lang wordt het "
            "bewaard, en dat ze altijd kunnen stoppen."
        ),
        render_kw={"rows": 10},
    )


class ConsentTextForm(Form):
    """A new version of the consent text."""

    text = TextAreaField(
        _l("Nieuwe tekst"),
        description=_l(
            "Na het opslaan vragen we alle deelnemers opnieuw om toestemming. Tot die tijd "
            "zien ze de groep niet."
        ),
        render_kw={"rows": 12},
    )


class InvitationForm(Form):
    """A new invitation link."""

    label = StringField(
        _l("Voor wie is deze link? (niet verplicht)"),
        description=_l("Alleen voor jezelf, om de links uit elkaar te houden."),
        render_kw={"maxlength": services.LABEL_MAX},
    )
    days = IntegerField(
        _l("Geldig (dagen)"),
        default=14,
        validators=[InputRequired(_l("Vul een aantal dagen in."))],
    )
    max_uses = IntegerField(
        _l("Hoeveel mensen mogen de link gebruiken?"),
        default=15,
        validators=[InputRequired(_l("Vul een aantal in."))],
    )


class PromptForm(Form):
    """One day of the programme."""

    day = IntegerField(_l("Dag"), validators=[InputRequired(_l("Vul een dag in."))])
    title = StringField(_l("Titel"), render_kw={"maxlength": 150})
    body = TextAreaField(
        _l("Vraag of thema"),
        description=_l("*schuin*, **vet**, en een regel die begint met > wordt een citaat."),
        render_kw={"rows": 6},
    )
    video_url = StringField(
        _l("Link naar een video (niet verplicht)"),
        description=_l(
            "Van YouTube of Vimeo tonen we de video in de pagina, zonder volgcookies. "
            "Andere links staan er als gewone link."
        ),
        validators=[Optional()],
        render_kw={"maxlength": video.URL_MAX, "inputmode": "url"},
    )
    opens_on = DateField(_l("Gaat open op"), validators=[InputRequired(_l("Kies een datum."))])
    opens_time = TimeField(
        _l("om (tijd)"), default=None, validators=[InputRequired(_l("Kies een tijd."))]
    )


class ConsentForm(Form):
    """Accepting the consent text one has just read, by its version."""

    version = HiddenField()
    agree = BooleanField(
        _l("Ik heb de uitleg gelezen en ik doe mee."),
        validators=[InputRequired(_l("Vink dit aan als je mee wilt doen."))],
    )


class ConfirmForm(Form):
    """Only the CSRF token: the confirmation is the button itself."""
