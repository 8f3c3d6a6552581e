"""The contract: schemathesis generates requests from the OpenAPI document for every
operation and checks that none answers 500 and every answer matches the document.

It runs as a member with a write token in a small world (a group of each kind they are in,
with stories; they are an ambassador of the public one, where someone asks to join), so that
writes get past the login
(moderators' operations answer 403 to any token, and the document says so); a bounded
number of examples per operation keeps the run short (about 15 seconds).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from app import clock
from app.accounts import tokens
from app.groups.models import GroupRole, Visibility
from app.guarantee import ladder
from tests.support import Factory

MAX_EXAMPLES = 20
# What the contract promises. Not "every schema-valid input is accepted": the services check
# more than a schema can say (a pseudonym's characters, a password's strength) and answer
# 422 with the field, which the document lists.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def token(app: Flask, make: Factory) -> str:
    member, writer, requester = make.user(), make.user(), make.user()
    for visibility in Visibility:
        group = make.group(visibility, slug=f"contract-{visibility.value}")
        # An ambassador of the public group, so that the guarantee queue has something in it.
        role = GroupRole.AMBASSADOR if visibility is Visibility.PUBLIC else GroupRole.MEMBER
        make.membership(member, group, role)
        make.membership(writer, group)
        make.story(group, member)
        make.story(group, writer)
        if visibility is Visibility.PUBLIC:
            # Something in the ambassador's list of requests to join.
            make.join_request(requester, group, "Mag ik erbij?")
    with app.test_request_context():
        while ladder.start_missing_clocks(clock.utcnow()):
            pass
        return tokens.make(member, "contract", "write").secret


@pytest.mark.slow
@pytest.mark.parametrize("who", ["member", "visitor"])
def test_no_operation_answers_500_or_breaks_the_document(app: Flask, token: str, who: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"} if who == "member" else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 37
    labels = {operation.label for operation in operations}
    assert {
        "DELETE /guarantee/claims/{story_id}",
        "PUT /stories/{story_id}/follow",
        "POST /groups/{slug}/join-requests/{request_id}/decision",
        "POST /house-rules/accept",
    } <= labels, labels

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
