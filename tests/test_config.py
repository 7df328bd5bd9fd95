"""Configuration: the shipped defaults load, mistakes are reported with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_settings
from config.loader import DEFAULT_CONFIG
from tests.conftest import raqib


def test_shipped_config_loads_with_embedded_redis_and_console_fallback() -> None:
    settings = load_settings(DEFAULT_CONFIG, environ={})
    assert settings.redis.url is None
    assert settings.subscriptions == []
    assert settings.sources, "the shipped catalogue has sources"
    assert all(p.exists() for p in settings.watchlists)


def test_typo_names_file_line_and_suggests_key(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("data_dir: var/\nsmtp:\n  host: mail\n  prot: 25\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:4: smtp.prot: unknown key")
    assert "did you mean 'port'" in problem


def test_wrong_type_in_a_list_item_points_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text(
        "sources:\n  - name: a\n    url: http://x/feed\n  - name: b\n    url: http://y/feed\n"
        "    interval: often\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert caught.value.problems[0].startswith(f"{path}:6: sources.1.interval:")


def test_invalid_yaml_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("smtp:\n  host: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert caught.value.problems[0].startswith(f"{path}:")
    assert "not valid YAML" in caught.value.problems[0]


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("smtp:\n  host: mail.example.org\n", encoding="utf-8")
    settings = load_settings(
        path, environ={"RAQIB_SMTP__PORT": "2525", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    )
    assert (settings.smtp.host, settings.smtp.port) == ("mail.example.org", 2525)
    assert settings.redis.url == "redis://127.0.0.1:6379/3"


def test_the_environment_can_turn_the_source_catalogue_off() -> None:
    shipped = load_settings(DEFAULT_CONFIG, environ={})
    assert shipped.sources_file is not None and shipped.sources
    settings = load_settings(DEFAULT_CONFIG, environ={"RAQIB_SOURCES_FILE": ""})
    assert settings.sources_file is None and settings.sources == []


def test_raqib_check_exits_2_with_the_message(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("crawler:\n  allow_private_network: true\n", encoding="utf-8")
    result = raqib("--config", str(path), "check")
    assert result.returncode == 2
    assert f"{path}:2: crawler.allow_private_network: unknown key" in result.stderr
    assert "allow_private_networks" in result.stderr


def test_raqib_check_accepts_the_shipped_config() -> None:
    result = raqib("--config", str(DEFAULT_CONFIG), "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_subscription_update_reason_typo_is_an_error_not_silence(tmp_path: Path) -> None:
    # A misspelt reason would otherwise filter out every update without a word.
    path = tmp_path / "raqib.yaml"
    path.write_text(
        "subscriptions:\n  - name: desk\n    email: [desk@example.org]\n"
        "    update_reasons: [casualties, new_sources]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:4: subscriptions.0.update_reasons.1:")
    assert "new_source" in problem


def test_watchlists_default_to_the_shipped_one_and_an_empty_list_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("data_dir: var/\n", encoding="utf-8")
    settings = load_settings(path, environ={})
    assert [p.name for p in settings.watchlists] == ["isis-libya.yaml"]
    assert all(p.exists() for p in settings.watchlists)

    path.write_text("data_dir: var/\nwatchlists: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert caught.value.problems[0].startswith(f"{path}:2: watchlists: empty")
