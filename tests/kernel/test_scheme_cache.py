"""TOML schemes decoded before are taken from the cache folder: the same scheme, dates in free-
form values included; a changed file, a changed model or a broken entry decodes again."""

from __future__ import annotations

import datetime
from pathlib import Path

import msgspec
import pytest

from dangjian.catalogue import cache
from dangjian.catalogue.loading import decode_scheme, load_scheme

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "plugins/jilin-health-2019/src/dangjian_jilin_health_2019/scheme.toml"
WITH_DATES = ROOT / "plugins/hubei-organs-2022/src/dangjian_hubei_organs_2022/scheme.toml"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "schemes"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_a_scheme_decoded_once_is_taken_from_the_cache_after(folder, monkeypatch):
    first = load_scheme(REFERENCE)
    [entry] = entries(folder)
    calls = []
    monkeypatch.setattr("dangjian.catalogue.loading._decode_scheme",
                        lambda *a, **k: calls.append(a))
    assert load_scheme(REFERENCE) == first and calls == []
    assert msgspec.json.encode(load_scheme(REFERENCE)) == msgspec.json.encode(first)
    assert entries(folder) == [entry]


def test_dates_among_free_form_values_come_back_as_dates(folder):
    first = load_scheme(WITH_DATES)
    assert first.extra["congress_opened"] == datetime.date(2022, 10, 16)
    assert len(entries(folder)) == 1
    again = load_scheme(WITH_DATES)
    assert again == first and again.extra["congress_opened"] == datetime.date(2022, 10, 16)


def test_a_changed_file_or_model_is_decoded_again(folder, monkeypatch):
    text = REFERENCE.read_text(encoding="utf-8")
    one = decode_scheme(text.encode(), file="a.toml")
    two = decode_scheme(text.replace('version = "2019.1"', 'version = "2019.2"').encode(),
                        file="a.toml")
    assert (one.version, two.version) == ("2019.1", "2019.2")
    assert len(entries(folder)) == 2
    monkeypatch.setattr(cache, "_model", b"another model")
    assert decode_scheme(text.encode(), file="a.toml") == one
    assert len(entries(folder)) == 3


def test_a_broken_entry_is_decoded_again_and_replaced(folder):
    first = load_scheme(REFERENCE)
    [entry] = entries(folder)
    entry.write_bytes(b"not a pickle")
    assert load_scheme(REFERENCE) == first
    assert cache.cached(REFERENCE.read_bytes()) == first


def test_nothing_is_kept_when_the_folder_is_off_or_cannot_be_made(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "")
    first = load_scheme(REFERENCE)
    assert cache.cache_dir() is None and cache.cached(REFERENCE.read_bytes()) is None
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked / "cache"))  # under a file: no folder
    assert load_scheme(REFERENCE) == first == load_scheme(REFERENCE)
    assert blocked.read_text() == "" and list(tmp_path.iterdir()) == [blocked]


def test_the_default_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "dangjian"
