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
    "topological_order",
]
