"""What a reply's choices look like on Telegram: its inline keyboard, and the numbered lines
listed under the question where the buttons cannot show what a number typed answers.

Telegram numbers nothing: a choice typed by its rank is counted on the buttons, but one that
keeps the whole list's number (a page of a long list, a list to tick, the roll call) would
be a number seen nowhere (explorer DF1: « absents : 3, 7 », « Page 1 sur 7 : les numéros sont
ceux de toute la liste. » above buttons reading « ✅ Aïcha Benali »). Its button shows it
(« 21. ✅ Aïcha Benali »), or, where the buttons have no room for it, the lines are listed
whole and numbered under the question, as where a button cuts its line (``Choice.detail``,
explorer ED1).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.messages import TELEGRAM_BUTTON, Reply, numbering, shorten

MAX_BUTTON = TELEGRAM_BUTTON
"""A button's text is cut in its middle beyond this: its start (a date, an action) and its
end (the formation it is for) both stay."""


def _lines_listed(reply: Reply) -> bool:
    """Whether the lines are listed under the question, numbered, rather than the numbers
    shown on the buttons: a label cut to fit its button (explorer DF5: 9 of /reglages' 31
    settings, « Formation courte (jours pour con…e absente, après l'absence) : 1 »), or one
    that has no room for the number it keeps."""
    own = any(c.number is not None for c in reply.choices)
    return any(
        len(f"{number} {choice.label}" if own else choice.label) > MAX_BUTTON
        for number, choice in zip(numbering(reply.choices), reply.choices, strict=True)
        if number != "–"
    )


def button_labels(reply: Reply) -> list[str]:
    """Each button's text: its label, with the number it keeps of the whole list unless the
    lines are listed under the question."""
    plain = [shorten(c.label, MAX_BUTTON, middle=True) for c in reply.choices]
    own = any(c.number is not None for c in reply.choices)
    if not own or any(c.detail for c in reply.choices) or _lines_listed(reply):
        return plain
    return [
        label if number == "–" else f"{number} {label}"
        for number, label in zip(numbering(reply.choices), plain, strict=True)
    ]


def listed_lines(reply: Reply) -> list[str]:
    """The lines listed under the question, numbered: those its buttons cut, whole
    (``detail``), or, where no line carries one, every numbered line when one of them does
    not fit its button."""
    shown = numbering(reply.choices)
    whole = not any(c.detail for c in reply.choices) and _lines_listed(reply)
    return [
        f"{number} {texts.escape(choice.detail or choice.label)}"
        for number, choice in zip(shown, reply.choices, strict=True)
        if choice.detail or (whole and number != "–")
    ]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    columns = max(1, reply.columns)
    buttons = [
        InlineKeyboardButton(label, callback_data=c.data[:64])
        for label, c in zip(button_labels(reply), reply.choices, strict=True)
    ]
    rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
    return InlineKeyboardMarkup(rows)
