"""Module docstring."""
from __future__ import annotations

import os
from typing import Any

CONSTANT: int = 0x1F + 0o17 + 0b1010 + 1_000_000 + 3.14e-10 + 2j


@dataclass(frozen=True)
class Thing(Base, metaclass=Meta):
    '''Class docstring with "quotes".'''

    def method(self, *args: Any, key=None, **kwargs) -> str | None:
        name = f"{self.name!r:>10} {kwargs['x']}" + rb'\d+' + u"ünïcödé"
        if not args and key is not None or self in (1, 2):
            return lambda x: x ** 2 // 3 @ matrix
        async with ctx() as c:
            await c.send(b"\x00\n")
        match key:
            case [x, *rest] if x > 0:
                pass
            case _:
                raise ValueError("bad") from None
        return None  # comment
