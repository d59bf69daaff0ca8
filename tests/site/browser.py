"""A headless Chromium for the viewer tests (Debian's chromium + chromedriver, via selenium)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def find_tool(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.path.isabs(name) and os.path.exists(name) else None)
        if found:
            return found
    return None


def require_tool(what: str, *names: str) -> str:
    """The tool's path; skip when missing, except under CI=true where a missing tool fails."""
    found = find_tool(*names)
    if found is None:
        message = f"{what} not installed ({' or '.join(names)}); scripts/install-system-deps.sh installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextmanager
def chromium(width: int = 1400, height: int = 900) -> Iterator[object]:
    binary = require_tool("Chromium", "chromium", "/usr/bin/chromium", "chromium-browser")
    driver_path = require_tool("ChromeDriver", "chromedriver", "/usr/bin/chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="basket-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path: Path, timeout: float = 30.0) -> float:
    """Load a file and wait until the viewer reports ready; returns seconds taken."""
    import time

    from selenium.webdriver.support.ui import WebDriverWait

    start = time.perf_counter()
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return !!(window.basketViewer && window.basketViewer.ready)"))
    return time.perf_counter() - start


def console_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
