"""Sets of documents of a Whoosh index as Python integers: bit ``n`` stands for document ``n``.

Walking Whoosh's posting lists one document at a time costs microseconds per posting in
Python: a question with a common word took a tenth of a second at 100,000 documents, and
grew with the index. As bitmaps, AND, OR, NOT and counting run in C over the whole set at
once (a few microseconds for 400,000 documents). Reading a posting list into a bitmap still
walks it once, so the bitmaps are cached per *segment*: a segment never changes once
written (only its deletions grow, and those are applied separately), so a searcher opened
after the next index write reuses the bitmaps of every segment it shares with the last one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from itertools import repeat
from typing import Any

_ONE = ord("1")


def from_ids(ids: Iterable[int], size: int) -> int:
    """The bitmap of ``ids`` (each below ``size``)."""
    if size <= 0:
        return 0
    digits = bytearray(b"0" * size)
    deque(map(digits.__setitem__, ids, repeat(_ONE)), maxlen=0)
    digits.reverse()  # int() reads the highest bit first
    return int(digits, 2)


def members(bits: int, limit: int | None = None) -> list[int]:
    """The documents in ``bits``, highest first; at most ``limit`` of them."""
    if not bits:
        return []
    digits = format(bits, "b")
    top = len(digits) - 1
    found: list[int] = []
    at = digits.find("1")
    while at != -1 and (limit is None or len(found) < limit):
        found.append(top - at)
        at = digits.find("1", at + 1)
    return found


def all_below(size: int) -> int:
    """Every document number below ``size``."""
    return (1 << size) - 1 if size > 0 else 0


def _posting_ids(reader: Any, field_name: str, text: str) -> Iterator[int]:
    """The document numbers of one term in one segment, read a block at a time.

    Whoosh's own ``all_ids()`` steps a matcher per posting; the W3 codec's blocks hold the
    ids as one tuple each, which is several times faster to take whole."""
    matcher = reader.postings(field_name, text)
    leaf = getattr(matcher, "child", matcher)  # without the deletion filter: see module doc
    if not all(hasattr(leaf, name) for name in ("_read_ids", "_next_block", "_lastblock")):
        yield from matcher.all_ids()
        return
    while leaf.is_active():
        leaf._read_ids()
        yield from leaf._ids
        if leaf._lastblock:
            return
        leaf._next_block()


class SegmentBitmaps:
    """Bitmaps of terms per segment, least recently used dropped beyond ``budget_bytes``.

    Shared by the threads of a process; a bitmap is never changed once made."""

    def __init__(self, budget_bytes: int = 96 * 1024 * 1024) -> None:
        self.budget_bytes = budget_bytes
        self._entries: OrderedDict[tuple[str, str, str], int] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def term(self, reader: Any, field_name: str, text: str) -> int:
        """The documents of segment ``reader`` (numbered within it) holding the term."""
        segment = reader.segment()
        if segment is None:  # an index without documents yet
            return 0
        key = (segment.segment_id(), field_name, text)
        with self._lock:
            bits = self._entries.get(key)
            if bits is not None:
                self._entries.move_to_end(key)
                return bits
        if (field_name, text) in reader:
            bits = from_ids(_posting_ids(reader, field_name, text), reader.doc_count_all())
        else:
            bits = 0
        with self._lock:
            if key not in self._entries:
                self._entries[key] = bits
                self._bytes += _size(bits)
                while self._bytes > self.budget_bytes and len(self._entries) > 1:
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= _size(dropped)
        return bits

    def clear(self) -> None:
        """Forget every bitmap (for example after the index was rebuilt)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _size(bits: int) -> int:
    return bits.bit_length() // 8 + 64
