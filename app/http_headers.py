"""Security and privacy headers on every response."""

from __future__ import annotations

import functools
import re

from flask import Flask, Response, request

_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


_FRAME_ORIGIN = re.compile(r"https://[a-z0-9.-]{1,253}")


# The same few hosts ask again and again; the policy depends on nothing but the arguments.
@functools.lru_cache(maxsize=256)
def content_security_policy(host: str, secure: bool, frame_origins: tuple[str, ...] = ()) -> str:
    """The policy, with Socket.IO's WebSocket to this same host allowed by name: older
    browsers do not count ``ws:``/``wss:`` as 'self'. ``frame_origins`` are the only
    players a page that embeds a video may load (nothing external otherwise)."""
    policy = CONTENT_SECURITY_POLICY
    frames = [origin for origin in frame_origins if _FRAME_ORIGIN.fullmatch(origin)]
    if frames:
        policy = f"{policy}; frame-src {' '.join(sorted(set(frames)))}"
    if not _HOST.fullmatch(host):
        # Only a plain host name goes into a header; anything else keeps the strict default.
        return policy
    websocket = f"{'wss' if secure else 'ws'}://{host}"
    return policy.replace("connect-src 'self'", f"connect-src 'self' {websocket}")


def allow_frames(response: Response, *origins: str) -> Response:
    """Let this one page embed players from ``origins`` (https only)."""
    response.headers["Content-Security-Policy"] = content_security_policy(
        request.host, request.is_secure, tuple(origins)
    )
    return response


def init_app(app: Flask) -> None:
    """Add the security headers, and keep pages out of shared caches and browser history."""

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.host, request.is_secure)
        )
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not request.path.startswith("/static/"):
            # Someone else may use this screen later: keep pages out of caches.
            headers.setdefault("Cache-Control", "no-store")
        return response
