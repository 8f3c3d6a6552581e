"""static/js/drafts.js in a small stand-in DOM under Node: drafts are kept, given back and
dropped at the right moments. Skipped where Node is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "drafts.js"

# A stand-in for the few DOM and storage calls drafts.js makes; each "page load" runs the
# script again against a fresh form and the same storage, as a browser would.
HARNESS = Path(__file__).with_name("drafts_harness.js")


@pytest.fixture(scope="module")
def run() -> dict[str, object]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed")
    result = subprocess.run(
        [node, str(HARNESS), str(SCRIPT)], capture_output=True, text=True, timeout=30, check=True
    )
    outcome: dict[str, object] = json.loads(result.stdout)
    return outcome


def test_typing_keeps_a_draft_without_the_form_token(run: dict[str, object]):
    assert run["saved"] == {
        "title": "Na het ongeluk",
        "body": "Twee uur schrijven.",
        "warnings=violence": True,
    }


def test_returning_to_the_form_gives_the_draft_back_with_a_notice(run: dict[str, object]):
    assert run["restored"] == [
        "Na het ongeluk",
        "Twee uur schrijven.",
        True,
        ["We hebben je concept teruggezet.", "Concept weggooien"],
    ]


def test_throwing_the_draft_away_empties_the_form_and_the_storage(run: dict[str, object]):
    assert run["afterDiscard"] == ["", None, None]


def test_a_form_sent_back_by_the_server_keeps_its_own_newer_text(run: dict[str, object]):
    assert run["fresh"] == ["Wat de server terugstuurde.", None, "Wat de server terugstuurde."]


def test_the_page_after_a_successful_save_drops_the_draft(run: dict[str, object]):
    assert run["cleared"] is None
