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


def _own_numbers(reply: Reply) -> list[str]:
    """The numbers its choices keep of the whole list (« 21. », « – » for the others), when
    no line is listed under the question already; else none."""
    if any(c.detail for c in reply.choices) or all(c.number is None for c in reply.choices):
        return []
    return numbering(reply.choices)


def _numbers_fit(reply: Reply, shown: list[str]) -> bool:
    return all(
        len(f"{number} {choice.label}") <= MAX_BUTTON
        for number, choice in zip(shown, reply.choices, strict=True)
        if number != "–"
    )


def button_labels(reply: Reply) -> list[str]:
    """Each button's text: its label, with the number it keeps when that fits the button."""
    shown = _own_numbers(reply)
    if not shown or not _numbers_fit(reply, shown):
        return [shorten(c.label, MAX_BUTTON, middle=True) for c in reply.choices]
    return [
        shorten(c.label, MAX_BUTTON, middle=True) if number == "–" else f"{number} {c.label}"
        for number, c in zip(shown, reply.choices, strict=True)
    ]


def listed_lines(reply: Reply) -> list[str]:
    """The lines listed under the question, numbered: those its buttons cut (``detail``), or,
    when a number kept of the whole list does not fit beside a label, every numbered line."""
    shown = numbering(reply.choices)
    own = _own_numbers(reply)
    whole = bool(own) and not _numbers_fit(reply, own)
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
