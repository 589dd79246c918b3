"""Shared fixtures: PyTorch as an optional oracle, and the id of the test run."""

from __future__ import annotations

import os
import uuid
from types import ModuleType

import pytest

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


@pytest.fixture(scope="session")
def run_id() -> str:
    """This test run's id, the same in every pytest-xdist worker: notebooks execute once per run."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
