"""What people type, judged the same way by every dialogue and service."""

from __future__ import annotations

import difflib
import sys
import unicodedata

import pytest

from bot.answers import (
    Invalid,
    clean_line,
    close_words,
    correction,
    fold,
    has_control_characters,
    has_words,
    matrix_id,
    picture_word,
    same_matrix_id,
    visible,
)


def test_words_need_a_letter_or_a_digit_or_as_many_letters_as_asked() -> None:
    assert has_words("Salle 2") and has_words("2")
    assert not has_words("…!? 😀")
    assert has_words("Lé", letters=2) and not has_words("L 2", letters=2)


def test_names_compare_without_case_accents_or_punctuation() -> None:
    assert fold("  Léa   MARTIN-Dupré ") == "lea martin dupre"


def test_a_line_is_cleaned_or_refused_with_its_reason() -> None:
    assert clean_line("  deux   mots \n", limit=20) == "deux mots"
    assert isinstance(clean_line("   ", limit=20), Invalid)
    assert isinstance(clean_line("x" * 21, limit=20), Invalid)
    assert isinstance(clean_line("a\x1b[31mb", limit=20), Invalid)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        (
            "@prenom.nom-organisme.fr:agent.tchap.gouv.fr",
            "@prenom.nom-organisme.fr:agent.tchap.gouv.fr",
        ),
        ("  @bruno:localhost:8448 ", "@bruno:localhost:8448"),
        ("@Bruno:localhost", None),
        ("bruno@localhost", None),
        ("@bruno lefevre:localhost", None),
        ("@bruno:", None),
    ],
)
def test_matrix_ids(typed: str, found: str | None) -> None:
    assert matrix_id(typed) == found


def test_a_name_typed_elsewhere_is_shown_without_invisible_characters() -> None:
    assert visible("Léa\x1b[31m \u202eMartin\x00") == "Léa Martin"
    assert visible(None) == ""


def test_names_sort_by_surname_with_accents_folded() -> None:
    from bot.answers import by_surname

    names = [
        "Paul Fabre",
        "Élodie Étienne",
        "Marie Dupont",
        "Zoé Abel",
        "DURAND Jean",
        "Ana de Lima",
    ]
    assert sorted(names, key=by_surname) == [
        "Zoé Abel",
        "Marie Dupont",
        "DURAND Jean",
        "Élodie Étienne",
        "Paul Fabre",
        "Ana de Lima",
    ]


def test_the_closest_names_to_one_nobody_has() -> None:
    from bot.answers import closest_names

    known = ["Karim Benali", "Léa Martin", "Zora Petit", "Julie Petit"]
    assert closest_names("lia", known) == ["Léa Martin"]
    assert closest_names("zorro", known) == ["Zora Petit"]
    assert closest_names("xxxxxx", known) == []
    assert closest_names("", known) == []


