"""Outgoing e-mail. Without ``MAIL_SERVER`` messages are printed to the console (development)."""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from flask import Flask, current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def outbox(app: Flask) -> list[Mail]:
    """Messages sent while testing, newest last."""
    return app.extensions.setdefault("mail_outbox", [])


def send(mail: Mail) -> None:
    """Send ``mail`` through SMTP in the background, or print it when no server is configured."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.testing:
        outbox(app).append(mail)
        return
    if not app.config["MAIL_SERVER"]:
        print(
            f"\n--- e-mail (no MAIL_SERVER set) ---\nAan: {mail.to}\nOnderwerp: {mail.subject}\n\n"
            f"{mail.body}\n--- einde e-mail ---\n",
            flush=True,
        )
        return
    # In the background: the answer must not be slower when an account exists.
    threading.Thread(target=_deliver, args=(app.config.copy(), mail), daemon=True).start()


def _deliver(config: dict[str, object], mail: Mail) -> None:
    message = EmailMessage()
    message["From"] = str(config["MAIL_FROM"])
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    try:
        with smtplib.SMTP(
            str(config["MAIL_SERVER"]), int(str(config["MAIL_PORT"])), timeout=20
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(str(config["MAIL_USERNAME"]), str(config["MAIL_PASSWORD"]))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("sending e-mail failed")
