"""Prometheus metrics of delivery: outcomes by channel, latencies."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

DELIVERIES = Counter(
    "raqib_deliveries",
    "Delivery outcomes by channel kind (email, chat, webhook, console) and result "
    "(sent, retry, held, dead, folded: an update told in a later or earlier message, unsubscribed).",
    ["channel", "result"],
)
DELIVERY_SECONDS = Histogram(
    "raqib_delivery_latency_seconds",
    "From an alert's entry on the matches stream to its delivery recorded as sent.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
SEND_SECONDS = Histogram(
    "raqib_send_seconds",
    "How long a channel took to accept one message (or to fail).",
    ["channel"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
