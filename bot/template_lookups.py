"""Jinja's lookups of a dialogue's answers, without the detours Jinja takes for any object.

The chat templates read a dialogue's answers, a plain ``dict``, as
``d.kind`` and ``d.get("cm_name")``.  Jinja's own ways are made for any
object: ``d.kind`` first asks the dict for an attribute ``kind``, which it
lacks (an ``AttributeError`` raised and caught), then for its item; and
``d.get(…)`` goes through ``Context.call``, which looks twice whether the
callable wants the template's context passed.  The recap of ``/formation``
makes some fifty such lookups and twenty-two such calls, every template a
few (CA).  Both are overridden here for what cannot be otherwise, every
other object going Jinja's way:

- an attribute of a plain ``dict`` that is no attribute of ``dict`` itself
  (``d.kind``, not ``d.items``) is its item, or undefined: what Jinja's
  ``getattr`` ends with;
- a method of a built-in type (``d.get``, ``s.startswith``) never takes
  the context (nothing can mark it so): called as it is.
"""

from __future__ import annotations

from types import BuiltinMethodType
from typing import Any

import jinja2
import jinja2.runtime

_DICT_ATTRIBUTES = frozenset(dir(dict))
"""What ``getattr`` finds on a plain dict: its methods and ``object``'s, nothing else."""


class Context(jinja2.runtime.Context):
    """A template's context whose calls of built-in methods skip the look for a context to pass."""

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if type(obj) is not BuiltinMethodType:
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Jinja says it
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class Environment(jinja2.Environment):
    """Jinja's environment, reading a plain dict's items as attributes without an exception."""

    context_class = Context

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
