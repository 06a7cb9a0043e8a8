"""Debian's headless chromium for end-to-end tests, cut off from the internet: what a page
shows after its scripts ran, and every URL the page requested (from chromium's network log)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require_chromium() -> None:
    """Skip when chromium is absent, unless on CI, where its absence is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium installed (Debian package `chromium`)")
        pytest.skip("chromium is not installed")


def dump_dom(url: str, home: Path) -> tuple[str, list[str]]:
    """The page's DOM after 15 s of virtual time, and the URLs the page requested meanwhile.

    Every host name but 127.0.0.1 fails to resolve, as on an intranet without internet."""
    require_chromium()
    profile, netlog = home / "profile", home / "netlog.json"
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--log-net-log={netlog}",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, encoding="utf-8", timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout, page_requests(netlog, url)


def page_requests(netlog: Path, page: str) -> list[str]:
    """The URLs requested on behalf of `page` (its network isolation key is the page's site),
    leaving out chromium's own traffic."""
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # chromium stopped before closing the log
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    parts = urlsplit(page)
    site = f"{parts.scheme}://{parts.hostname}"
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [event["params"]["url"] for event in log["events"]
            if event["type"] == start
            and event.get("params", {}).get("network_isolation_key", "").split(" ")[0] == site]
