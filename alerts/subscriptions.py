"""Who hears about what: subscription filters, quiet hours, and each subscription's channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alerts.channels import Channel
from alerts.channels.chat import ChatChannel
from alerts.channels.console import ConsoleChannel
from alerts.channels.email import EmailChannel
from alerts.channels.webhook import SCHEMES as WEBHOOK_SCHEMES
from alerts.channels.webhook import WebhookChannel
from alerts.message import Alert
from config.settings import QuietHours, RateLimit, Settings, Subscription

# Spelling differences that must not decide a match: alef forms, ta marbuta, alef maqsura,
# tatweel and harakat. (The detector has a fuller normaliser; alerts may not import it.)
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}
    | {chr(c): None for c in range(0x064B, 0x0653)}
)
# Libya's three historic regions, as the gazetteer names them, with their English names.
REGION_NAMES = {"tripolitania": "طرابلس", "cyrenaica": "برقة", "barqa": "برقة", "fezzan": "فزان",
                "fazzan": "فزان"}  # fmt: skip


def fold(name: str) -> str:
    name = " ".join(name.split()).casefold().translate(_FOLD)
    return REGION_NAMES.get(name, name)


def _folded(names: list[str]) -> set[str]:
    return {fold(n) for n in names}


def wants(sub: Subscription, alert: Alert) -> bool:
    """Does this subscription want this alert? Score, kind, tier, update reason, type, place, region."""
    if alert.score < sub.min_score or alert.kind not in sub.kinds:
        return False
    if alert.attribution not in sub.attribution:
        return False
    if sub.incident_types and alert.incident_type not in sub.incident_types:
        return False
    if (
        alert.kind == "update"
        and sub.update_reasons
        and not set(alert.update_reasons) & set(sub.update_reasons)
    ):
        return False
    if sub.places or sub.regions:
        names = _folded([p.name for p in alert.places])
        regions = _folded([p.region for p in alert.places if p.region])
        # A subscriber's "region" may be a district the gazetteer keeps as a place, and back.
        if not (names | regions) & (_folded(sub.places) | _folded(sub.regions)):
            return False
    return True


def _clock(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes))


def quiet_until(quiet: QuietHours, now: datetime) -> datetime | None:
    """When the quiet hours that hold `now` end (UTC), or None when `now` is not quiet."""
    zone = ZoneInfo(quiet.timezone)
    local = now.astimezone(zone)
    start, end = _clock(quiet.start), _clock(quiet.end)
    at = time(local.hour, local.minute, local.second)
    if start == end:
        return None
    if start < end:
        inside = start <= at < end
        end_day = local.date()
    else:  # spans midnight: 22:00–07:00
        inside = at >= start or at < end
        end_day = local.date() + timedelta(days=1) if at >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def held_until(sub: Subscription, top_score: float, now: datetime) -> datetime | None:
    """Quiet hours hold a delivery unless its score breaks through."""
    quiet = sub.quiet_hours
    if quiet is None:
        return None
    if quiet.breakthrough_score is not None and top_score >= quiet.breakthrough_score:
        return None
    return quiet_until(quiet, now)


@dataclass
class Route:
    subscription: Subscription
    channels: list[Channel]


def chat_channel(settings: Settings, url: str, rate_limit: RateLimit | None = None) -> Channel:
    """The channel of one `chat:` URL: Raqib's own JSON webhook, or Apprise for the rest.
    Raises ValueError, naming the URL without its tokens, when the URL cannot be used."""
    if url.partition("://")[0].lower() in WEBHOOK_SCHEMES:
        return WebhookChannel(
            url, timeout=settings.alerts.send_timeout_seconds, rate_limit=rate_limit
        )
    return ChatChannel(url, settings.alerts.throttle, rate_limit=rate_limit)


def build_channels(settings: Settings, sub: Subscription) -> list[Channel]:
    channels: list[Channel] = []
    for address in sub.email:
        channels.append(
            EmailChannel(
                settings.smtp, address, rate_limit=sub.rate_limit,
                public_url=settings.alerts.public_url,
            )
        )  # fmt: skip
    for target in sub.chat_targets():
        channels.append(chat_channel(settings, target.url, target.rate_limit or sub.rate_limit))
    return channels


def build_routes(settings: Settings) -> list[Route]:
    """Every subscription with its channels; none configured: the console fallback."""
    if not settings.subscriptions:
        console = Subscription(name="console")
        return [Route(console, [ConsoleChannel(settings.data_dir)])]
    names = [s.name for s in settings.subscriptions]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"subscription names must be unique; repeated: {', '.join(repeated)}")
    return [Route(sub, build_channels(settings, sub)) for sub in settings.subscriptions]
