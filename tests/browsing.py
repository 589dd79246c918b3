"""Headless Chromium for the browser tests, and what they measure in it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_MISSING = (
    "Chromium and chromedriver are needed for the browser tests of the player: "
    "`sudo apt-get install chromium chromium-driver` on Debian/Ubuntu (`make test` does it when it can)"
)


def start_chromium(user_data: Path) -> Any:
    """A headless Chromium that logs every network request, or a skip that says how to install it."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip(CHROMIUM_MISSING)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={user_data}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(chromedriver), options=options)


SMALLEST_TEXT = """
// The smallest font size, in CSS pixels, of any text on show: SVG text scaled as drawn, and HTML text.
const root = arguments[0] || document.body;
let smallest = Infinity;
for (const text of root.querySelectorAll("svg text")) {
  if (!text.textContent.trim() || text.getBoundingClientRect().width === 0) continue;
  const m = text.getScreenCTM();
  smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b));
}
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const element = walker.currentNode.parentElement;
  if (!walker.currentNode.textContent.trim() || element.closest("svg")) continue;
  if (element.getBoundingClientRect().width === 0) continue;
  smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
}
return smallest;
"""