def test_a_long_text_folds_as_a_short_one_does() -> None:
    """Short texts keep their folded form, long ones (a pasted list) are folded each time:
    the same answer either way."""
    from bot.answers import KEPT_FOLDS, fold

    line = "Élodie  ÉTIENNE ; Boulangerie-Pâtisserie "
    long = line * (KEPT_FOLDS // len(line) + 2)
    assert len(line) <= KEPT_FOLDS < len(long)
    assert fold(line) == "elodie etienne boulangerie patisserie"
    assert fold(long) == " ".join([fold(line)] * (KEPT_FOLDS // len(line) + 2))


def test_matrix_ids_read_the_server_part_whatever_its_case_the_user_part_exactly() -> None:
    sophie = "@sophie.leroy:agent.tchap.gouv.fr"
    assert same_matrix_id(sophie, "@sophie.leroy:Agent.TCHAP.gouv.fr")
    assert same_matrix_id(f" {sophie} ", sophie)
    assert not same_matrix_id(sophie, "@Sophie.leroy:agent.tchap.gouv.fr")
    assert not same_matrix_id(sophie, "@sophie.leroy:agent.tchap.gouv.fr.evil.example")


def test_a_no_that_corrects_at_once_gives_the_correction() -> None:
    assert correction("non, du 14/12 au 30/04") == "du 14/12 au 30/04"
    assert correction("Non en fait mercredi") == "mercredi"
    assert correction("non c'est jeudi") == "jeudi"
    assert correction("pas ça : le 3 mars") == "3 mars"
    for plain in ("non", "Non.", "  non !", "oui", "nonante", "le 3 mars"):
        assert correction(plain) is None, plain


def test_a_thumb_or_a_tick_alone_is_its_word() -> None:
    """Explorer Z, Z10: « 👍 » at « C'est bien ça ? » was « Je n'ai pas reconnu ce choix »."""
    assert [picture_word(t) for t in ("👍", " ✅ ", "✔️", "👎", "👍 merci", "😀")] == [
        "oui",
        "oui",
        "oui",
        "non",
        "",
        "",
    ]


def test_control_characters_are_unicode_s_but_line_breaks_and_tabs_and_the_bidi_overrides() -> None:
    """ZP: one search instead of a category per character; every code point judged as before
    (category Cc but « \\n », « \\r », « \\t », and U+202A-U+202E, U+2066-U+2069)."""
    bidi = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        before = (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") or point in bidi
        assert has_control_characters(f"ab{ch}cd") is before, hex(point)
    assert not has_control_characters("Marie Dupont ; Boulangerie\nKarim\tBenali")


def test_a_word_within_one_typo_whatever_the_lengths_compared() -> None:
    """ZP: words whose lengths alone rule out a ratio of 0.8 are no longer compared letter by
    letter; every answer is the one the whole comparison gives."""
    words = ["presentiel", "distance", "dupond", "leroy", "sophie", "example", "restauration"]
    parts = ["presentiel", "a", "distance", "dupont", "leroy", "sophie", "exemple", "org", "restau"]
    for word in words:
        for part in parts:
            whole = difflib.SequenceMatcher(None, word, part).ratio() >= 0.8
            assert close_words([word], [part]) is whole, (word, part)
    assert close_words(["presentiel"], ["en", "présentiel".replace("é", "e")])
    assert not close_words(["sophie"], ["sophie.leroy@example.org"])


def _folded_letter_by_letter(text: str) -> str:
    """What a fold is, one character at a time: the reference the quicker fold must match."""
    kept = [c for c in unicodedata.normalize("NFKD", text) if unicodedata.combining(c) == 0]
    return " ".join("".join(c if c.isalnum() else " " for c in "".join(kept).casefold()).split())


def test_a_fold_reads_every_character_as_one_at_a_time_does() -> None:
    """ASCII, accents, ligatures, other scripts, digits of every kind, marks alone, controls,
    underscores, fancy letters: the same fold as the character-by-character one."""
    from bot.answers import _fold

    samples = [
        "Agent de restauration 12",
        "du 1er décembre 2026 au 15 juin 2027",
        "Marie Dupont ; Boulangerie Martin\nKarim Benali\tJulie_Petit",
        "ÉLODIE Œuvre straße ﬁn Ǆ ǅ",
        "𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱 ①②③ ٣ ½ Ⅻ",
        "王伟 Анна Ζωή עִבְרִית",
        "a\u0301\u0327 \u0301 \u20dd\u200b\u202e\x00\x1f\x7f e\u0308",
        "",
        "___ --- !!! ?? ¿¡",
    ]
    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF)
    samples += [every[i : i + 97] for i in range(0, len(every), 97)]
    for text in samples:
        assert _fold(text) == _folded_letter_by_letter(text), repr(text)


def test_a_name_in_ascii_keeps_what_the_character_by_character_look_keeps() -> None:
    """Every ASCII character, controls included, in names and around them: the quick look at
    ASCII text drops what the look at each character's category drops, and blanks the same
    (a letter « é » after it sends the same text through that look)."""
    samples = [
        "".join(chr(c) for c in range(128)),
        "Sophie\tLeroy\r\n",
        "Karim\x1fBenali\x0b\x0c Julie\x7f Petit\x00",
        "\x1b[31mMarie\x1b[0m Dupont",
        *(f"A{chr(c)}B {chr(c)}" for c in range(128)),
    ]
    for text in samples:
        assert text.isascii()
        looked_at_letter_by_letter = visible(text + " é")
        assert looked_at_letter_by_letter.endswith(" é")
        assert visible(text) == looked_at_letter_by_letter[:-2], repr(text)
