"""Shared fixtures: PyTorch as an optional oracle."""

from __future__ import annotations

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
