"""Decodes feed and page bytes to text, seeing through servers that lie about the charset."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.IGNORECASE)
_UTF8_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
# `[^<>]`, not `[^>]`: a run of "<meta" never closed would otherwise be rescanned for each one.
_META_CHARSET = re.compile(
    rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels servers send by default when nobody configured one; Arabic text behind them is common.
_LATIN_DEFAULTS = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
# What an Arabic news site may really be in when its label is wrong.
_ARABIC_CANDIDATES = ("cp1256", "iso8859-6", "cp864", "utf-8")
# Codecs Python knows that are no charset a document is written in. Those that turn bytes into
# bytes (base64, zlib, rot13 …) are not text codecs at all; "undefined" raises on any input;
# idna, punycode and the escape codecs read host names and backslashes, not text; UTF-7 is the
# classic way to smuggle markup past filters. A label naming one is treated as no label.
_NOT_CHARSETS = frozenset(
    {"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7"}
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec that was used, in Python's spelling
    declared: str | None  # what the server or the document claimed, if anything
    relabelled: bool  # True when the claim was wrong and another charset was used


def codec_name(label: str | bytes | None) -> str | None:
    """Python's name for a charset label; None when the label is unknown or names a codec that
    is no text charset (base64, rot13, zlib, "undefined" …)."""
    if not label or len(label) > 64:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def header_charset(content_type: bytes | str | None) -> str | None:
    """The charset parameter of a Content-Type header."""
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def declared_charset(body: bytes) -> str | None:
    """The charset a document names itself: its XML declaration or an HTML <meta>."""
    found = _XML_ENCODING.match(body[:1024]) or _META_CHARSET.search(body[:8192])
    return found.group(1).decode("ascii") if found else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-8" and exc.reason == "unexpected end of data" and exc.start > 0:
            # A document cut off in the middle of a character is still UTF-8.
            return body[: exc.start].decode(codec, "strict") if exc.end == len(body) else None
        return None
    except (UnicodeError, LookupError):  # a codec that cannot read these bytes whatever they are
        return None


def _guess(body: bytes, candidates: tuple[str, ...]) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body, cp_isolation=list(candidates)).best()
    return codec_name(best.encoding) if best is not None else None


def decode(body: bytes, content_type: bytes | str | None = None) -> Decoded:
    """Text of a document, trusting the bytes over the labels.

    Valid UTF-8 with any non-ASCII byte is UTF-8 whatever the label says (a windows-1256 Arabic
    text is never valid UTF-8 by accident). Otherwise the server's and the document's labels
    are tried, then charset detection, so a windows-1256 page served as "utf-8" still reads as
    Arabic and not as mojibake.
    """
    from_header = header_charset(content_type)
    in_document = declared_charset(body)
    declared = from_header or in_document
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _strict(body, codec)
            if text is not None:
                return Decoded(text, codec, declared, False)
    text = _strict(body, "utf-8")
    if text is not None:
        claimed = codec_name(declared)
        relabelled = claimed not in (None, "utf-8", "ascii") and not text.isascii()
        return Decoded(text, "utf-8", declared, relabelled)
    labels = [codec_name(label) for label in (from_header, in_document)]
    claims = [c for c in dict.fromkeys(labels) if c and c != "utf-8"]
    for codec in claims:
        if codec in _LATIN_DEFAULTS:
            continue  # decodes anything; trust it only if nothing Arabic fits better
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, declared, False)
    guessed = _guess(body, (*_ARABIC_CANDIDATES, *claims))
    if guessed:
        text = _strict(body, guessed)
        if text is not None:
            return Decoded(text, guessed, declared, guessed not in claims)
    return Decoded(body.decode("utf-8", "replace"), "utf-8", declared, True)


def as_utf8_xml(body: bytes, decoded: Decoded, copy: bool = False) -> bytes:
    """The document as UTF-8 bytes whose XML declaration says so (for XML parsers).

    Without `copy`, a body that is already that is returned as it is.
    """
    label = declared_charset(body)
    says_utf8 = label is None or codec_name(label) == "utf-8"  # an unknown label must go too
    if not copy and decoded.encoding.startswith("utf-8") and says_utf8:
        return body
    data = _XML_DECLARATION.sub(b"", decoded.text.encode("utf-8"), count=1)
    # The declaration alone on the first line, whatever the document began with: feedparser
    # looks for the encoding with a regex over the first line that is cubic in its length
    # (30 KB of `<?xml version="1.0" encoding="` repeated took it 17 s; 60 KB, 138 s).
    return _UTF8_DECLARATION + data.lstrip()
