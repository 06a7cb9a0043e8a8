"""The `/docs` page of a real `dangjian serve`, opened in headless chromium with no internet:
Swagger UI comes from the installed package and shows every operation."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .browser import dump_dom, require_chromium

DANGJIAN = str(Path(sys.executable).with_name("dangjian"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    require_chromium()
    home = tmp_path_factory.mktemp("docs")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    proc = subprocess.Popen([DANGJIAN, "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--db", str(home / "dangjian.db")], cwd=home, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert proc.poll() is None
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_docs_page_renders_every_operation_without_the_internet(base, tmp_path):
    dom, requested = dump_dom(f"{base}/docs", tmp_path)
    spec = httpx.get(f"{base}/docs/openapi.json").json()
    assert "swagger-ui" in dom and "opblock" in dom  # Swagger UI ran and drew operations
    for path in spec["paths"]:
        assert f'class="opblock-summary-path" data-path="{path}"' in dom, path
    assert "dangjian 党建考核 API" in dom
    assert f"{base}/docs/assets/swagger-ui-bundle.js" in requested
    off_machine = [url for url in requested if not url.startswith(f"{base}/")]
    assert off_machine == []


def test_docs_assets_are_the_installed_package_files(base):
    from swagger_ui_bundle import swagger_ui_path

    served = httpx.get(f"{base}/docs/assets/swagger-ui-bundle.js")
    assert served.status_code == 200
    assert served.content == (Path(str(swagger_ui_path)) / "swagger-ui-bundle.js").read_bytes()
    assert httpx.get(f"{base}/docs/assets/no-such-file.js").status_code == 404
