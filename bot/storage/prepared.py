"""Statements compiled once per dialect, with their types' converters, for the direct path.

What :mod:`bot.storage.turn_rows` hands straight to the driver: a
statement's SQL, its positional parameters and its result columns, each
with the converter SQLAlchemy would apply, taken from SQLAlchemy's own
compilation once (:class:`Prepared`, :func:`prepared_for`), and the
multi-row ``INSERT`` of a saving turn's rows (:func:`listed`, AP).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Delete, Insert, Select, Update

Statement = Select[Any] | Insert | Update | Delete
"""What the direct path runs: the engine's statements (:mod:`bot.storage.turn_rows`) and a few of
the steps'."""

Convert = Callable[[Any], Any] | None
"""A type's converter between Python and the driver (None: the value goes as it is)."""


@dataclass(frozen=True)
class Prepared:
    """A statement compiled once for one dialect, with its types' converters, in order.

    The SQL, the positional parameters and their bind converters, and the
    result columns with theirs: what SQLAlchemy's compiled cache holds, taken
    once so that a turn only converts values and calls the cursor.
    """

    sql: str
    binds: tuple[tuple[str, bool, Any, Convert], ...]
    """(name, required, fixed value for a literal, converter) per placeholder."""
    columns: tuple[tuple[str, Convert], ...]
    pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = field(default=None, repr=False)
    """Every placeholder's parameter in one call (``itemgetter``), when there are two or more
    and none is a literal; else None and :meth:`values` takes them one by one."""
    converting: tuple[tuple[int, Callable[[Any], Any]], ...] = field(default=(), repr=False)
    """The placeholders whose value a converter changes, by position: a turn's UPDATE has
    eight, three of them converted (its JSON and two stamps)."""
    keys: tuple[str, ...] = field(default=(), repr=False)
    converted: tuple[tuple[str, Callable[[Any], Any]], ...] = field(default=(), repr=False)
    """The result columns a converter changes (four of the sixteen a turn's read gives)."""

    @classmethod
    def of(cls, statement: Statement, dialect: Dialect) -> Prepared:
        compiled = statement.compile(dialect=dialect)
        binds = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            if not bind.required and bind.value is None:
                # A column left out, whose default SQLAlchemy's execution would fill in.
                raise ValueError(f"{name}: every column a turn writes is set in its statement")
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, bind.required, bind.effective_value, convert))
        # What it reads: a query's columns, or what a write returns (``RETURNING``).
        read = (
            statement.selected_columns
            if isinstance(statement, Select)
            else statement.exported_columns
        )
        columns = tuple(
            (str(key), column.type.dialect_impl(dialect).result_processor(dialect, None))
            for key, column in read.items()
        )
        names = [name for name, required, _, _ in binds if required]
        return cls(
            str(compiled),
            tuple(binds),
            columns,
            pick=itemgetter(*names) if len(names) == len(binds) >= 2 else None,
            converting=tuple((n, c) for n, (_, _, _, c) in enumerate(binds) if c is not None),
            keys=tuple(key for key, _ in columns),
            converted=tuple((key, c) for key, c in columns if c is not None),
        )

    def values(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional parameters, converted; a missing required one is a KeyError.

        Taken in one call, and only the converted ones looked at again: not a loop over
        every placeholder, three statements a turn (NA)."""
        if self.pick is not None:
            picked = self.pick(params)
            if not self.converting:
                return picked
            out = list(picked)
        else:
            out = [params[name] if required else fixed for name, required, fixed, _ in self.binds]
        for n, convert in self.converting:
            if (value := out[n]) is not None:
                out[n] = convert(value)
        return tuple(out)

    def row(self, raw: tuple[Any, ...]) -> dict[str, Any]:
        row = dict(zip(self.keys, raw, strict=True))
        for key, convert in self.converted:
            if (value := row[key]) is not None:
                row[key] = convert(value)
        return row

    def tuples(self, raw: list[Any]) -> list[tuple[Any, ...]]:
        """Rows as tuples, converted; SQLite's rows as they came when no column converts."""
        if all(convert is None for _, convert in self.columns):
            return [tuple(values) for values in raw]
        converts = [convert for _, convert in self.columns]
        return [
            tuple(
                value if convert is None or value is None else convert(value)
                for convert, value in zip(converts, values, strict=True)
            )
            for values in raw
        ]


_prepared: dict[tuple[Statement, str], Prepared] = {}
"""The statements above, and the few of the steps' that go the same way (module constants
built once: the recap's look for a namesake, the saving turn's reads and rows), prepared on
first use for each dialect."""


ROWS_AT_ONCE = 100
"""The most rows :meth:`bot.storage.turn_rows.DirectRows.inserted` sends in one statement: each
count of rows is a statement of its own, built and prepared once (:func:`listed`), so their
number stays bounded."""

_listings: dict[tuple[Insert, tuple[str, ...], int], Insert] = {}


def listed(statement: Insert, keys: tuple[str, ...], count: int) -> Insert:
    """``statement`` with the values of ``count`` rows of the columns ``keys``, each bound by
    name and row (``full_name__2``): the multi-row ``INSERT`` SQLAlchemy's own batching sends."""
    key = (statement, keys, count)
    built = _listings.get(key)
    if built is None:
        columns = statement.table.c
        built = _listings[key] = statement.values(
            [{k: bindparam(f"{k}__{n}", type_=columns[k].type) for k in keys} for n in range(count)]
        )
    return built


def prepared_for(statement: Statement, dialect: Dialect) -> Prepared:
    """``statement`` prepared for ``dialect``, on first use."""
    key = (statement, dialect.name)
    prepared = _prepared.get(key)
    if prepared is None:
        prepared = _prepared[key] = Prepared.of(statement, dialect)
    return prepared
