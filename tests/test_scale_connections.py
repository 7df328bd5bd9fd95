"""Every way to reach Redis, against real servers: redis://, rediss://, unix://, Sentinel, Cluster."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio
from redis.cluster import key_slot
from redis.exceptions import MovedError

from alerts.spine.connections import EmbeddedRedis, RedisHandle, RedisTarget
from alerts.spine.keyspace import Keyspace
from config.loader import ConfigError, load_settings
from config.logs import SecretFilter, secrets_of
from config.settings import RedisSettings
from crawler.incidents.keys import IncidentKeys
from tests.conftest import write_config
from tests.support.certificates import self_signed_certificate
from tests.support.redis_servers import (
    ClusterServers,
    RedisServers,
    SentinelSet,
    missing_binaries,
    sentinel_set,
)

PASSWORD = "redis-pass-T7w2"  # the test servers'; Raqib reads it from the environment

pytestmark = pytest.mark.skipif(
    bool(missing_binaries("redis-server", "redis-sentinel", "redis-cli")),
    reason="needs Debian's redis-server, redis-sentinel and redis-tools",
)


def handle(settings: RedisSettings, environ: dict[str, str] | None = None) -> RedisHandle:
    return RedisHandle(RedisTarget.from_settings(settings, environ or {}), Keyspace("conn-test:"))


def round_trip(h: RedisHandle, key: str = "conn-test:{k}:value") -> tuple[str | None, str | None]:
    """Write with the sync client, read back with it and with the asyncio one."""
    client = h.sync()
    try:
        client.set(key, "نعم", ex=60)
        read = client.get(key)
    finally:
        client.close()

    async def read_async() -> str | None:
        aclient = h.asyncio()
        try:
            value: str | None = await aclient.get(key)
            return value
        finally:
            await aclient.aclose()

    return read, asyncio.run(read_async())


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RedisServers, Path]]:
    """A server with a password on TCP, and one on TLS only (its certificate its own CA)."""
    cert, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    group = RedisServers("conn")
    group.add("plain", extra={"requirepass": PASSWORD})
    group.add("tls", tls=(cert, key))
    with group.start():
        yield group, cert


@pytest.fixture(scope="module")
def sentinels() -> Iterator[SentinelSet]:
    with sentinel_set() as found:
        yield found


def test_redis_url_with_the_password_in_it_or_in_the_environment(
    servers: tuple[RedisServers, Path],
) -> None:
    plain = servers[0].servers[0]
    in_url = RedisSettings(url=f"redis://:{PASSWORD}@127.0.0.1:{plain.port}/2")
    assert round_trip(handle(in_url)) == ("نعم", "نعم")
    from_env = RedisSettings(url=f"redis://127.0.0.1:{plain.port}/2", password_env="RQ_PASS")
    assert round_trip(handle(from_env, {"RQ_PASS": PASSWORD})) == ("نعم", "نعم")
    with pytest.raises(redis.AuthenticationError):
        round_trip(handle(from_env, {}))  # no password in the environment: refused, said so
    # The log line names the server, never the password.
    assert PASSWORD not in handle(in_url).describe()
    assert f"127.0.0.1:{plain.port}" in handle(in_url).describe()


def test_rediss_checks_the_certificate_against_the_given_ca(
    servers: tuple[RedisServers, Path],
) -> None:
    tls_server, cert = servers[0].servers[1], servers[1]
    url = f"rediss://127.0.0.1:{tls_server.port}/0"
    assert round_trip(handle(RedisSettings(url=url, ca_file=cert))) == ("نعم", "نعم")
    # Without the private CA the server's certificate is not trusted: no connection at all.
    with pytest.raises(redis.ConnectionError, match="certificate verify failed"):
        round_trip(handle(RedisSettings(url=url)))
    # Plain text to a TLS port gets no answer either.
    with pytest.raises((redis.ConnectionError, redis.TimeoutError)):
        client = redis.Redis(port=tls_server.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()


def test_unix_socket(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "redis") as server:
        assert round_trip(handle(RedisSettings(url=server.url))) == ("نعم", "نعم")


def test_sentinel_url_and_sentinel_list_reach_the_master(sentinels: SentinelSet) -> None:
    by_url = handle(RedisSettings(url=sentinels.url))
    by_list = handle(RedisSettings(
        sentinels=[f"127.0.0.1:{s.port}" for s in sentinels.sentinels], service=sentinels.SERVICE,
    ))  # fmt: skip
    assert round_trip(by_url) == ("نعم", "نعم")
    assert round_trip(by_list, "conn-test:{k}:other") == ("نعم", "نعم")
    # Both wrote to the master the Sentinels name, and the replica has it.
    master = sentinels.master.client(decode_responses=True)
    try:
        assert master.get("conn-test:{k}:other") == "نعم"
    finally:
        master.close()
    assert "found by Sentinel" in by_url.describe() and sentinels.SERVICE in by_url.describe()


def test_a_sentinel_service_nobody_watches_is_a_clear_error(sentinels: SentinelSet) -> None:
    url = sentinels.url.replace(sentinels.SERVICE, "no-such-service")
    with pytest.raises(redis.ConnectionError, match="No master found for 'no-such-service'"):
        round_trip(handle(RedisSettings(url=url)))


def test_cluster_true_follows_the_slots_a_plain_client_is_moved_from(
    cluster_servers: ClusterServers,
) -> None:
    url = cluster_servers.url
    keys = [f"conn-test:feed-{i}" for i in range(60)]  # no hash tag: spread over the masters
    assert len({key_slot(k.encode()) for k in keys}) > 50
    h = handle(RedisSettings(url=url, cluster=True))
    client = h.sync()
    try:
        for key in keys:
            client.set(key, "1", ex=60)
        assert all(client.get(k) == "1" for k in keys)
        holders = {n.port: n.client().dbsize() for n in cluster_servers.nodes}
        assert all(count > 0 for count in holders.values()), holders  # every master holds some
    finally:
        client.close()
    # The same URL without `cluster: true`: the first key of another node's slot fails.
    first = cluster_servers.nodes[0].client()
    try:
        with pytest.raises(MovedError):
            for key in keys:
                first.get(key)
    finally:
        first.close()
    assert "Redis Cluster" in h.describe()


def test_keys_used_together_share_one_slot() -> None:
    """What a Lua script or a MULTI touches lives in one slot (Redis Cluster refuses otherwise):
    every delivery key has the {alerts} tag, every incident key the {inc} tag."""
    keys = Keyspace("raqib:")
    delivery = [
        keys.matches, keys.jobs, keys.scheduled, keys.dead, keys.delivery_log,
        keys.state("d1"), keys.digest("ops", "email-0"), keys.digests_due,
        keys.digest_sequence, keys.rate("ops", "chat-0"),
    ]  # fmt: skip
    incidents = IncidentKeys("raqib:")
    incident = [
        incidents.incident("i1"), incidents.incidents, incidents.incident_history("i1"),
        incidents.incident_days, incidents.incident_band("3:ab"), incidents.incident_url("f0"),
        incidents.incident_outbox, incidents.incident_clock,
    ]  # fmt: skip
    assert len({key_slot(k.encode()) for k in delivery}) == 1
    assert len({key_slot(k.encode()) for k in incident}) == 1


@pytest.mark.parametrize(
    ("redis_block", "message"),
    [
        ({"url": "http://127.0.0.1:6379"}, "redis.url: expected a URL starting with"),
        ({"sentinels": ["127.0.0.1:26379"]}, "`sentinels` needs `service`"),
        ({"sentinels": ["127.0.0.1"], "service": "m"}, "expected host:port for each Sentinel"),
        ({"url": "redis+sentinel://127.0.0.1:26379", "cluster": True}, "two different set-ups"),
        ({"url": "redis+sentinel://127.0.0.1:26379"}, "names the Sentinels and the service"),
        ({"url": "unix:///run/redis.sock", "cluster": True}, "not unix://"),
        ({"cluster": True}, "`cluster: true` needs `url`"),
        ({"url": "redis://a:1", "sentinels": ["b:2"], "service": "m"}, "not both"),
        ({"clustre": True}, "unknown key (did you mean 'cluster'?)"),
    ],
)
def test_a_wrong_redis_block_names_the_file_line_and_what_to_do(
    tmp_path: Path, redis_block: dict[str, object], message: str
) -> None:
    path = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path), redis=redis_block)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert f"{path}:" in str(caught.value) and message in str(caught.value)


def test_environment_chooses_the_cluster_and_passwords_never_reach_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path))
    environ = {
        "REDIS_URL": "redis://10.0.0.5:7000,10.0.0.6:7000/0", "RAQIB_REDIS__CLUSTER": "true",
        "RAQIB_REDIS__PASSWORD_ENV": "RQ_PASS", "RQ_PASS": PASSWORD,
    }  # fmt: skip
    settings = load_settings(path, environ=environ)
    assert settings.redis.cluster and settings.redis.password_env == "RQ_PASS"
    target = RedisTarget.from_settings(settings.redis, environ)
    assert target.cluster and target.password == PASSWORD
    assert PASSWORD not in repr(target) and PASSWORD not in target.describe()
    sentinel_url = "redis+sentinel://:s3ntinel-pw@10.0.0.7:26379,10.0.0.8/raqib-main/3"
    sentinel = RedisTarget.from_settings(RedisSettings(url=sentinel_url), {})
    assert sentinel.sentinels == (("10.0.0.7", 26379), ("10.0.0.8", 26379))
    assert (sentinel.service, sentinel.db, sentinel.password) == ("raqib-main", 3, "s3ntinel-pw")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RQ_PASS", PASSWORD)
        scrub = SecretFilter(secrets_of(settings))
        logger = logging.getLogger("raqib-test-secrets")
        logger.addFilter(scrub)
        try:
            with caplog.at_level(logging.INFO, logger="raqib-test-secrets"):
                logger.info("AUTH failed for %s", PASSWORD)
        finally:
            logger.removeFilter(scrub)
    assert PASSWORD not in caplog.text and "AUTH failed for ***" in caplog.text
