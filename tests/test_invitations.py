"""One-time codes as typed: what a copy-paste adds is dropped, and only a code's exact
shape is read as one when it comes alone (outside test, item 15)."""

from __future__ import annotations

import pytest

from bot import invitations


def test_what_a_copy_paste_adds_around_a_code_is_dropped() -> None:
    code = invitations.new_code()
    for typed in (code, f" {code}.", f"« {code} »", f"“{code}”", f"'{code}' !", f"({code});"):
        assert invitations.pasted(typed) == code, typed
    # The code's own characters stay, at either end: stripping never makes another code.
    assert invitations.pasted("-91SFab_") == "-91SFab_"
    assert invitations.pasted("« . »") == ""


def test_every_code_the_bot_issues_is_recognised_alone() -> None:
    assert all(invitations.looks_issued(invitations.new_code()) for _ in range(2000))


@pytest.mark.parametrize(
    "typed",
    [
        "bonjour",
        "anticonstitutionnellem",  # 22 letters, one case: a word
        "ANTICONSTITUTIONNELLEM",
        "1234567890123456789012",  # digits only
        "X1re0iN6fds4A0J8TrGxx",  # 21 characters
        "X1re0iN6fds4A0J8TrGxxgg",  # 23
        "X1re0iN6fds4A0J8 TrGxxg",
        "X1re0iN6fds4A0J8TrGxx!",
        "",
    ],
)
def test_nothing_else_is_read_as_a_code(typed: str) -> None:
    assert not invitations.looks_issued(typed)


def test_a_forwarded_invitation_pasted_whole_gives_its_code() -> None:
    code = "Ab3dEf6hIj9kLm2nOp5qRs"
    forwarded = (
        "Bonjour Léa Martin,\nL'organisme … vous invite au bilan.\nAprès le bilan, pour "
        f"l'attestation sur l'honneur (une minute suffit), envoyez à l'assistant formabot : /start {code}"
        "\nCe code est personnel, ne le transmettez pas."
    )
    assert invitations.pasted(forwarded) == code
    # Its link pasted as a message (explorer DB1).
    assert invitations.pasted(f"https://t.me/formabot_bot?start={code}") == code
    assert invitations.pasted(f"/start {code}x") != code  # a longer word is no code of ours


def test_a_code_inside_a_sentence_is_that_code() -> None:
    """Explorer U U6: « voici mon code : t4Dq… » got « envoyez /start suivi du code reçu »."""
    code = "t4DqXmX4IBYHhkYkoXhPIg"
    said = f"Je suis Hugo Moreau, délégué, voici mon code : {code}. Merci !"
    assert invitations.pasted(said) == code
    two = f"{code} ou Ab3dEf6hIj9kLm2nOp5qRs ?"
    assert not invitations.looks_issued(invitations.pasted(two))  # two: which one? none
    assert invitations.pasted("bonjour je ne comprends pas") == "bonjour je ne comprends pas"
