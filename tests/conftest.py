"""Shared fixtures: PyTorch as an optional oracle, English unless a test asks for another language,
a browser, and the id of the test run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from autograd.i18n import ENVIRONMENT_VARIABLE

# The tests read English texts wherever they run, whatever the machine's locale; this process's
# subprocesses (the demo, notebook kernels) inherit it. Tests of the other languages choose them.
os.environ[ENVIRONMENT_VARIABLE] = "en"

TORCH_MISSING = (
    "PyTorch is not installed, so the oracle tests cannot run: "
    "`make test` installs torch==2.13.0 (leave it out with `make test TORCH=no`)"
)


@pytest.fixture(scope="session")
def torch() -> ModuleType:
    """The torch module in float64 mode, or a skip that says why."""
    try:
        import torch
    except ImportError:
        pytest.skip(TORCH_MISSING)
    torch.set_default_dtype(torch.float64)
    return torch


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for a test module, in a 1,024×768 window (a test may resize it)."""
    from browsing import start_chromium

    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    driver.set_window_size(1024, 768)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def run_id() -> str:
    """This test run's id, the same in every pytest-xdist worker: notebooks execute once per run."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
