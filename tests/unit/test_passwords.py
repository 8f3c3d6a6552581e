import pytest

from app.accounts import passwords


def test_a_hash_is_argon2id_and_verifies(app):
    with app.app_context():
        hashed = passwords.hash_password("fiets wolk pannenkoek")
        assert hashed.startswith("$argon2id$")
        assert passwords.verify_password(hashed, "fiets wolk pannenkoek")
        assert not passwords.verify_password(hashed, "fiets wolk pannenkoeK")


def test_a_broken_hash_never_raises(app):
    with app.app_context():
        assert not passwords.verify_password("not-a-hash", "whatever")


@pytest.mark.parametrize(
    "password",
    ["kort", "123456789", "wachtwoord123", "password1234", "qwertyuiop", "Zonnebloem123"],
)
def test_short_or_guessable_passwords_are_refused(app, password):
    with app.app_context(), pytest.raises(passwords.PasswordRejected):
        passwords.check_strength(password, ["Zonnebloem"])


def test_very_long_passwords_are_refused(app):
    with app.app_context(), pytest.raises(passwords.PasswordRejected):
        passwords.check_strength("x" * 129, [])


@pytest.mark.parametrize(
    "password", ["fiets wolk pannenkoek", "Regenjas-Zonnebloem-47", "é" * 10 + "ü" * 5 + "kraai"]
)
def test_strong_passwords_are_accepted_without_composition_rules(app, password):
    with app.app_context():
        passwords.check_strength(password, [])
