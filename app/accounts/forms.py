"""Forms for registering, logging in and managing a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import Form

_REQUIRED = _l("Vul dit veld in.")


class RegisterForm(Form):
    pseudonym = StringField(
        _l("Schuilnaam"),
        validators=[DataRequired(_REQUIRED), Length(max=100)],
        description=_l(
            "Dit is de naam die anderen zien. Kies iets dat niet naar jou te herleiden is."
        ),
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_REQUIRED), Length(max=1000)],
        description=_l(
            "Minstens 10 tekens. Een paar losse woorden is sterk en makkelijk te onthouden."
        ),
    )
    email = EmailField(
        _l("E-mailadres (niet verplicht)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Dit lijkt geen e-mailadres."), check_deliverability=False),
        ],
        description=_l(
            "Alleen voor meldingen en om je wachtwoord te herstellen. Niemand anders ziet het."
        ),
    )


class LoginForm(Form):
    pseudonym = StringField(_l("Schuilnaam"), validators=[DataRequired(_REQUIRED), Length(max=100)])
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_REQUIRED), Length(max=1000)]
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_REQUIRED),
            Length(max=254),
            Email(_l("Dit lijkt geen e-mailadres."), check_deliverability=False),
        ],
    )


class ResetPasswordForm(Form):
    new_password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(_REQUIRED), Length(max=1000)]
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Huidig wachtwoord"), validators=[DataRequired(_REQUIRED), Length(max=1000)]
    )
    new_password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(_REQUIRED), Length(max=1000)]
    )


class CodeForm(Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_REQUIRED), Length(max=40)],
        description=_l("De zes cijfers uit je app, of een van je herstelcodes."),
    )


_MODES = [
    SelectChoice(
        "verwijderen",
        _l(
            "Verwijder ook mijn verhalen en reacties. Waar anderen erop reageerden, staat dan "
            "dat er iets verwijderd is."
        ),
    ),
    SelectChoice(
        "bewaren",
        _l(
            "Laat mijn verhalen en reacties staan, zonder mijn naam: er staat dan "
            "\u201cVoormalig lid\u201d bij."
        ),
    ),
]


class DeleteAccountForm(Form):
    """Deleting one's own account: what happens to the posts, the password, a confirmation."""

    mode = RadioField(
        _l("Wat gebeurt er met wat je schreef?"),
        choices=_MODES,
        validators=[DataRequired(_l("Kies wat er met je verhalen en reacties gebeurt."))],
    )
    password = PasswordField(
        _l("Je wachtwoord"), validators=[DataRequired(_REQUIRED), Length(max=1000)]
    )
    confirm = BooleanField(
        _l("Ik begrijp dat mijn account weg is en dat dit niet ongedaan gemaakt kan worden."),
        validators=[
            DataRequired(_l("Vink dit aan als je zeker weet dat je je account wilt verwijderen."))
        ],
    )


class StaffDeleteAccountForm(Form):
    """Staff deleting an account for a request that came in another way (mail, phone)."""

    pseudonym = StringField(
        _l("Schuilnaam van het account"), validators=[DataRequired(_REQUIRED), Length(max=100)]
    )
    mode = RadioField(
        _l("Wat gebeurt er met wat het lid schreef?"),
        choices=_MODES,
        validators=[DataRequired(_REQUIRED)],
    )
    source = StringField(
        _l("Hoe kwam het verzoek binnen?"),
        validators=[DataRequired(_REQUIRED), Length(max=200)],
        description=_l(
            "Bijvoorbeeld: e-mail aan de privacy-functionaris, 3 maart. Zet hier geen naam "
            "van het lid in."
        ),
    )
    confirm = BooleanField(
        _l("Ik heb gecontroleerd dat het verzoek echt van dit lid komt."),
        validators=[DataRequired(_REQUIRED)],
    )


class AccessTokenForm(Form):
    """A key for a program that uses the JSON API on the member's behalf."""

    name = StringField(
        _l("Naam van de sleutel"),
        validators=[DataRequired(_REQUIRED), Length(max=80)],
        description=_l("Bijvoorbeeld de naam van het programma, zodat je hem later herkent."),
    )
    scope = RadioField(
        _l("Wat mag het programma?"),
        choices=[
            SelectChoice("read", _l("Alleen lezen")),
            SelectChoice("write", _l("Lezen en schrijven (verhalen, reacties, steun)")),
        ],
        default="read",
        validators=[DataRequired(_REQUIRED)],
    )
