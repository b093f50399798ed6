"""What a typed name must look like, with the re-ask when it does not."""

from __future__ import annotations

from bot.answers import Invalid
from bot.people.names import organisation_name, person_name


def test_a_person_s_name_needs_letters_and_one_line() -> None:
    assert person_name("  Claire   Martin ", example="Claire Martin") == "Claire Martin"
    refused = person_name("1234", example="Mme Sophie Leroy")
    assert isinstance(refused, Invalid) and "« Mme Sophie Leroy »" in refused.message
    assert isinstance(person_name("", example="x"), Invalid)
    assert isinstance(person_name("a" * 101, example="x"), Invalid)
    assert isinstance(person_name("Zoé\x1b[31m", example="x"), Invalid)


def test_an_organisation_s_name_has_two_characters_and_letters() -> None:
    assert organisation_name("Forma Plus") == "Forma Plus"
    for bad in ("F", "42", "", "x" * 121):
        assert isinstance(organisation_name(bad), Invalid), bad
