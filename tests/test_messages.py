"""What reaches the engine: text as the person meant it, whatever their keyboard or copy."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.messages import Incoming, Platform, _cleaned_slowly, cleaned


def incoming(text: str, display_name: str = "") -> Incoming:
    return Incoming(Platform.CONSOLE, "c", "u", "e1", text=text, display_name=display_name)


def test_text_pasted_decomposed_is_read_composed() -> None:
    """Explorer AK1: « Marie-Hélène » from a Mac was « ne ressemble pas à un nom »."""
    typed = unicodedata.normalize("NFD", "Marie-Hélène Le Bœuf")
    assert typed != "Marie-Hélène Le Bœuf"
    assert incoming(typed, display_name=typed).text == "Marie-Hélène Le Bœuf"
    assert incoming(typed, display_name=typed).display_name == "Marie-Hélène Le Bœuf"


def test_invisible_characters_of_a_copy_are_dropped() -> None:
    """Explorer AK6: a visio link with a zero-width space inside went broken to the
    participants and the Région; the .ics alone was cleaned."""
    link = "https://visio.exemple.fr/bilan\u200b-123\ufeff"
    assert incoming(link).text == "https://visio.exemple.fr/bilan-123"
    assert incoming("Kar\u2060im ab\u00adsent").text == "Karim absent"


def test_direction_marks_and_joiners_between_letters_are_dropped() -> None:
    """Explorer GD4: « Sophie\u200f Leroy » (a right-to-left mark from a mail) was « ne
    ressemble pas à un nom »; a joiner between letters shows nothing either. Within an
    emoji the joiner stays (:func:`test_what_is_seen_stays_as_it_is`)."""
    assert incoming("Sophie\u200f Leroy\u200e", display_name="Léa\u061c").text == "Sophie Leroy"
    assert incoming("x", display_name="Léa\u061c Martin").display_name == "Léa Martin"
    assert incoming("Ben\u200dKaci Pe\u200ctit").text == "BenKaci Petit"
    assert incoming("\u200c\u200d\u200e").text == ""
    assert incoming("👍\u200d\u200e🏻").text == "👍\u200d🏻"


def test_what_is_seen_stays_as_it_is() -> None:
    """A joiner inside an emoji, a bidi override (refused later, said) are not this layer's."""
    for text in ("👩\u200d🏫 ok", "motif\u202e inversé", "/start ABC"):
        assert incoming(text).text == text


def test_a_clean_text_is_taken_as_it_came_and_reads_as_the_whole_cleaning_would() -> None:
    """DA2: a text in ASCII, or holding nothing to leave out nor to compose, is not rebuilt;
    every text reads as each step of the cleaning taken in turn would make it: every character
    below U+3000 alone, after a letter, before a combining accent, beside each invisible one."""
    hidden = "\u200b\u2060\ufeff\u00ad\u200c\u200d\u200e\u200f\u061c"
    texts = ["", "Agent de restauration 12", "Marie-Hélène", "e\u0301", "👩\u200d🏫"]
    for point in range(0x3000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        c = chr(point)
        texts += [c, f"a{c}", f"{c}\u0301", f"👍{c}"] + [f"{c}{h}é" for h in hidden]
    for text in texts:
        assert cleaned(text) == _cleaned_slowly(text), ascii(text)
        assert incoming(text, display_name=text).display_name == _cleaned_slowly(text)
    for text in ("Agent de restauration 12", "du 1er décembre 2026 au 15 juin 2027", ""):
        assert cleaned(text) is text


def test_a_message_that_waited_is_read_when_it_was_sent() -> None:
    """Explorer AJ1: sent while the bot was down, read at the moment it was sent; sent a
    moment ago, from the future or from too long ago, read now."""
    now = datetime(2026, 12, 9, 7, 30, tzinfo=UTC)
    cases = {
        now - timedelta(hours=10): now - timedelta(hours=10),
        now - timedelta(seconds=20): now,
        now + timedelta(minutes=5): now,
        now - timedelta(days=3): now,
        None: now,
    }
    for sent, read in cases.items():
        assert replace(incoming("x"), sent_at=sent).read_at(now) == read, sent


def test_a_message_sent_before_midnight_and_handled_after_is_of_its_day() -> None:
    """Explorer AR5: « aujourd'hui » sent at 23:59:50, handled 30 s later, was the next day."""
    paris = ZoneInfo("Europe/Paris")
    sent = datetime(2026, 11, 23, 23, 59, 50, tzinfo=paris)
    now = sent + timedelta(seconds=30)
    assert replace(incoming("x"), sent_at=sent).read_at(now, paris) == sent
    assert replace(incoming("x"), sent_at=sent).read_at(now) == now  # no zone: as before
    early = datetime(2026, 11, 23, 10, 0, 5, tzinfo=paris)  # the same day: read now
    assert replace(incoming("x"), sent_at=early).read_at(early + timedelta(seconds=9), paris) == (
        early + timedelta(seconds=9)
    )


def test_a_lone_surrogate_in_the_text_or_the_choice_is_not_read() -> None:
    """ZP: one search per text; every surrogate refused, every other character read."""
    for point in (0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0x1F600):
        lone = 0xD800 <= point <= 0xDFFF
        said = incoming(f"Marie {chr(point)} Dupont")
        assert said.is_valid_unicode is not lone
        pressed = replace(incoming(""), choice=f"3|{chr(point)}")
        assert pressed.is_valid_unicode is not lone
    assert incoming("Marie\udcff").unread == "common.invalid_unicode"
