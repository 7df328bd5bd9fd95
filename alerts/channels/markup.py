"""Chat text made safe for each service's markup, and split at safe points for its length limit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Services where "@everyone", "@here", "<@123>" or "<!channel>" in a message pings people.
MENTION_SERVICES = frozenset(
    {"discord", "slack", "mmost", "mmosts", "matrix", "matrixs", "msteams", "rocket", "rockets",
     "guilded", "revolt", "zulip", "ryver", "tgram", "workflows", "wxteams", "gchat", "lark",
     "feishu", "dingtalk", "kook", "fluxer", "nctalk", "nctalks"}
)  # fmt: skip

# Services that render Markdown in a message Apprise sends as plain text: we escape it ourselves.
# (Telegram, Rocket.Chat and other HTML or Markdown services get their escaping from Apprise;
# Slack gets plain text with mrkdwn off.)
MARKDOWN_ON_TEXT = frozenset({"discord", "mmost", "mmosts", "zulip", "guilded", "revolt", "kook"})

WORD_JOINER = "\u2060"  # invisible; "@\u2060everyone" reads as @everyone and pings no one
# "@name" at the start of a word (not inside an e-mail address), and Slack/Discord "<@…>", "<!…>"
_MENTION = re.compile(r"((?<![\w.])@(?=\w)|<(?=[@!#&]))")
# C0 controls but tab and newline, DEL, C1 controls: IRC reads \x02 \x03 \x1d … as bold, colour …
# An IRC colour code takes its digits with it (\x0304,01); then every other control goes.
_CONTROLS = re.compile(r"\x03(?:\d{1,2}(?:,\d{1,2})?)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_URL = re.compile(r"https?://\S+")
_MARKDOWN_SPECIAL = re.compile(r"([\\_*\[\]()~`>#+=|{}.!<-])")


def escape_markdown(text: str) -> str:
    """Backslash every Markdown character, outside links (a backslash in a URL would break it)."""
    out, last = [], 0
    for url in _URL.finditer(text):
        out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[last : url.start()]))
        out.append(url.group())
        last = url.end()
    out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def neutralise_mentions(text: str) -> str:
    """Break @everyone, @here, <@123>, <!channel> so they show as written and ping nobody."""
    return _MENTION.sub(lambda m: m.group(1) + WORD_JOINER, text)


@dataclass(frozen=True)
class ChatStyle:
    """How one service reads a message: its length limit and which of our guards it needs."""

    limit: int  # of what `measure` counts; 0: no limit
    measure: Callable[[str], int] = len
    mentions: bool = False
    markdown: bool = False  # escape Markdown ourselves (the service renders it in plain text)
    line_limit: int = 0  # IRC: each line is one PRIVMSG of at most this many bytes
    max_parts: int = 6  # past this many parts, the message is cut instead


def prepare(text: str, style: ChatStyle) -> str:
    text = strip_controls(text)
    if style.markdown:
        text = escape_markdown(text)
    if style.mentions:
        text = neutralise_mentions(text)
    return text


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut_point(text: str, fits: Callable[[str], bool]) -> int:
    """The longest prefix that fits, ending at a paragraph, line, sentence or word if possible."""
    low, high = 0, len(text)
    while low < high:  # binary search on the measure, which grows with the prefix
        mid = (low + high + 1) // 2
        if fits(text[:mid]):
            low = mid
        else:
            high = mid - 1
    if low >= len(text):
        return len(text)
    window = text[:low]
    for separator in ("\n\n", "\n", ". ", "، ", "؛ ", " "):
        at = window.rfind(separator)
        if at > low // 3:  # a break too early would waste most of the part
            return at + len(separator)
    # No break: cut between characters, never between a letter and its combining mark.
    while low > 1 and unicodedata.combining(text[low]):
        low -= 1
    return max(low, 1)


def _wrap_lines(text: str, limit: int) -> str:
    """IRC: every line within `limit` UTF-8 bytes, wrapped at spaces."""
    out = []
    for line in text.split("\n"):
        while utf8_length(line) > limit:
            at = _cut_point(line, lambda s: utf8_length(s) <= limit)
            out.append(line[:at].rstrip())
            line = line[at:].lstrip()
        out.append(line)
    return "\n".join(out)


def split(text: str, style: ChatStyle, cut_note: str = "…") -> list[str]:
    """Parts that each fit the service; numbered "(1/3)" when there are several."""
    text = text.strip("\n")
    if style.line_limit:
        text = _wrap_lines(text, style.line_limit)
    if not style.limit or style.measure(text) <= style.limit:
        return [text]
    marker_room = len(" (99/99)\n")
    budget = style.limit - style.measure("x" * marker_room) + 1

    def fits(piece: str) -> bool:
        return style.measure(piece) <= budget

    parts: list[str] = []
    rest = text
    while rest:
        if len(parts) == style.max_parts - 1 and not fits(rest):
            # The last part allowed: cut it, and say so.
            tail = "\n" + cut_note

            def fits_with_tail(piece: str, tail: str = tail) -> bool:
                return style.measure(piece + tail) <= budget

            at = _cut_point(rest, fits_with_tail)
            parts.append(rest[:at].rstrip() + tail)
            break
        at = _cut_point(rest, fits)
        parts.append(rest[:at].rstrip("\n "))
        rest = rest[at:].lstrip("\n ")
    total = len(parts)
    return [f"({n}/{total})\n{part}" for n, part in enumerate(parts, start=1)]
