"""A scalar reverse-mode automatic differentiation engine, made for learning backpropagation."""

from autograd.engine import (
    OPERATIONS,
    Operation,
    Value,
    grad,
    is_grad_enabled,
    linear,
    no_grad,
    operation,
    topological_order,
)
from autograd.functional import hessian, hvp
from autograd.gradcheck import GradcheckResult, gradcheck, numerical_grad
from autograd.i18n import set_language

__all__ = [
    "OPERATIONS",
    "GradcheckResult",
    "Operation",
    "Value",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "linear",
    "no_grad",
    "numerical_grad",
    "operation",
    "set_language",
    "topological_order",
]
