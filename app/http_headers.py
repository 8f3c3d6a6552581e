"""Security and privacy headers on every response."""

from __future__ import annotations

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


def content_security_policy(host: str, secure: bool) -> str:
    """The policy, with Socket.IO's WebSocket to this same host allowed by name: older
    browsers do not count ``ws:``/``wss:`` as 'self'."""
    if not _HOST.fullmatch(host):
        # Only a plain host name goes into a header; anything else keeps the strict default.
        return CONTENT_SECURITY_POLICY
    websocket = f"{'wss' if secure else 'ws'}://{host}"
    return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", f"connect-src 'self' {websocket}")


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
