"""A scalar reverse-mode automatic differentiation engine, made for learning backpropagation."""

from autograd.engine import OPERATIONS, Operation, Value, is_grad_enabled, linear, no_grad, topological_order
from autograd.gradcheck import GradcheckResult, gradcheck, numerical_grad

__all__ = [
    "OPERATIONS",
    "GradcheckResult",
    "Operation",
    "Value",
    "gradcheck",
    "is_grad_enabled",
    "linear",
    "no_grad",
    "numerical_grad",
    "topological_order",
]
