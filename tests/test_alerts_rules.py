"""Pure rules of delivery, table-driven: filters, quiet hours, chat escaping and splitting, templates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.channels import rendered_for
from alerts.channels.chat import ChatChannel, classify
from alerts.channels.markup import ChatStyle, escape_markdown, neutralise_mentions, prepare, split
from alerts.channels.webhook import retry_after
from alerts.jobs import DeliveryJob, digest_head
from alerts.render import render, render_digest, safe_href
from alerts.subscriptions import quiet_until, wants
from config.settings import QuietHours, Subscription
from tests.support.delivery import make_alert

# --- filters ---------------------------------------------------------------------------------

FILTERS: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    ({}, {}, True),
    ({"min_score": 0.9}, {"score": 0.8}, False),
    ({"min_score": 0.8}, {"score": 0.8}, True),
    ({"kinds": ["new"]}, {"revision": 2, "kind": "update"}, False),
    ({"incident_types": ["bombing"]}, {}, False),  # the sample is an attack
    ({"incident_types": ["attack", "bombing"]}, {}, True),
    ({"places": ["القطرون"]}, {}, True),
    ({"places": ["القطرون"]}, {"which": 1}, False),  # Sirte
    ({"places": ["سرت"]}, {"which": 1}, True),
    ({"regions": ["فزان"]}, {}, True),
    ({"regions": ["Fezzan"]}, {}, True),  # English region names
    ({"regions": ["Cyrenaica"]}, {}, False),
    ({"places": ["درنه"]}, {"which": 2}, True),  # ة or ه: one spelling is as good as the other
    ({"regions": ["مرزق"], "places": []}, {}, False),
    ({"update_reasons": ["claim"]}, {"revision": 2}, False),  # the update revises casualties
    ({"update_reasons": ["casualties"]}, {"revision": 2}, True),
    ({"update_reasons": ["claim"]}, {}, True),  # a new incident is not an update
]


@pytest.mark.parametrize(("subscription", "alert", "expected"), FILTERS)
def test_filters(subscription: dict[str, Any], alert: dict[str, Any], expected: bool) -> None:
    which = alert.pop("which", 0)
    revision = alert.pop("revision", 1)
    sub = Subscription(name="s", **subscription)
    assert wants(sub, make_alert("x", revision, which=which, **alert)) is expected


# --- quiet hours -----------------------------------------------------------------------------

QUIET: list[tuple[str, str, str, datetime, datetime | None]] = [
    # start, end, zone, now (UTC), released at (UTC) or None when not quiet
    ("22:00", "07:00", "Africa/Tripoli", datetime(2026, 3, 14, 21, 30, tzinfo=UTC),
     datetime(2026, 3, 15, 5, 0, tzinfo=UTC)),  # 23:30 in Tripoli (UTC+2)
    ("22:00", "07:00", "Africa/Tripoli", datetime(2026, 3, 15, 3, 0, tzinfo=UTC),
     datetime(2026, 3, 15, 5, 0, tzinfo=UTC)),  # 05:00 local, after midnight
    ("22:00", "07:00", "Africa/Tripoli", datetime(2026, 3, 15, 5, 0, tzinfo=UTC), None),
    ("22:00", "07:00", "Africa/Tripoli", datetime(2026, 3, 14, 19, 59, tzinfo=UTC), None),
    ("13:00", "15:00", "UTC", datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
     datetime(2026, 3, 14, 15, 0, tzinfo=UTC)),
    ("13:00", "15:00", "UTC", datetime(2026, 3, 14, 15, 0, tzinfo=UTC), None),
    ("08:00", "08:00", "UTC", datetime(2026, 3, 14, 8, 0, tzinfo=UTC), None),  # empty window
    # New York on the night clocks go forward (2026-03-08): 07:00 EDT is 11:00 UTC
    ("23:00", "07:00", "America/New_York", datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
     datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
]  # fmt: skip


@pytest.mark.parametrize(("start", "end", "zone", "now", "released"), QUIET)
def test_quiet_hours(
    start: str, end: str, zone: str, now: datetime, released: datetime | None
) -> None:
    assert quiet_until(QuietHours(start=start, end=end, timezone=zone), now) == released


def test_a_wrong_time_zone_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Libya/Tripoli'"):
        QuietHours(start="22:00", end="07:00", timezone="Libya/Tripoli")


# --- chat escaping and splitting -------------------------------------------------------------

ESCAPES: list[tuple[str, str, str]] = [
    # markup, what a feed wrote, what the service is sent
    ("markdown", "*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
    ("markdown", "<script>x</script>", r"\<script\>x\</script\>"),
    ("markdown", "see https://x.org/a_b*c", "see https://x.org/a_b*c"),
    ("mentions", "@everyone and @here", "@\u2060everyone and @\u2060here"),
    ("mentions", "<@123> <!channel>", "<\u2060@\u2060123> <\u2060!channel>"),
    ("mentions", "write to desk@example.org", "write to desk@example.org"),
    ("controls", "\x02bold\x02 \x0304,01red\x03 \x1ditalic\x1d", "bold red italic"),
    ("controls", "one\r\ntwo\tthree", "one\ntwo three"),
]


@pytest.mark.parametrize(("markup", "written", "sent"), ESCAPES)
def test_chat_escaping(markup: str, written: str, sent: str) -> None:
    if markup == "markdown":
        assert escape_markdown(written) == sent
    elif markup == "mentions":
        assert neutralise_mentions(written) == sent
    else:
        assert prepare(written, ChatStyle(limit=0)) == sent


def _digest(count: int) -> DeliveryJob:
    alerts = tuple(make_alert(f"long-{i}", which=i).model_dump_json() for i in range(count))
    return DeliveryJob(id="d", subscription="s", channel="c", alerts_json=alerts, digest=1)


def test_telegram_parts_fit_4096_after_html_escaping() -> None:
    # Apprise's Telegram plugin, built but never sent: we only ask it how long a part may be.
    channel = ChatChannel("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100123456")
    job = _digest(30)
    title = "<b>" + "هجوم & " * 400  # escaping makes it longer than it looks
    hostile = job.alerts[0].model_copy(update={"title": title})
    job = DeliveryJob(
        id="d", subscription="s", channel="c", digest=1,
        alerts_json=(hostile.model_dump_json(), *job.alerts_json[1:]),
    )  # fmt: skip
    parts = channel.parts(job, "ar")
    assert len(parts) > 1 and parts[0].startswith(f"(1/{len(parts)})\n")
    assert all(channel.style.measure(p) <= 4096 for p in parts)
    assert all(len(p) > 1000 for p in parts[:-1]), "parts are filled, not cut early"
    whole = "\n".join(p.split("\n", 1)[1] for p in parts)
    links = re.findall(r"https://news\.example\.org/a/long-\d+-1(?=\n|$)", whole)
    assert len(links) == whole.count("https://news.example.org/a/") >= 20, "no link is cut"


def test_discord_parts_fit_2000_and_cut_at_the_last_allowed_part() -> None:
    channel = ChatChannel("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js")
    job = _digest(60)
    parts = channel.parts(job, "en")
    assert len(parts) == 6 and parts[-1].endswith("\n…")  # six parts at most, then cut
    assert all(channel.style.measure(p) <= 2000 for p in parts)
    whole = prepare(rendered_for(job, "en").chat, channel.style)
    for part in parts[:-1]:  # each ends at a line break or a space of the text, not in a word
        body = part.split("\n", 1)[1]
        assert body + "\n" in whole or body + " " in whole, body[-40:]


def test_split_never_breaks_a_letter_from_its_mark() -> None:
    text = "قُتِلَ" * 300  # no spaces at all: the cut must still fall between letters
    parts = split(text, ChatStyle(limit=200, max_parts=50))
    assert "".join(p.split("\n", 1)[1] for p in parts) == text
    assert all(p.split("\n", 1)[1][0] not in "\u064e\u064f\u0650" for p in parts)


def test_irc_lines_fit_in_bytes() -> None:
    channel = ChatChannel("irc://raqib@127.0.0.1:6667/#raqib")
    alert = make_alert("irc-1", summary="كلام " * 500, title="عنوان " * 120)
    job = DeliveryJob(id="i", subscription="s", channel="c",
                      alerts_json=(alert.model_dump_json(),))  # fmt: skip
    lines = [line for part in channel.parts(job, "ar") for line in part.split("\n")]
    assert max(len(line.encode()) for line in lines) <= 350
    assert "عنوان عنوان" in "\n".join(lines)


def test_apprise_failure_classification() -> None:
    class Entry:
        def __init__(self, message: str) -> None:
            self.message = message

    class Service:
        def __init__(self, status: str, messages: list[str]) -> None:
            self.status = type("S", (), {"name": status})()
            self._messages = messages

        def logs(self) -> list[Entry]:
            return [Entry(m) for m in self._messages]

    table = [
        (["Failed to send Telegram notification: Not Found, error=404."], ("HTTP 404", True)),
        (["Failed to send Discord: Too Many Requests, error=429."], ("HTTP 429", False)),
        (["Failed to send Slack: error=503."], ("HTTP 503", False)),
        (["A Connection error occurred"], ("FAILURE", False)),
    ]
    for messages, expected in table:
        assert classify([Service("FAILURE", messages)]) == expected


@pytest.mark.parametrize(
    ("header", "seconds"), [("7", 7.0), (None, None), ("soon", None), ("0", 0.0)]
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


# --- templates and jobs ----------------------------------------------------------------------


def test_english_variant_and_map_link() -> None:
    rendered = render(make_alert("en-1", which=2), "en")
    assert rendered.subject == "[Raqib] ⁨kidnapping⁩ — ⁨درنة (Cyrenaica)⁩ — ⁨4 killed⁩"
    assert "Where: ⁨درنة (Cyrenaica)⁩" in rendered.text
    # Right-to-left marks only before the Arabic paragraphs a source wrote (its title, summary).
    marked = [line for line in rendered.text.splitlines() if "\u200f" in line]
    assert marked and all(re.match("\u200f[\u0600-\u06ff]", line) for line in marked), marked
    assert "map:\nhttps://www.openstreetmap.org/?mlat=32.7594&mlon=22.6383" in rendered.chat
    assert 'dir="ltr"' in rendered.html and 'lang="en"' in rendered.html


def test_arabic_is_right_to_left_by_default() -> None:
    rendered = render(make_alert("ar-1"))
    assert rendered.language == "ar"
    assert all(line.startswith("\u200f") for line in rendered.text.splitlines()
               if line and not line.startswith("  "))  # fmt: skip
    assert "ماذا: ⁨هجوم⁩" in rendered.text and "قتلى ⁨4⁩" in rendered.text
    # The scoring detail is out of line: after the message, under its own heading.
    details = rendered.text.index("-- تفاصيل التقييم --")
    assert rendered.text.index("actor+incident+place in one sentence") > details


def test_digest_shows_each_incident_once_at_its_latest_revision() -> None:
    alerts = [make_alert("a", 1), make_alert("b", 1, which=1), make_alert("a", 2)]
    rendered = render_digest(alerts, "ar")
    assert rendered.subject == "[رقيب] عاجل: ملخص الحوادث: ⁨2⁩ حوادث"  # 5 killed: severe
    assert rendered.text.count("قتلى ⁨5⁩") == 1 and "قتلى ⁨4⁩" in rendered.text


@pytest.mark.parametrize(
    ("url", "href"),
    [("https://a.org/x", "https://a.org/x"), ("javascript:alert(1)", None),
     ("data:text/html,x", None), ("http:///nohost", None), ("", None)],
)  # fmt: skip
def test_only_http_links_become_links(url: str, href: str | None) -> None:
    assert safe_href(url) == href


def test_job_json_round_trip_and_digest_head() -> None:
    job = DeliveryJob(
        id="x:1:s:c", subscription="s", channel="c",
        alerts_json=(make_alert("x").model_dump_json(),), attempt=2, parts_done=1, created=5.0,
    )  # fmt: skip
    again = DeliveryJob.from_json(job.to_json())
    assert (again.id, again.attempt, again.parts_done, again.created) == ("x:1:s:c", 2, 1, 5.0)
    assert again.alerts[0] == job.alerts[0]
    head = digest_head("s", "email:a@b", 7.0)
    filled = head.replace("__SEQ__", "12") + job.alerts_json[0] + "]}"
    digest = DeliveryJob.from_json(filled)
    assert digest.digest == 12 and digest.id == "digest:12:s:email:a@b"


@pytest.mark.parametrize(
    ("url", "secret"),
    [("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100123456", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
     ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", "JHMHI8qBe7bk2ZwO5U711o3dV_js"),
     ("mmost://chat.example.org/raqibtesthooktoken0000000001", "raqibtesthooktoken0000000001")],
)  # fmt: skip
def test_a_chat_channel_never_shows_its_token(url: str, secret: str) -> None:
    channel = ChatChannel(url)
    assert secret not in channel.describe() and secret not in channel.id
    assert channel.describe().startswith(
        f"{channel.plugin.service_name} {url.split('://')[0]}://…#"
    )
