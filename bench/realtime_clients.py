"""Open pages for ``bench.realtime``: a few hundred Socket.IO clients in one asyncio loop, in
a process of their own, noting the wall-clock time at which each event arrives.

Imports nothing of the app, so that a client process starts quickly and stays small.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import socketio

# A new client every few milliseconds: connecting all at once only measures the backlog.
CONNECTING_AT_ONCE = 20


@dataclass(frozen=True)
class Watcher:
    """One open page: a visitor on a story page (``story:<id>``) or a member's bell
    (``user:<id>``, with their session cookie)."""

    number: int
    room: str
    cookie: str = ""


# (watcher number, event name, reply id or 0 for a notification, time.time() on arrival)
Heard = tuple[int, str, int, float]


def run(url: str, watchers: list[Watcher], ready: Any, stop: Any, results: Any) -> None:
    """Connect every watcher and join its room, put ``(pid, numbers of the connected
    watchers, failures)`` on ``ready``, listen until ``stop`` is set, then put
    ``(heard, dropped)`` on ``results``."""
    asyncio.run(_run(url, watchers, ready, stop, results))


async def _run(url: str, watchers: list[Watcher], ready: Any, stop: Any, results: Any) -> None:
    heard: list[Heard] = []
    clients: dict[int, socketio.AsyncClient] = {}
    failures: Counter[str] = Counter()
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def open_page(watcher: Watcher) -> None:
        client = socketio.AsyncClient(reconnection=False)

        def on_reply(data: Any) -> None:
            arrived = time.time()
            reply = data.get("reply_id", 0) if isinstance(data, dict) else 0
            heard.append((watcher.number, "reply", int(reply), arrived))

        def on_notification(_data: Any = None) -> None:
            heard.append((watcher.number, "notification", 0, time.time()))

        client.on("reply", on_reply)
        client.on("notification", on_notification)
        headers = {"Cookie": f"session={watcher.cookie}"} if watcher.cookie else {}
        async with gate:
            try:
                await client.connect(
                    url, headers=headers, transports=["websocket"], wait_timeout=60
                )
                # A member's own room is joined on connect; asking again proves the login works.
                answer = await client.call("join", {"room": watcher.room}, timeout=60)
            except Exception as error:
                failures[type(error).__name__] += 1
                await client.disconnect()
                return
        if not (isinstance(answer, dict) and answer.get("ok")):
            failures["join geweigerd"] += 1
            await client.disconnect()
            return
        clients[watcher.number] = client

    await asyncio.gather(*(open_page(watcher) for watcher in watchers))
    ready.put((os.getpid(), sorted(clients), dict(failures)))
    while not stop.is_set():
        await asyncio.sleep(0.1)
    dropped = sum(not client.connected for client in clients.values())
    await asyncio.gather(*(c.disconnect() for c in clients.values()), return_exceptions=True)
    results.put((heard, dropped))


class Pages:
    """The client processes, seen from the benchmark: start them, wait until every page is
    open, stop them and collect what they heard. As a context manager it ends processes
    that are still running when the benchmark stops early."""

    def __init__(self, url: str, watchers: list[Watcher], processes: int) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._ready, self._results, self._stop = spawn.Queue(), spawn.Queue(), spawn.Event()
        self._processes = [
            spawn.Process(
                target=run,
                args=(url, watchers[n::processes], self._ready, self._stop, self._results),
                daemon=True,
            )
            for n in range(processes)
        ]
        self.pids: list[int] = []
        self.connected: set[int] = set()
        self.failures: Counter[str] = Counter()

    def __enter__(self) -> Pages:
        for process in self._processes:
            process.start()
        return self

    def wait_until_open(self, seconds: float = 600) -> None:
        """Wait until every process has opened its pages (or given up on some)."""
        for _ in self._processes:
            pid, numbers, failures = self._ready.get(timeout=seconds)
            self.pids.append(pid)
            self.connected.update(numbers)
            self.failures.update(failures)

    def close(self) -> tuple[list[Heard], int]:
        """Close every page; returns what was heard and how many connections had dropped."""
        self._stop.set()
        heard: list[Heard] = []
        dropped = 0
        for _ in self._processes:
            part, lost = self._results.get(timeout=120)
            heard += part
            dropped += lost
        for process in self._processes:
            process.join(timeout=30)
        return heard, dropped

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for process in self._processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
