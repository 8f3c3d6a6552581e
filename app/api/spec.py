"""What each API view promises, written next to it and read by :mod:`app.api.openapi`.

``@operation(...)`` attaches the request and response schemas to a view; the OpenAPI document
is generated from these and the URL rules, so it cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., object])

# Ids in paths: positive and within the id columns (32-bit integers on PostgreSQL), so no
# database is asked for a number it cannot hold.
ID_MAX = 2**31 - 1
ID = f"int(min=1, max={ID_MAX})"
_ATTRIBUTE = "_api_operation"


@dataclass(frozen=True)
class Operation:
    """One operation's documentation: summary, tag, body, query and answers."""

    summary: str
    tag: str
    responses: dict[int, type[BaseModel] | None]
    body: type[BaseModel] | None = None
    body_optional: bool = False
    query: type[BaseModel] | None = None
    login: bool = False
    description: str = ""
    errors: tuple[int, ...] = field(default=())


def operation(
    *,
    summary: str,
    tag: str,
    responses: dict[int, type[BaseModel] | None],
    body: type[BaseModel] | None = None,
    body_optional: bool = False,
    query: type[BaseModel] | None = None,
    login: bool = False,
    description: str = "",
    errors: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Describe an API view for the OpenAPI document."""

    def mark(view: F) -> F:
        setattr(
            view,
            _ATTRIBUTE,
            Operation(
                summary, tag, responses, body, body_optional, query, login, description, errors
            ),
        )
        return view

    return mark


def operation_of(view: Callable[..., object]) -> Operation | None:
    """The documentation attached to ``view``, if any."""
    found = getattr(view, _ATTRIBUTE, None)
    return found if isinstance(found, Operation) else None
