"""What is already noted, gathered: one phrase for the people noted alike on the same days."""

from datetime import date

from bot.absences.clashes import Conflict
from bot.absences.noted_said import Noted, noted_together

DAY = Conflict("duplicate", "journée", "Camille Durand")
MORNING = Conflict("duplicate", "matin", "Camille Durand")


def test_people_noted_alike_on_the_same_days_share_one_phrase() -> None:
    found = [
        (name, date(2026, 11, day), DAY) for day in (16, 17, 18) for name in ("Julie", "Karim")
    ]
    assert noted_together(found) == [
        Noted(
            ["Julie", "Karim"],
            "du lundi 16 novembre au mercredi 18 novembre 2026 (3 jours)",
            3,
            "journée",
            "Camille Durand",
        )
    ]


def test_other_days_or_another_period_are_said_apart() -> None:
    found = [
        ("Julie", date(2026, 11, 16), DAY),
        ("Julie", date(2026, 11, 18), DAY),
        ("Karim", date(2026, 11, 16), DAY),
        ("Hugo", None, MORNING),
    ]
    assert noted_together(found) == [
        Noted(
            ["Julie"],
            "le lundi 16 novembre et le mercredi 18 novembre 2026 (2 jours)",
            2,
            "journée",
            "Camille Durand",
        ),
        Noted(["Karim"], "lundi 16 novembre 2026", 1, "journée", "Camille Durand"),
        Noted(["Hugo"], "", 0, "matin", "Camille Durand"),
    ]
