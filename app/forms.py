"""The base class of every form: CSRF from Flask-WTF, and text cleaned of NUL bytes.

PostgreSQL cannot store or even compare text with a NUL byte, and no person means to type
one; dropping them here keeps every form, on every database, from failing on them.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict


class Form(FlaskForm):
    """A FlaskForm whose submitted text never carries NUL bytes."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            return MultiDict(
                (key, value.replace("\x00", "") if isinstance(value, str) else value)
                for key, value in data.items(multi=True)
            )
