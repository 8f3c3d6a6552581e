"""Video links in prompts: always shown as a plain link; embedded only through a provider's
privacy-friendly player (YouTube's no-cookie domain, Vimeo with ``dnt=1``) and only when
admins allow that player's host in ``RESEARCH_VIDEO_HOSTS``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask_babel import gettext as _

from app.errors import ValidationFailed

URL_MAX = 500
DEFAULT_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
_YOUTUBE = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YOUTUBE_NOCOOKIE = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
_VIMEO = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class Embed:
    """A player to embed: its address, and the origin the page's policy must allow."""

    src: str
    origin: str


def clean_url(raw: str | None) -> str:
    """An ``https``/``http`` address as it will be stored, or "" for none; raises
    ValidationFailed (field ``video_url``) for anything else."""
    url = (raw or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        len(url) > URL_MAX
        or parts.scheme not in ("https", "http")
        or not parts.hostname
        or any(char.isspace() or ord(char) < 32 for char in url)
    ):
        raise ValidationFailed(
            _("Vul een volledig webadres in dat begint met https://, of laat het veld leeg."),
            field="video_url",
        )
    return url


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in _YOUTUBE and path == "/watch":
        candidate = (parse_qs(query).get("v") or [""])[0]
    elif host in _YOUTUBE | _YOUTUBE_NOCOOKIE and path.startswith(("/embed/", "/shorts/")):
        candidate = path.split("/")[2]
    else:
        return None
    return candidate if _YOUTUBE_ID.fullmatch(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    if host not in _VIMEO:
        return None
    parts = [part for part in path.split("/") if part]
    candidate = parts[-1] if parts else ""
    if host == "player.vimeo.com" and parts[:1] != ["video"]:
        return None
    return candidate if _VIMEO_ID.fullmatch(candidate) else None


def embed_for(url: str, allowed_hosts: Iterable[str]) -> Embed | None:
    """The privacy-friendly player for ``url`` when its host is allowed, else None (the page
    then shows only the link)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.port is not None or parts.username is not None:
        return None
    host = (parts.hostname or "").lower()
    allowed = {entry.strip().lower() for entry in allowed_hosts if entry.strip()}
    youtube = _youtube_id(host, parts.path, parts.query)
    if youtube is not None and "www.youtube-nocookie.com" in allowed:
        return Embed(
            f"https://www.youtube-nocookie.com/embed/{youtube}",
            "https://www.youtube-nocookie.com",
        )
    vimeo = _vimeo_id(host, parts.path)
    if vimeo is not None and "player.vimeo.com" in allowed:
        return Embed(f"https://player.vimeo.com/video/{vimeo}?dnt=1", "https://player.vimeo.com")
    return None


def hosts_from_setting(raw: str | None) -> tuple[str, ...]:
    """Read ``RESEARCH_VIDEO_HOSTS`` (comma- or space-separated); unset means the defaults,
    an explicit "none" or "-" means embed nothing."""
    if raw is None or not raw.strip():
        return DEFAULT_HOSTS
    if raw.strip().lower() in {"none", "geen", "-"}:
        return ()
    return tuple(part.lower() for part in re.split(r"[\s,]+", raw.strip()) if part)
