"""PDF from the report's HTML by headless Chromium (Debian's `chromium`): printed offline,
with a throwaway profile and every background network service off."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dangjian.errors import DangjianError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ENV = "DANGJIAN_CHROMIUM"
TIMEOUT = 180
MISSING = ("生成 PDF 需要 Chromium 浏览器，但没有找到（Debian / Ubuntu：sudo apt-get install "
           "chromium fonts-noto-cjk；或用环境变量 DANGJIAN_CHROMIUM 指定浏览器程序）。"
           "也可以先 --out 报告.html，再在浏览器中打印为 PDF")


class BrowserMissing(DangjianError):
    """No headless Chromium to print the PDF with."""


def find_browser() -> str | None:
    """The Chromium to print with: $DANGJIAN_CHROMIUM, else the first on PATH."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def headless_args(browser: str, profile: str) -> list[str]:
    """Chromium run headless and offline: no sandbox (it may run as root in CI), no GPU, no
    first-run, sync, component updates or background networking."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}"]


def html_to_pdf(html: str, target: Path) -> None:
    """Print `html` to `target` as A4 (the page's own @page rule), without header or footer."""
    browser = find_browser()
    if browser is None:
        raise BrowserMissing(MISSING)
    with tempfile.TemporaryDirectory(prefix="dangjian-report-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(work) / "report.pdf"
        args = [*headless_args(browser, str(Path(work) / "profile")), "--no-pdf-header-footer",
                f"--print-to-pdf={printed}", page.as_uri()]
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise DangjianError(f"Chromium 在 {TIMEOUT} 秒内没有生成 PDF") from None
        if not printed.is_file() or printed.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise DangjianError("Chromium 没有生成 PDF（退出码 "
                                f"{done.returncode}{'：' + detail[0] if detail else ''}）")
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(printed, partial)
        os.replace(partial, target)
