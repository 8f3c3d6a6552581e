"""Document sets as bitmaps: what the Whoosh engine's counting and combining rest on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.search.whoosh_bitmaps import all_below, from_ids, members


@given(st.sets(st.integers(min_value=0, max_value=5000)))
def test_a_set_of_documents_comes_back_whole_and_highest_first(ids: set[int]):
    bits = from_ids(ids, 5001)
    assert bits.bit_count() == len(ids)
    assert members(bits) == sorted(ids, reverse=True)
    assert members(bits, limit=3) == sorted(ids, reverse=True)[:3]


@given(st.sets(st.integers(0, 300)), st.sets(st.integers(0, 300)))
def test_and_or_and_not_are_the_set_operations(a: set[int], b: set[int]):
    x, y = from_ids(a, 301), from_ids(b, 301)
    assert set(members(x & y)) == a & b
    assert set(members(x | y)) == a | b
    assert set(members(x & ~y)) == a - b
    assert set(members(all_below(301) & ~x)) == set(range(301)) - a


def test_nothing_and_an_empty_index():
    assert from_ids([], 10) == 0
    assert from_ids([], 0) == 0
    assert members(0) == []
    assert all_below(0) == 0
