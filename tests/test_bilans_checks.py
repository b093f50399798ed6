"""What a bilan's answers must look like (bot/bilans/checks.py), without a dialogue."""

from __future__ import annotations

import pytest

from bot.bilans.checks import contact, duration_minutes, minutes_fit, visio_url


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("2 h", 120), ("1 h 30", 90), ("90 minutes", 90), ("n'importe quoi", None), ("-2 h", None)],
)
def test_durations_are_read_in_french(typed: str, minutes: int | None) -> None:
    assert duration_minutes(typed) == minutes


def test_a_bilan_lasts_between_half_an_hour_and_eight_hours() -> None:
    assert [minutes_fit(m) for m in (29, 30, 480, 481)] == [False, True, True, False]


@pytest.mark.parametrize(
    "link",
    [
        "https://visio.example.org/bilan-restauration",
        "http://localhost:8080/x",
        "https://meet.example.org/r/abc-def?pwd=Xy%3C1&lang=fr#join",
    ],
)
def test_a_full_visio_link_is_kept_as_typed(link: str) -> None:
    assert visio_url(link) == link


@pytest.mark.parametrize(
    "link",
    [
        "https://exa mple.org",
        "javascript:alert(1)",
        "ftp://files.example.org/x",
        "https://localhost:99999/x",
        "https://-",
        "https://.example.org",
        "https://example..org",
        "https://intranet/x",
        "https://visio.example.org/?x=<b>1</b>",  # copied into invitations as it is
        'https://visio.example.org/"onclick="x',
        "https://visio.example.org/a\\b",
    ],
)
def test_anything_else_is_not_a_visio_link(link: str) -> None:
    assert visio_url(link) is None


def test_a_link_copied_without_its_https_is_completed() -> None:
    """Explorer DG13: « meet.google.com/abc-defg-hij », as Meet shows it, was refused."""
    assert visio_url("meet.google.com/abc-defg-hij") == "https://meet.google.com/abc-defg-hij"
    assert visio_url("visio") is None and visio_url("bonjour.") is None


def test_a_contact_is_an_address_or_a_handle() -> None:
    assert contact(" K.Haddad@Example.org ") == "k.haddad@example.org"
    assert contact("@lina_costa") == "@lina_costa"
    assert contact("@lina:matrix.example.org") == "@lina:matrix.example.org"
    assert contact("Karim") is None
    assert contact("@ab") is None
