"""The bilan's date question, as /bilan and « Déplacer » ask it (:mod:`.shared` holds what
it checks and warns about)."""

from __future__ import annotations

from bot.conversations.bilans.shared import (
    bilan_warnings,
    check_when,
    keep_late_warning,
    slot_besides,
    when_example,
)
from bot.conversations.kit.steps import DateStep


def when_step(
    name: str, *, ask: str, slot: bool = False, kind: type[DateStep] = DateStep
) -> DateStep:
    """The bilan's date and time, towards the future, checked and warned about; with
    ``slot``, a slot typed with it gives the length too (:func:`slot_besides`); ``kind``: a
    date step that offers more (the chargée de mission's date, :mod:`.move`)."""
    return kind(
        name,
        ask=ask,
        prefer="future",
        need_time=True,
        check=check_when,
        example=when_example,
        besides=slot_besides if slot else None,
        then=keep_late_warning,
        warnings=bilan_warnings,
        help="bilan.help_when",
    )
