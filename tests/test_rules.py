"""The funders' rules against the seeds' own worked examples.

Every date asserted here is computed by hand from the seed it cites; the
tests name the seed so a failure points at the sentence it breaks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.rules import (
    RULES,
    RULES_BY_ID,
    SETTINGS,
    BilanFacts,
    Deadline,
    FollowUpFacts,
    FormationFacts,
    SessionFacts,
    SettingError,
    TraineeFacts,
    deadlines,
    disabled_rules,
    owed_bilans,
    rounding_setting,
)
from bot.rules.catalogue import rule_citation
from bot.rules.engine import validate_rules
from bot.rules.facts import FUNDERS
from bot.rules.french import spell_date
from bot.rules.model import Milestone, Offset, Rule, without_source
from bot.rules.settings import SETTINGS_BY_KEY, validate_settings

PARIS = ZoneInfo("Europe/Paris")
RULES_MD = Path(__file__).resolve().parents[1] / "docs" / "RULES.md"

RULE_IDS = {
    "NOR-PREP",
    "NOR-GUIDES",
    "NOR-DOCS",
    "NOR-VISIO",
    "NOR-VISIO-LINK",
    "NOR-DELEGATES",
    "NOR-PROOF",
    "CVL-BQ-END",
    "CVL-BQ-MID",
    "CVL-TABLE",
    "CVL-EOS",
    "REC-CONTRACT",
    "REC-ACTIVITY",
    "ELY-SHORT",
    "ELY-LONG",
    "ELY-BILAN-COMP",
    "ELY-BILAN-DIFF",
    "ELY-VAE",
    "ELY-VAE-CANDIDATE",
}


# --------------------------------------------------------------------- builders


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=tz)


def bilan(
    id: int = 12,
    starts_at: datetime | None = None,
    hours: int = 2,
    remote: bool = True,
    kind: str = "fin",
    cancelled: bool = False,
    booked: datetime | None = None,
) -> BilanFacts:
    start = starts_at or at(2026, 11, 26, 14)
    return BilanFacts(
        id=id,
        kind="fin" if kind == "fin" else "etape",
        remote=remote,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        cancelled=cancelled,
        scheduled_at=booked or start - timedelta(days=10, hours=4),  # ten days before
    )


def normandie(*bilans: BilanFacts, chargee: str | None = "Mme X") -> FormationFacts:
    return FormationFacts(
        id=1,
        title="Agent de propreté",
        funder="normandie",
        start=date(2026, 9, 1),
        end=date(2026, 11, 27),
        chargee_de_mission=chargee,
        bilans=bilans or (bilan(),),
    )


def cvl(**changes: object) -> FormationFacts:
    base = FormationFacts(
        id=3,
        title="Cariste",
        funder="cvl",
        programme="parcours_metiers",
        action_type="projet_pro",
        start=date(2027, 1, 4),
        end=date(2027, 6, 15),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def rectorat(**changes: object) -> FormationFacts:
    base = FormationFacts(
        id=4,
        title="Enseigner avec le numérique",
        funder="rectorat",
        start=date(2027, 3, 1),
        end=date(2027, 5, 28),
        remote_coaching=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def followup(
    path: str,
    id: int = 5,
    opened_at: datetime | None = None,
    cause: str | None = None,
    entretien_at: datetime | None = None,
    entretien_held_at: datetime | None = None,
    sign_on: date | None = None,
) -> FollowUpFacts:
    return FollowUpFacts(
        id=id,
        trainee_id=8,
        path=path,
        opened_at=opened_at or at(2027, 2, 1, 9),
        cause=cause,
        entretien_at=entretien_at,
        entretien_held_at=entretien_held_at,
        sign_on=sign_on,
    )


def elycoop(*followups: FollowUpFacts, **changes: object) -> FormationFacts:
    base = FormationFacts(
        id=6,
        title="Comptabilité",
        funder="autre",
        start=date(2027, 1, 4),
        end=date(2027, 6, 30),
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), name="Léa Martin"),),
        followups=followups,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def elapsed(earlier: datetime, later: datetime) -> timedelta:
    """Real time between two instants (subtracting same-zone datetimes gives wall-clock time)."""
    return later.astimezone(UTC) - earlier.astimezone(UTC)


def by_key(found: list[Deadline]) -> dict[str, Deadline]:
    keys = [d.key for d in found]
    assert len(keys) == len(set(keys)), "deadline keys must be unique"
    return {d.key: d for d in found}


def of_rule(found: list[Deadline], rule_id: str) -> list[Deadline]:
    return [d for d in found if d.rule_id == rule_id]


def due(formation: FormationFacts, settings: dict[str, object] | None = None) -> dict[str, date]:
    return {d.key: d.due_on for d in deadlines(formation, settings or {}, PARIS)}


# ----------------------------------------------------------- Normandie (000)


def test_nor_docs_48_hours_before_the_bilan_with_the_seed_sentence() -> None:
    found = by_key(deadlines(normandie(), {}, PARIS))
    docs = found["NOR-DOCS:bilan:12"]
    assert docs.due_on == date(2026, 11, 24)
    assert docs.due_at == at(2026, 11, 24, 14)
    assert docs.due_at is not None and docs.due_at.utcoffset() == timedelta(hours=1)
    assert docs.explanation == (
        "Bilan pédagogique à envoyer à Mme X avant le mardi 24 novembre 2026 à 14 h 00 : "
        "la fiche exige « 48h avant maximum » ; l'organisme se donne 48 h avant le bilan (modifiable avec "
        "/reglages) (fiche procédure bilan à distance, Région Normandie, §I)."
    )
    assert docs.source == "fiche procédure bilan à distance, Région Normandie, §I"
    assert docs.rule_id == "NOR-DOCS"
    assert (docs.subject, docs.subject_id, docs.formation_id) == ("bilan", 12, 1)
    assert docs.audience == "formateur"
    assert docs.postponable is False  # the seed fixes "48h avant maximum"


def test_nor_docs_on_the_dst_weekend_of_october_2026() -> None:
    # Clocks go back on Sunday 25 October 2026 at 03:00; the deadline falls that morning
    # after the change, in CET (+01:00), exactly 48 h before.
    found = by_key(deadlines(normandie(bilan(starts_at=at(2026, 10, 27, 10))), {}, PARIS))
    docs = found["NOR-DOCS:bilan:12"]
    assert docs.due_on == date(2026, 10, 25)
    assert docs.due_at == at(2026, 10, 25, 10)
    assert docs.due_at is not None and docs.due_at.utcoffset() == timedelta(hours=1)
    assert elapsed(docs.due_at, at(2026, 10, 27, 10)) == timedelta(hours=48)
    assert "dimanche 25 octobre 2026 à 10 h 00" in docs.explanation


def test_nor_docs_straddling_the_autumn_change_keeps_the_wall_clock_hour() -> None:
    # Monday 26 Oct 10:00 CET -> Saturday 24 Oct 10:00 CEST: 49 h elapsed, the earlier reading.
    start = at(2026, 10, 26, 10)
    docs = by_key(deadlines(normandie(bilan(starts_at=start)), {}, PARIS))["NOR-DOCS:bilan:12"]
    assert docs.due_at == at(2026, 10, 24, 10)
    assert docs.due_at is not None and docs.due_at.utcoffset() == timedelta(hours=2)
    assert elapsed(docs.due_at, start) == timedelta(hours=49)


def test_nor_docs_straddling_the_spring_change_keeps_48_elapsed_hours() -> None:
    # Monday 30 Mar 2026 10:00 CEST: wall-clock 10:00 CET on Saturday would leave only 47 h,
    # so the elapsed reading (09:00 CET) wins: the deadline satisfies both readings.
    start = at(2026, 3, 30, 10)
    docs = by_key(deadlines(normandie(bilan(starts_at=start)), {}, PARIS))["NOR-DOCS:bilan:12"]
    assert docs.due_at == at(2026, 3, 28, 9)
    assert docs.due_at is not None and docs.due_at.utcoffset() == timedelta(hours=1)
    assert elapsed(docs.due_at, start) == timedelta(hours=48)


def test_an_hour_moved_by_the_spring_change_is_explained() -> None:
    """Explorer UB4: « 48 h avant » a Monday 14 h bilan across the spring change read « samedi
    … à 13 h 00 », unexplained; the autumn one keeps the bilan's hour and says nothing."""
    spring = by_key(deadlines(normandie(bilan(starts_at=at(2028, 3, 27, 14))), {}, PARIS))
    docs = spring["NOR-DOCS:bilan:12"]
    assert docs.due_at == at(2028, 3, 25, 13)
    assert (
        "avant le samedi 25 mars 2028 à 13 h 00 : la fiche exige « 48h avant maximum » ; "
        "l'organisme se donne 48 h avant le bilan (modifiable avec /reglages). 13 h 00 et non "
        "14 h 00 : le changement d'heure retire une heure ("
    ) in docs.explanation
    autumn = by_key(deadlines(normandie(bilan(starts_at=at(2026, 10, 26, 14))), {}, PARIS))
    assert autumn["NOR-DOCS:bilan:12"].due_at == at(2026, 10, 24, 14)
    assert "changement d'heure" not in autumn["NOR-DOCS:bilan:12"].explanation
    assert [key for key, d in spring.items() if "changement d'heure" in d.explanation] == [
        "NOR-DOCS:bilan:12"
    ]
    # Hours set by the organisation, no change in between: another hour by design, no word.
    fifty = deadlines(
        normandie(bilan(starts_at=at(2028, 5, 15, 14))), {"nor_docs_hours_before": 50}, PARIS
    )
    docs = by_key(fifty)["NOR-DOCS:bilan:12"]
    assert docs.due_at == at(2028, 5, 13, 12)
    assert "changement d'heure" not in docs.explanation


@pytest.mark.parametrize(
    ("booked", "starts", "prep"),
    [
        # Booked on Monday for Thursday: J-7 (the 10th) was gone, the Wednesday is left.
        (at(2026, 12, 14, 9), at(2026, 12, 17, 14), date(2026, 12, 16)),
        # Booked on the J-7 itself: that day stays.
        (at(2026, 12, 14, 9), at(2026, 12, 21, 14), date(2026, 12, 14)),
        # For a Monday, the Friday before it; for the same day, that day.
        (at(2026, 12, 15, 9), at(2026, 12, 21, 14), date(2026, 12, 18)),
        (at(2026, 12, 17, 8), at(2026, 12, 17, 14), date(2026, 12, 17)),
        # Christmas Eve booked for Monday 28: the day before Christmas, not Christmas.
        (at(2026, 12, 23, 9), at(2026, 12, 28, 14), date(2026, 12, 24)),
    ],
)
def test_a_target_before_the_bilan_is_never_before_its_booking(
    booked: datetime, starts: datetime, prep: date
) -> None:
    """Explorer EB1: a bilan booked three days ahead had its preparation and its guides
    « déjà dépassée » from the booking, while the fiche only says « en amont »; the visio
    link to give « plus tard » too, for which the fiche fixes no delay (explorer IC2)."""
    booking = replace(bilan(starts_at=starts, booked=booked), link_missing=True)
    found = by_key(deadlines(normandie(booking), {}, PARIS))
    for rule in ("NOR-PREP", "NOR-GUIDES", "NOR-VISIO-LINK"):
        late = found[f"{rule}:bilan:12"]
        assert late.due_on == prep
        said = "le bilan ayant été programmé moins de 7 jours à l'avance"
        assert (said in late.explanation) is (prep != (starts - timedelta(days=7)).date())
    assert found["NOR-DOCS:bilan:12"].due_at == starts - timedelta(hours=48)  # the seed's own


def test_bilan_stored_in_utc_is_reckoned_in_the_organisation_zone() -> None:
    utc_start = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 14:00 in Paris
    docs = by_key(deadlines(normandie(bilan(starts_at=utc_start)), {}, PARIS))["NOR-DOCS:bilan:12"]
    assert docs.due_at == at(2026, 11, 24, 14)
    assert docs.due_at is not None and docs.due_at.tzinfo == PARIS


def test_another_organisation_zone() -> None:
    martinique = ZoneInfo("America/Martinique")
    start = at(2026, 11, 26, 14, tz=martinique)
    found = by_key(deadlines(normandie(bilan(starts_at=start)), {}, martinique))
    assert found["NOR-DOCS:bilan:12"].due_at == at(2026, 11, 24, 14, tz=martinique)
    assert "mardi 24 novembre 2026 à 14 h 00" in found["NOR-DOCS:bilan:12"].explanation


def test_nor_reminders_before_the_bilan() -> None:
    dates = due(normandie())
    assert dates["NOR-PREP:bilan:12"] == date(2026, 11, 19)  # J-7
    assert dates["NOR-GUIDES:bilan:12"] == date(2026, 11, 19)
    # « At scheduling » (DOMAIN, fiche §I): the day the bilan was booked.
    assert dates["NOR-DELEGATES:bilan:12"] == date(2026, 11, 16)
    assert dates["NOR-VISIO:bilan:12"] == date(2026, 11, 16)


def test_a_bilan_not_booked_yet_owes_nothing_at_scheduling() -> None:
    """A preview (NOR-DOCS's warning before booking) has no booking day yet."""
    preview = BilanFacts(
        id=12,
        kind="fin",
        remote=True,
        starts_at=at(2026, 11, 26, 14),
        ends_at=at(2026, 11, 26, 16),
    )
    dates = due(normandie(preview))
    assert "NOR-VISIO:bilan:12" not in dates and "NOR-DELEGATES:bilan:12" not in dates
    assert dates["NOR-DOCS:bilan:12"] == date(2026, 11, 24)


def test_nor_proof_seven_days_after_the_end_of_the_bilan() -> None:
    dates = due(normandie())
    assert dates["NOR-PROOF:bilan:12"] == date(2026, 12, 3)


def test_nor_proof_counts_from_the_local_day_of_the_end() -> None:
    # Ends 23:30 UTC on 26 Nov = 00:30 on 27 Nov in Paris: the local day counts.
    late = BilanFacts(
        id=12,
        kind="fin",
        remote=True,
        starts_at=datetime(2026, 11, 26, 21, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 26, 23, 30, tzinfo=UTC),
    )
    assert due(normandie(late))["NOR-PROOF:bilan:12"] == date(2026, 12, 4)


def test_every_normandie_rule_has_one_deadline_per_remote_bilan() -> None:
    found = deadlines(
        normandie(bilan(id=12), bilan(id=13, starts_at=at(2027, 1, 14, 9))), {}, PARIS
    )
    rules = {d.rule_id for d in found}
    assert rules == {
        "NOR-PREP",
        "NOR-GUIDES",
        "NOR-DOCS",
        "NOR-VISIO",
        "NOR-DELEGATES",
        "NOR-PROOF",
    }
    assert len(found) == 12


def test_on_site_bilan_owes_only_its_feuille_d_emargement() -> None:
    """§III asks the proofs of a bilan held in the premises too; the rest is the remote procedure."""
    found = deadlines(normandie(bilan(remote=False)), {}, PARIS)
    assert [(d.rule_id, d.due_on) for d in found] == [("NOR-PROOF", date(2026, 12, 3))]
    assert "la copie de la feuille d'émargement si les participants étaient dans vos locaux" in (
        found[0].explanation
    )
    assert "La fiche ne fixe pas de délai : l'organisme s'est donné 7 jours après le bilan" in (
        found[0].explanation
    )


def test_cancelled_bilan_gives_nothing() -> None:
    found = deadlines(normandie(bilan(id=12, cancelled=True), bilan(id=13)), {}, PARIS)
    assert found
    assert all(d.subject_id == 13 for d in found)
    assert deadlines(normandie(bilan(cancelled=True)), {}, PARIS) == []


def test_keys_stay_stable_when_a_bilan_moves() -> None:
    before = by_key(deadlines(normandie(bilan(starts_at=at(2026, 11, 26, 14))), {}, PARIS))
    after = by_key(deadlines(normandie(bilan(starts_at=at(2026, 12, 10, 9))), {}, PARIS))
    assert before.keys() == after.keys()
    assert before["NOR-DOCS:bilan:12"].due_on != after["NOR-DOCS:bilan:12"].due_on
    assert after["NOR-DOCS:bilan:12"].due_at == at(2026, 12, 8, 9)


def test_unknown_chargee_is_named_by_role() -> None:
    docs = by_key(deadlines(normandie(chargee=None), {}, PARIS))["NOR-DOCS:bilan:12"]
    assert "à envoyer à la personne chargée de mission avant" in docs.explanation


def test_nor_explanations_name_the_bilan_in_full() -> None:
    prep = by_key(deadlines(normandie(), {}, PARIS))["NOR-PREP:bilan:12"]
    assert prep.explanation == (
        "Temps d'échange avec le groupe à organiser d'ici le jeudi 19 novembre 2026 pour "
        "préparer le bilan de fin de formation du jeudi 26 novembre 2026 à 14 h 00 : le "
        "remplissage d'un questionnaire d'évaluation ne suffit pas. La fiche ne fixe pas de "
        "délai : l'organisme s'est donné 7 jours avant le bilan (modifiable avec /reglages) "
        "(fiche procédure bilan à distance, Région Normandie, §I Avant le bilan)."
    )
    assert prep.postponable is True


def test_normandie_owes_one_bilan_de_fin() -> None:
    owed = owed_bilans(normandie())
    assert [(o.kind, o.suggested_on) for o in owed] == [("fin", date(2026, 11, 27))]
    # Its document named as /echeances names it; the « one, at the end » is formabot's
    # choice, not put in the fiche's mouth (explorer F).
    assert "(fiche procédure bilan à distance, Région Normandie) ;" in owed[0].reason
    assert owed[0].reason.endswith(
        "la fiche ne dit pas quand : formabot en prévoit un, en fin de formation."
    )
    extended = replace(normandie(), extended_end=date(2027, 1, 15))
    [later] = owed_bilans(extended)
    assert later.suggested_on == date(2027, 1, 15)
    # The « bon de commande » and its « bilan final » are 002's (explorer F F6).
    assert "bon de commande" not in later.reason and "bilan final" not in later.reason
    assert later.reason.endswith(
        "Un parcours prolongé reporte la fin de la formation au vendredi 15 janvier 2027 : "
        "formabot propose le bilan de fin après lui (la fin qui compte est la plus tardive)."
    )


def test_other_funders_owe_no_bilan() -> None:
    assert owed_bilans(rectorat()) == []
    assert owed_bilans(elycoop()) == []


# ----------------------------------------------------- Centre-Val de Loire (001, 002)


def test_cvl_bilan_qualitatif_one_month_after_the_end() -> None:
    found = by_key(deadlines(cvl(), {}, PARIS))
    end = found["CVL-BQ-END:formation:3"]
    assert end.due_on == date(2027, 7, 15)
    assert end.due_at is None
    assert end.postponable is False
    assert "au plus tard le jeudi 15 juillet 2027, 1 mois après la fin retenue" in end.explanation
    assert (
        "(001)" in end.source
        and "Parcours Métiers, Région Centre-Val de Loire (002), §2" in end.source
    )
    # Set to 0 (« 0 = le jour de la fin »): said so, not « 0 mois après ».
    same_day = by_key(deadlines(cvl(), {"cvl_bq_end_months": 0}, PARIS))["CVL-BQ-END:formation:3"]
    assert same_day.due_on == date(2027, 6, 15)
    assert "au plus tard le mardi 15 juin 2027, le jour de la fin retenue" in same_day.explanation
    assert "0 mois" not in same_day.explanation


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2027, 3, 31), date(2027, 4, 30)),
        (date(2027, 12, 15), date(2028, 1, 15)),
    ],
)
def test_cvl_month_is_a_calendar_month(end: date, expected: date) -> None:
    formation = cvl(start=date(2026, 10, 1), end=end)
    assert due(formation)["CVL-BQ-END:formation:3"] == expected


def test_extension_moves_the_final_bilan() -> None:
    formation = cvl(extended_end=date(2027, 9, 10))
    owed = owed_bilans(formation)
    assert [(o.kind, o.suggested_on, o.extended) for o in owed] == [
        ("fin", date(2027, 9, 10), True)
    ]
    assert "bon de commande supplémentaire" in owed[0].reason
    assert due(formation)["CVL-BQ-END:formation:3"] == date(2027, 10, 10)


def test_an_earlier_extended_end_changes_nothing() -> None:
    assert due(cvl(extended_end=date(2027, 5, 1)))["CVL-BQ-END:formation:3"] == date(2027, 7, 15)


def test_projet_pro_de_date_a_date_owes_only_a_fin() -> None:
    owed = owed_bilans(cvl())
    assert [o.kind for o in owed] == ["fin"]
    assert (
        "pièces pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002), §2"
        in owed[0].reason
    )
    assert of_rule(deadlines(cvl(), {}, PARIS), "CVL-BQ-MID") == []


def test_projet_pro_esp_owes_an_etape_and_a_fin() -> None:
    formation = cvl(mode="esp", start=date(2027, 1, 4), end=date(2027, 6, 30))
    owed = owed_bilans(formation)
    assert [o.kind for o in owed] == ["etape", "fin"]
    assert owed[0].suggested_on == date(2027, 4, 2)  # 177 days // 2 = 88 days after 4 Jan
    assert owed[1].suggested_on == date(2027, 6, 30)
    assert all("(002), §2" in o.reason for o in owed)
    assert "référent" in owed[0].reason
    dates = due(formation)
    assert dates["CVL-BQ-MID:formation:3"] == date(2027, 4, 2)
    assert dates["CVL-BQ-END:formation:3"] == date(2027, 7, 30)


def test_projet_pro_with_several_sessions_owes_an_etape_and_a_fin() -> None:
    sessions = (
        SessionFacts(start=date(2027, 1, 4), end=date(2027, 3, 5)),
        SessionFacts(start=date(2027, 4, 5), end=date(2027, 6, 15)),
    )
    assert [o.kind for o in owed_bilans(cvl(sessions=sessions))] == ["etape", "fin"]


def test_bilan_d_etape_date_follows_the_setting() -> None:
    formation = cvl(mode="esp", start=date(2027, 1, 1), end=date(2027, 5, 1))  # 120 days
    assert due(formation, {"cvl_bq_mid_percent": 25})["CVL-BQ-MID:formation:3"] == date(2027, 1, 31)
    mid = by_key(deadlines(formation, {}, PARIS))["CVL-BQ-MID:formation:3"]
    assert mid.due_on == date(2027, 3, 2)
    assert mid.postponable is True
    assert "à arrêter avec la personne référente territoriale" in mid.explanation


def test_bilan_d_etape_is_not_moved_by_an_extension() -> None:
    formation = cvl(mode="esp", start=date(2027, 1, 1), end=date(2027, 5, 1))
    extended = replace(formation, extended_end=date(2027, 9, 1))
    assert due(extended)["CVL-BQ-MID:formation:3"] == due(formation)["CVL-BQ-MID:formation:3"]
    assert due(extended)["CVL-BQ-END:formation:3"] == date(2027, 10, 1)


def three_sessions(with_ids: bool = False) -> tuple[SessionFacts, ...]:
    spans = [
        (date(2027, 1, 4), date(2027, 2, 26)),
        (date(2027, 3, 1), date(2027, 4, 30)),
        (date(2027, 5, 3), date(2027, 6, 15)),
    ]
    return tuple(
        SessionFacts(start=s, end=e, id=(20 + i) if with_ids else None)
        for i, (s, e) in enumerate(spans, start=1)
    )


def test_premiers_gestes_with_three_sessions_owes_three_fins() -> None:
    formation = cvl(action_type="premiers_gestes", sessions=three_sessions())
    owed = owed_bilans(formation)
    assert [(o.kind, o.session, o.suggested_on) for o in owed] == [
        ("fin", 1, date(2027, 2, 26)),
        ("fin", 2, date(2027, 4, 30)),
        ("fin", 3, date(2027, 6, 15)),
    ]
    assert all("à la fin de chaque session (pièces pédagogiques" in o.reason for o in owed)
    dates = due(formation)
    assert dates["CVL-BQ-END:formation:3:session:1"] == date(2027, 3, 26)
    assert dates["CVL-BQ-END:formation:3:session:2"] == date(2027, 5, 30)
    assert dates["CVL-BQ-END:formation:3:session:3"] == date(2027, 7, 15)
    assert "CVL-BQ-END:formation:3" not in dates


def test_extension_moves_only_the_last_session_fin() -> None:
    formation = cvl(
        action_type="premiers_gestes", sessions=three_sessions(), extended_end=date(2027, 7, 2)
    )
    dates = due(formation)
    assert dates["CVL-BQ-END:formation:3:session:2"] == date(2027, 5, 30)
    assert dates["CVL-BQ-END:formation:3:session:3"] == date(2027, 8, 2)


def test_session_keys_use_session_ids_and_survive_a_reordering() -> None:
    sessions = three_sessions(with_ids=True)
    formation = cvl(action_type="premiers_gestes", sessions=sessions)
    shuffled = cvl(action_type="premiers_gestes", sessions=tuple(reversed(sessions)))
    assert due(formation) == due(shuffled)
    assert "CVL-BQ-END:formation:3:session:21" in due(formation)
    texts = [d.explanation for d in of_rule(deadlines(shuffled, {}, PARIS), "CVL-BQ-END")]
    assert texts[0].startswith(
        "Bilan qualitatif de fin, pour la session 1 (du lundi 4 janvier 2027"
    )


def test_premiers_gestes_de_date_a_date_owes_one_fin() -> None:
    assert [o.kind for o in owed_bilans(cvl(action_type="premiers_gestes"))] == ["fin"]


def test_premiers_gestes_esp_falls_back_on_the_general_rule_of_001() -> None:
    owed = owed_bilans(cvl(action_type="premiers_gestes", mode="esp"))
    assert [o.kind for o in owed] == ["etape", "fin"]
    assert "les pièces pédagogiques exigées ne prévoient pas ce cas" in owed[0].reason
    assert "bilan collectif de formation, Région Centre-Val de Loire (001)" in owed[0].reason


def test_metiers_with_two_composantes_owes_two_fins() -> None:
    sessions = (
        SessionFacts(start=date(2027, 1, 4), end=date(2027, 3, 26), composante="Cariste"),
        SessionFacts(start=date(2027, 4, 5), end=date(2027, 6, 15), composante="Magasinier"),
    )
    formation = cvl(action_type="metiers", sessions=sessions)
    owed = owed_bilans(formation)
    assert [(o.kind, o.composante, o.suggested_on) for o in owed] == [
        ("fin", "Cariste", date(2027, 3, 26)),
        ("fin", "Magasinier", date(2027, 6, 15)),
    ]
    assert all(
        "un bilan de fin de formation par composante (pièces pédagogiques" in o.reason for o in owed
    )
    dates = due(formation)
    assert dates["CVL-BQ-END:formation:3:composante:cariste"] == date(2027, 4, 26)
    assert dates["CVL-BQ-END:formation:3:composante:magasinier"] == date(2027, 7, 15)


def test_metiers_composante_with_several_sessions_adds_an_etape() -> None:
    sessions = (
        SessionFacts(start=date(2027, 1, 4), end=date(2027, 2, 26), composante="Préparateur"),
        SessionFacts(start=date(2027, 3, 1), end=date(2027, 4, 30), composante="Préparateur"),
        SessionFacts(start=date(2027, 5, 3), end=date(2027, 6, 15), composante="Cariste"),
    )
    owed = owed_bilans(cvl(action_type="metiers", sessions=sessions))
    kinds = sorted((o.composante or "", o.kind) for o in owed)
    assert kinds == [("Cariste", "fin"), ("Préparateur", "etape"), ("Préparateur", "fin")]
    keys = due(cvl(action_type="metiers", sessions=sessions))
    assert "CVL-BQ-MID:formation:3:composante:preparateur" in keys


def test_metiers_several_sessions_in_one_composante_owes_etape_and_fin() -> None:
    sessions = (
        SessionFacts(start=date(2027, 1, 4), end=date(2027, 2, 26)),
        SessionFacts(start=date(2027, 3, 1), end=date(2027, 6, 15)),
    )
    owed = owed_bilans(cvl(action_type="metiers", sessions=sessions))
    assert [o.kind for o in owed] == ["etape", "fin"]
    assert [o.kind for o in owed_bilans(cvl(action_type="metiers"))] == ["fin"]


def test_creer_entreprise() -> None:
    esp = owed_bilans(cvl(action_type="creer_entreprise", mode="esp"))
    assert [o.kind for o in esp] == ["etape", "fin"]
    assert "(002), §2" in esp[0].reason
    dated = owed_bilans(cvl(action_type="creer_entreprise"))
    assert [o.kind for o in dated] == ["fin"]
    assert "001" in dated[0].reason  # 002 is silent on de date à date: the PRF's general rule


def test_programme_without_action_type_follows_001() -> None:
    visa = cvl(programme="visa", action_type=None)
    assert [o.kind for o in owed_bilans(visa)] == ["fin"]
    esp = owed_bilans(replace(visa, mode="esp"))
    assert [o.kind for o in esp] == ["etape", "fin"]
    assert "mi-session" in esp[0].reason and "001" in esp[0].reason
    several = owed_bilans(replace(visa, sessions=three_sessions()))
    assert [(o.kind, o.session) for o in several] == [("fin", 1), ("fin", 2), ("fin", 3)]


def test_a_visa_deadline_cites_001_only() -> None:
    """002 is addressed to Parcours Métiers: a Visa's bilans never cite it; Parcours Métiers' do."""
    for programme, cites_002 in (("visa", False), ("parcours_metiers", True)):
        found = deadlines(replace(cvl(programme=programme), mode="esp"), {}, PARIS)
        bilans = [d for d in found if d.rule_id in ("CVL-BQ-END", "CVL-BQ-MID")]
        assert {d.rule_id for d in bilans} == {"CVL-BQ-END", "CVL-BQ-MID"}, programme
        for deadline in bilans:
            assert ("002" in deadline.source) is cites_002, (programme, deadline.source)
            assert ("Parcours Métiers" in deadline.explanation) is cites_002, programme
            assert "001" in deadline.source and "(001)" in deadline.explanation


PRUDENCE = (
    "Le texte de la Région (001) couvre les programmes du PRF (Parcours Métiers, Visa, Visa+ "
    "Parcours vers l'Emploi, Alpha FLE/FLI Ran) : appliqué ici par prudence à un programme hors "
    "de cette liste"
)


def test_another_programme_keeps_the_prf_s_deadlines_by_prudence_and_says_so() -> None:
    """Explorer UB3: « Autre programme » got 001's bilans and EOS entries cited as 001's own,
    though 001 lists the PRF's programmes; kept by prudence, each says so, 002 never cited."""
    other = cvl(
        programme="autre",
        action_type=None,
        mode="esp",
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), name="Léa Martin"),),
    )
    found = deadlines(other, {}, PARIS)
    assert {d.rule_id for d in found} == {"CVL-BQ-END", "CVL-BQ-MID", "CVL-EOS"}
    for deadline in found:
        assert "002" not in deadline.source and "(001)" in deadline.source
        assert f". {PRUDENCE} ({deadline.source})." in deadline.explanation, deadline.explanation
    [entry] = [d for d in found if d.key.startswith("CVL-EOS-ENTRY")]
    assert entry.explanation == (
        "Données de Léa Martin à compléter dans EOS à son entrée en formation, le lundi 4 "
        f"janvier 2027. {PRUDENCE} (bilan collectif de formation, Région Centre-Val de Loire "
        "(001), « Données quantitatives »)."
    )
    owed = owed_bilans(other)
    assert [o.kind for o in owed] == ["etape", "fin"]
    assert all(o.reason.endswith(f"{PRUDENCE}.") for o in owed), owed[1].reason
    for programme in ("visa", "parcours_metiers", None):
        known = replace(other, programme=programme)
        assert not any("prudence" in d.explanation for d in deadlines(known, {}, PARIS))
        assert not any("prudence" in o.reason for o in owed_bilans(known))


def test_a_visa_s_owed_bilans_ignore_an_action_type() -> None:
    """Explorer F: a Visa given « premiers gestes » (asked then) owed its bilans by 002's
    table and /bilan cited « Parcours Métiers (002) »; a Visa follows 001 alone."""
    visa = replace(cvl(programme="visa", action_type="premiers_gestes"), sessions=three_sessions())
    owed = owed_bilans(visa)
    assert [(o.kind, o.session) for o in owed] == [("fin", 1), ("fin", 2), ("fin", 3)]
    assert all("(001)" in o.reason and "002" not in o.reason for o in owed)
    pm = owed_bilans(replace(visa, programme="parcours_metiers"))
    assert all("(002)" in o.reason for o in pm)


def test_cvl_table_is_off_for_parcours_metiers_with_the_reason() -> None:
    formation = cvl(trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4)),))
    assert of_rule(deadlines(formation, {}, PARIS), "CVL-TABLE") == []
    off = disabled_rules(formation, {})
    assert [rule.id for rule, _ in off] == ["CVL-TABLE"]
    reason = off[0][1]
    assert "002" in reason and "001" in reason and "PRF 2021-2024" in reason
    assert "le texte le plus récent l'emporte" in reason
    assert "réactiver" in reason


def test_cvl_table_on_when_switched_on_one_table_per_session_ten_days_after_its_entry() -> None:
    """002 §1: the table "pour chaque session de formation", 10 days after the entry."""
    formation = cvl(
        sessions=three_sessions(with_ids=True),
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), name="Jean Dupont"),),
    )
    settings: dict[str, object] = {"cvl_table_parcours_metiers": True}
    found = by_key(of_rule(deadlines(formation, settings, PARIS), "CVL-TABLE"))
    assert {key: d.due_on for key, d in found.items()} == {
        "CVL-TABLE:formation:3:session:21": date(2027, 1, 14),
        "CVL-TABLE:formation:3:session:22": date(2027, 3, 11),
        "CVL-TABLE:formation:3:session:23": date(2027, 5, 13),
    }
    assert found["CVL-TABLE:formation:3:session:22"].detail == (
        "la session 2 (du lundi 1er mars 2027 au vendredi 30 avril 2027)"
    )
    second = found["CVL-TABLE:formation:3:session:22"].explanation
    assert "de la session 2 (du lundi 1er mars 2027 au vendredi 30 avril 2027)" in second
    assert "10 jours après l'entrée en formation (le lundi 1er mars 2027)" in second
    assert "Jean Dupont" not in second  # a table per session, not per trainee
    assert disabled_rules(formation, settings) == []
    shorter = due(formation, {**settings, "cvl_table_days_after_entry": 5})
    assert shorter["CVL-TABLE:formation:3:session:21"] == date(2027, 1, 9)


def test_cvl_table_of_a_formation_without_sessions_is_one_table() -> None:
    found = of_rule(deadlines(cvl(), {"cvl_table_parcours_metiers": True}, PARIS), "CVL-TABLE")
    assert [(d.key, d.due_on) for d in found] == [("CVL-TABLE:formation:3", date(2027, 1, 14))]
    assert "de la formation « Cariste »" in found[0].explanation


def test_cvl_table_concerns_only_parcours_metiers() -> None:
    visa = cvl(programme="visa", trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4)),))
    assert of_rule(deadlines(visa, {"cvl_table_parcours_metiers": True}, PARIS), "CVL-TABLE") == []
    assert disabled_rules(visa, {}) == []


def test_an_eos_entry_or_exit_on_a_day_off_is_the_working_day_after_never_before() -> None:
    """Explorer T T2: « à faire plutôt » put Nora Ali's EOS entry on the Friday before her
    entry on Easter Monday: data of someone who had not entered yet."""
    formation = cvl(
        trainees=(
            TraineeFacts(id=8, entered_on=date(2027, 3, 29)),  # Easter Monday
            TraineeFacts(id=9, entered_on=date(2027, 1, 9), left_on=date(2027, 5, 8)),  # Saturdays
        ),
    )
    found = by_key(deadlines(formation, {}, PARIS))
    nora = found["CVL-EOS-ENTRY:trainee:8"]
    assert nora.due_on == date(2027, 3, 30)
    # The day said once, the entry's own day after it (explorer UB5: « à son entrée en
    # formation, le lundi 4 janvier 2027. Son entrée tombe le samedi 2 janvier 2027, un samedi »).
    assert nora.explanation.startswith(
        "Données de la personne en formation n° 8 à compléter dans EOS le mardi 30 mars 2027 : "
        "son entrée en formation tombe un jour férié (lundi de Pâques, le 29 mars), à saisir "
        "le jour ouvré suivant ("
    )
    saturday = found["CVL-EOS-ENTRY:trainee:9"]
    assert saturday.due_on == date(2027, 1, 11)
    assert saturday.explanation.startswith(
        "Données de la personne en formation n° 9 à compléter dans EOS le lundi 11 janvier "
        "2027 : son entrée en formation tombe un samedi (le 9 janvier), à saisir le jour ouvré "
        "suivant ("
    )
    exit = found["CVL-EOS-EXIT:trainee:9"]
    assert exit.due_on == date(2027, 5, 10)  # 8 May, Saturday
    assert exit.explanation.startswith(
        "Données de la personne en formation n° 9 à compléter dans EOS le lundi 10 mai 2027 : "
        "sa sortie de formation tombe un samedi (le 8 mai), à saisir le jour ouvré suivant ("
    )
    new_year = by_key(
        deadlines(cvl(trainees=(TraineeFacts(id=8, entered_on=date(2028, 12, 31)),)), {}, PARIS)
    )["CVL-EOS-ENTRY:trainee:8"]  # a Sunday, then New Year's Day: its year said
    assert (
        "le mardi 2 janvier 2029 : son entrée en formation tombe un dimanche (le 31 décembre "
        "2028), à saisir"
    ) in new_year.explanation


def test_cvl_eos_at_entry_and_at_exit() -> None:
    formation = cvl(
        extended_end=date(2027, 7, 2),
        trainees=(
            TraineeFacts(id=8, entered_on=date(2027, 1, 4), left_on=date(2027, 3, 1)),
            TraineeFacts(id=9, entered_on=date(2027, 2, 1)),
            TraineeFacts(id=10),
        ),
    )
    dates = due(formation)
    assert dates["CVL-EOS-ENTRY:trainee:8"] == date(2027, 1, 4)
    assert dates["CVL-EOS-EXIT:trainee:8"] == date(2027, 3, 1)
    assert dates["CVL-EOS-ENTRY:trainee:9"] == date(2027, 2, 1)
    assert dates["CVL-EOS-EXIT:trainee:9"] == date(2027, 7, 2)  # still in: leaves at the end
    assert not any(key.endswith(":trainee:10") for key in dates)
    eos = by_key(deadlines(formation, {}, PARIS))["CVL-EOS-EXIT:trainee:8"]
    assert "jour ouvré" not in eos.explanation  # a working day: as it is
    assert eos.rule_id == "CVL-EOS"
    assert eos.source == (
        "bilan collectif de formation, Région Centre-Val de Loire (001), « Données quantitatives »"
    )


def test_one_trainee_extended_moves_their_exit_and_the_final_bilan_only() -> None:
    """002 « ATTENTION »: the final bilan once every path has ended; others leave on time."""
    formation = cvl(
        trainees=(
            TraineeFacts(id=8, entered_on=date(2027, 1, 4), path_end=date(2027, 7, 30)),
            TraineeFacts(id=9, entered_on=date(2027, 1, 4)),
            TraineeFacts(id=10, entered_on=date(2027, 1, 4), left_on=date(2027, 2, 12)),
        ),
    )
    dates = due(formation)
    assert dates["CVL-EOS-EXIT:trainee:8"] == date(2027, 7, 30)
    assert dates["CVL-EOS-EXIT:trainee:9"] == date(2027, 6, 15)
    assert dates["CVL-EOS-EXIT:trainee:10"] == date(2027, 2, 12)
    assert formation.effective_end == date(2027, 7, 30)
    assert dates["CVL-BQ-END:formation:3"] == date(2027, 8, 30)
    fin = owed_bilans(formation)[-1]
    assert fin.extended and "bon de commande supplémentaire" in fin.reason


def premiers_gestes_cuisine(*trainees: TraineeFacts) -> FormationFacts:
    """IC5's formation: « premiers gestes », 1 March → 30 June 2027, session 1 from 1 to 31
    March (id 31), session 2 from 3 May to 30 June (id 32)."""
    return cvl(
        action_type="premiers_gestes",
        start=date(2027, 3, 1),
        end=date(2027, 6, 30),
        sessions=(
            SessionFacts(start=date(2027, 3, 1), end=date(2027, 3, 31), id=31, label="Session 1"),
            SessionFacts(start=date(2027, 5, 3), end=date(2027, 6, 30), id=32, label="Session 2"),
        ),
        trainees=trainees,
    )


def test_a_trainee_of_session_1_leaves_with_it_and_its_extension_moves_its_final_bilan() -> None:
    """Explorer IC5 (001 « Données quantitatives », 002 §2 and « ATTENTION »): Karim Benali
    enters session 1 on Mon 1 March 2027; his EOS exit is Wed 31 March (session 2, 3 May–30
    June, is another group), not Wed 30 June.  A bon de commande supplémentaire to Tue 20
    April moves his exit and session 1's final bilan to a month after it, Thu 20 May;
    session 2's stays Fri 30 July.  A trainee of session 2 and one of no session (a row
    from before) leave at the formation's end, as before."""
    karim = TraineeFacts(id=8, entered_on=date(2027, 3, 1), name="Karim Benali", session_id=31)
    others = (
        TraineeFacts(id=9, entered_on=date(2027, 5, 3), session_id=32),
        TraineeFacts(id=10, entered_on=date(2027, 3, 1)),
    )
    dates = due(premiers_gestes_cuisine(karim, *others))
    assert dates["CVL-EOS-ENTRY:trainee:8"] == date(2027, 3, 1)
    assert dates["CVL-EOS-EXIT:trainee:8"] == date(2027, 3, 31)
    assert dates["CVL-EOS-EXIT:trainee:9"] == date(2027, 6, 30)
    assert dates["CVL-EOS-EXIT:trainee:10"] == date(2027, 6, 30)
    assert dates["CVL-BQ-END:formation:3:session:31"] == date(2027, 4, 30)
    assert dates["CVL-BQ-END:formation:3:session:32"] == date(2027, 7, 30)

    extended = premiers_gestes_cuisine(replace(karim, path_end=date(2027, 4, 20)), *others)
    found = by_key(deadlines(extended, {}, PARIS))
    assert found["CVL-EOS-EXIT:trainee:8"].due_on == date(2027, 4, 20)
    fin = found["CVL-BQ-END:formation:3:session:31"]
    assert fin.due_on == date(2027, 5, 20)
    assert "au plus tard le jeudi 20 mai 2027, 1 mois après la fin retenue (le mardi 20 avril" in (
        fin.explanation
    )
    reason = next(o.reason for o in owed_bilans(extended) if o.session_key == 31)
    assert "Un bon de commande supplémentaire reporte la fin retenue au mardi 20 avril" in reason
    assert found["CVL-BQ-END:formation:3:session:32"].due_on == date(2027, 7, 30)


def test_the_sessions_of_composantes_are_not_groups_of_their_own() -> None:
    """Explorer IC5: every trainee of « se former au(x) métier(s) » follows each composante
    in turn; a session given there does not end their path."""
    formation = cvl(
        action_type="metiers",
        sessions=(
            SessionFacts(start=date(2027, 1, 4), end=date(2027, 2, 26), id=1, composante="A"),
            SessionFacts(start=date(2027, 3, 1), end=date(2027, 6, 15), id=2, composante="B"),
        ),
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), session_id=1),),
    )
    assert due(formation)["CVL-EOS-EXIT:trainee:8"] == date(2027, 6, 15)


@pytest.mark.parametrize(
    ("action_type", "composante", "programme"),
    [
        ("projet_pro", None, "parcours_metiers"),
        ("creer_entreprise", None, "parcours_metiers"),
        ("metiers", None, "parcours_metiers"),
        ("metiers", "Cuisine", "parcours_metiers"),
        ("premiers_gestes", None, "visa"),
    ],
)
def test_only_premiers_gestes_sessions_end_a_trainee_s_path(
    action_type: str, composante: str | None, programme: str
) -> None:
    """Explorer MA1 (002 §2): « Élaboration de projet professionnel », « Se préparer à créer
    ou reprendre une entreprise » and « Se former au(x) métier(s) de » in one composante (or
    none) in sessions 1–31 March and 3 May–30 June 2027 owe « étape + fin »: one path
    through both, so Karim Benali, even with a session recorded, leaves EOS Wed 30 June
    (IC5 made it Wed 31 March), as at 99ca96f; a Visa has none of 002's action types."""
    sessions = tuple(replace(s, composante=composante) for s in premiers_gestes_cuisine().sessions)
    karim = TraineeFacts(id=8, entered_on=date(2027, 3, 1), session_id=31)
    formation = replace(
        premiers_gestes_cuisine(karim),
        action_type=action_type,
        programme=programme,
        sessions=sessions,
    )
    assert not formation.sessions_are_groups
    assert due(formation)["CVL-EOS-EXIT:trainee:8"] == date(2027, 6, 30)
    assert due(replace(formation, action_type="premiers_gestes", programme="parcours_metiers"))[
        "CVL-EOS-EXIT:trainee:8"
    ] == date(2027, 3, 31)


def test_an_early_exit_does_not_bring_the_final_bilan_forward() -> None:
    formation = cvl(
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), left_on=date(2027, 2, 12)),)
    )
    assert formation.effective_end == date(2027, 6, 15)
    assert due(formation)["CVL-BQ-END:formation:3"] == date(2027, 7, 15)


def test_cvl_rules_do_not_touch_other_funders() -> None:
    trainees = (TraineeFacts(id=8, entered_on=date(2027, 1, 4)),)
    found = deadlines(normandie(), {"cvl_table_parcours_metiers": True}, PARIS)
    assert not any(d.rule_id.startswith("CVL") for d in found)
    assert deadlines(rectorat(trainees=trainees, remote_coaching=False), {}, PARIS) == []


# ------------------------------------------------------------------ Rectorat (004)


def test_rec_contract_falls_before_the_start() -> None:
    contract = by_key(deadlines(rectorat(), {}, PARIS))["REC-CONTRACT:formation:4"]
    assert contract.due_on == date(2027, 2, 28)  # the eve of Monday 1 March
    assert contract.due_on < rectorat().start
    assert contract.postponable is False
    assert "sans contrat préalable, pas de rémunération" in contract.explanation
    assert due(rectorat(), {"rec_contract_days_before": 5})["REC-CONTRACT:formation:4"] == date(
        2027, 2, 24
    )


def test_rec_activity_fifteen_days_after_the_end() -> None:
    assert due(rectorat())["REC-ACTIVITY:formation:4"] == date(2027, 6, 12)
    activity = by_key(deadlines(rectorat(), {}, PARIS))["REC-ACTIVITY:formation:4"]
    # 004 §3 says only "après la formation": the 15 days are the organisation's, and said so.
    assert "au plus tard" not in activity.explanation
    assert (
        "Le texte ne fixe pas de délai : l'organisme s'est donné 15 jours après la fin, soit le "
        "samedi 12 juin 2027 (modifiable avec /reglages)" in activity.explanation
    )
    assert due(rectorat(), {"rec_activity_days_after": 30})["REC-ACTIVITY:formation:4"] == date(
        2027, 6, 27
    )
    extended = rectorat(extended_end=date(2027, 6, 18))
    assert due(extended)["REC-ACTIVITY:formation:4"] == date(2027, 7, 3)


def test_rec_activity_on_a_day_off_is_never_before_the_end() -> None:
    """Explorer CD4: the organisation's delay after the end (« après la formation », no « au
    plus tard ») on a Saturday was « à faire plutôt le vendredi », before a Saturday end: as
    every delay the organisation chose after an event, the working day after it then; the
    Friday still after the end stays (« à faire plutôt le vendredi »)."""
    saturday = rectorat(end=date(2027, 6, 5))
    found = deadlines(saturday, {"rec_activity_days_after": 0}, PARIS)
    moved = by_key(found)["REC-ACTIVITY:formation:4"]
    assert moved.due_on == date(2027, 6, 7)  # the Monday
    assert (
        "Ce délai, que l'organisme s'est donné, tombait le samedi 5 juin 2027, un samedi : "
        "c'est le jour ouvré suivant" in moved.explanation
    )
    assert due(rectorat())["REC-ACTIVITY:formation:4"] == date(2027, 6, 12)  # a Saturday


def test_rectorat_without_remote_coaching_owes_nothing() -> None:
    assert deadlines(rectorat(remote_coaching=False), {}, PARIS) == []
    assert disabled_rules(rectorat(remote_coaching=False), {}) == []


def test_rec_contract_cannot_be_set_on_the_start_day() -> None:
    with pytest.raises(SettingError):
        deadlines(rectorat(), {"rec_contract_days_before": 0}, PARIS)


# ------------------------------------------------------------------- Elycoop (003)


def test_ely_short_contact_and_ticket() -> None:
    """The contact follows the absence (Thursday 28 January), not the follow-up's opening
    (Monday 1 February): logged late, it is due already; the ticket follows the opening."""
    found = by_key(deadlines(elycoop(followup("short", sign_on=date(2027, 1, 28))), {}, PARIS))
    assert set(found) == {"ELY-SHORT-CONTACT:followup:5", "ELY-SHORT-TICKET:followup:5"}
    contact = found["ELY-SHORT-CONTACT:followup:5"]
    assert contact.due_on == date(2027, 1, 29)
    assert contact.rule_id == "ELY-SHORT"
    assert (contact.subject, contact.subject_id) == ("followup", 5)
    assert contact.explanation == (
        "Prendre contact avec Léa Martin et son entreprise au plus tard le vendredi 29 janvier "
        "2027, à la suite de l'absence ou de la rupture (le jeudi 28 janvier 2027). La procédure "
        "ne fixe pas de délai : l'organisme s'est donné 1 jour après l'absence (modifiable avec "
        "/reglages) (procédure Elycoop, prévention des ruptures de parcours, §2 Formations "
        "courtes)."
    )
    assert contact.source == (
        "procédure Elycoop, prévention des ruptures de parcours, §2 Formations courtes"
    )
    assert found["ELY-SHORT-TICKET:followup:5"].due_on == date(2027, 2, 15)


def test_an_elycoop_delay_set_to_0_is_said_the_same_day() -> None:
    """Explorer CD8: the organisation's delays counted from no event named in the sentence
    (the ticket qualité, a compte rendu, a livret…) set to 0 in /reglages read « l'organisme
    s'est donné 0 jour »; now « le jour même », as « 0 mois après » became « le jour de »."""
    found = by_key(
        deadlines(elycoop(followup("short", sign_on=date(2027, 1, 28))), {"ely_ticket_days": 0})
    )
    ticket = found["ELY-SHORT-TICKET:followup:5"]
    assert ticket.due_on == date(2027, 2, 1)
    assert "0 jour" not in ticket.explanation
    assert (
        "La procédure ne fixe pas de délai : l'organisme le demande le jour même (modifiable "
        "avec /reglages)" in ticket.explanation
    )
    contact = by_key(
        deadlines(
            elycoop(followup("short", sign_on=date(2027, 1, 28))), {"ely_short_contact_days": 0}
        )
    )["ELY-SHORT-CONTACT:followup:5"]
    assert "l'organisme s'est donné le jour de l'absence" in contact.explanation


def test_a_follow_up_without_a_sign_day_counts_from_its_opening() -> None:
    """Follow-ups opened before the day of the sign was asked keep their deadlines."""
    assert due(elycoop(followup("short")))["ELY-SHORT-CONTACT:followup:5"] == date(2027, 2, 2)
    legacy = by_key(deadlines(elycoop(followup("long")), {}, PARIS))
    entretien = legacy["ELY-LONG-ENTRETIEN:followup:5"]
    assert entretien.due_on == date(2027, 2, 8)
    assert "(premier signe : le lundi 1er février 2027)" in entretien.explanation


@pytest.mark.parametrize(
    ("sign", "opened", "changes", "expected", "capped"),
    [
        # A sign on the last day (Friday 15 January): the entretien that day, not the 22nd.
        (date(2027, 1, 15), at(2027, 1, 15, 16), {}, date(2027, 1, 15), True),
        # Three days before the end: the end, not a week after the sign.
        (date(2027, 1, 12), at(2027, 1, 12, 9), {}, date(2027, 1, 15), True),
        # A week before the end: the organisation's 7 days fit within the formation.
        (date(2027, 1, 8), at(2027, 1, 8, 9), {}, date(2027, 1, 15), False),
        # Opened once the formation is over: the organisation's 7 days from the sign.
        (date(2027, 1, 14), at(2027, 1, 18, 9), {}, date(2027, 1, 21), False),
        # The trainee's own extension is the end of their path.
        (
            date(2027, 1, 15),
            at(2027, 1, 15, 9),
            {"path_end": date(2027, 1, 19)},
            date(2027, 1, 19),
            True,
        ),
        # An abandon recorded is not the end of the formation.
        (
            date(2027, 1, 11),
            at(2027, 1, 11, 9),
            {"left_on": date(2027, 1, 11)},
            date(2027, 1, 15),
            True,
        ),
    ],
)
def test_a_long_formation_s_entretien_is_due_by_its_end(
    sign: date, opened: datetime, changes: dict[str, date], expected: date, capped: bool
) -> None:
    """Explorer IC3: a sign on the last day of a long formation gave an entretien due a week
    after the end; the procedure places it « tout au long de la formation »."""
    trainee = replace(TraineeFacts(id=8, entered_on=date(2027, 1, 4), name="Léa Martin"), **changes)
    formation = elycoop(
        followup("long", sign_on=sign, opened_at=opened),
        start=date(2027, 1, 4),
        end=date(2027, 1, 15),
        trainees=(trainee,),
    )
    entretien = by_key(deadlines(formation, {}, PARIS))["ELY-LONG-ENTRETIEN:followup:5"]
    assert entretien.due_on == expected
    said = f"qui finit le {spell_date(expected)}, c'est au plus tard ce jour-là"
    assert (said in entretien.explanation) is capped


def test_ely_long_entretien_compte_rendu_and_ticket() -> None:
    opened = elycoop(followup("long", sign_on=date(2027, 1, 26)))
    dates = due(opened)
    assert dates == {
        "ELY-LONG-ENTRETIEN:followup:5": date(2027, 2, 2),
        "ELY-LONG-TICKET:followup:5": date(2027, 2, 15),
    }  # no compte rendu before an entretien is planned
    entretien = by_key(deadlines(opened, {}, PARIS))["ELY-LONG-ENTRETIEN:followup:5"]
    assert (
        "« dès qu'un signe de décrochage apparaît » (premier signe : le mardi 26 janvier 2027) : "
        "l'organisme s'est donné 7 jours après ce signe (modifiable avec /reglages)"
    ) in entretien.explanation
    planned = elycoop(followup("long", entretien_at=at(2027, 2, 5, 10)))
    assert due(planned)["ELY-LONG-COMPTE-RENDU:followup:5"] == date(2027, 2, 8)
    held = elycoop(
        followup("long", entretien_at=at(2027, 2, 5, 10), entretien_held_at=at(2027, 2, 9, 16))
    )
    report = by_key(deadlines(held, {}, PARIS))["ELY-LONG-COMPTE-RENDU:followup:5"]
    assert report.due_on == date(2027, 2, 12)
    assert "Compte rendu de l'entretien du mardi 9 février 2027 à 16 h 00" in report.explanation
    assert "livret de suivi" in report.explanation


def test_a_rupture_added_later_counts_the_short_contact_from_its_day() -> None:
    """Explorer T T4: a follow-up opened on « manque de réactivité » (16 January), then an
    abandon on 3 February: the contact was dated from the 16th, overdue the moment it came."""
    later = replace(
        followup("short", sign_on=date(2027, 1, 18)),
        signs=frozenset({"manque_reactivite", "abandon"}),
        rupture_at=at(2027, 2, 4, 17),
    )
    found = by_key(deadlines(elycoop(later), {}, PARIS))["ELY-SHORT-CONTACT:followup:5"]
    assert found.due_on == date(2027, 2, 5)  # the day it was said, + 1
    left = elycoop(
        later, trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), left_on=date(2027, 2, 3)),)
    )
    contact = by_key(deadlines(left, {}, PARIS))["ELY-SHORT-CONTACT:followup:5"]
    assert contact.due_on == date(2027, 2, 4)  # the exit's day, + 1
    assert "à la suite de l'absence ou de la rupture (le mercredi 3 février 2027)" in (
        contact.explanation
    )
    opened_on_it = followup("short", sign_on=date(2027, 1, 18))
    assert due(elycoop(opened_on_it))["ELY-SHORT-CONTACT:followup:5"] == date(2027, 1, 19)


def test_a_rupture_said_just_after_midnight_counts_from_the_organisation_s_day() -> None:
    """Explorer KB3: an abandon added at 0 h 30 in Paris on Tuesday 2 March (23 h 30 UTC on
    Monday) dated the contact from « le lundi 1er mars 2027 », the UTC day, due the Tuesday."""
    night = replace(
        followup("short", sign_on=date(2027, 2, 22)),
        signs=frozenset({"manque_reactivite", "abandon"}),
        rupture_at=datetime(2027, 3, 1, 23, 30, tzinfo=UTC),
    )
    contact = by_key(deadlines(elycoop(night), {}, PARIS))["ELY-SHORT-CONTACT:followup:5"]
    assert contact.due_on == date(2027, 3, 3)
    assert "à la suite de l'absence ou de la rupture (le mardi 2 mars 2027)" in contact.explanation
    # An exit recorded on the Monday came first: the contact counts from it.
    left = elycoop(
        night, trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), left_on=date(2027, 3, 1)),)
    )
    assert due(left)["ELY-SHORT-CONTACT:followup:5"] == date(2027, 3, 2)


def test_the_ticket_is_never_due_before_the_compte_rendu_it_closes() -> None:
    """Explorer T T6: an entretien held late made the ticket, which closes the follow-up,
    due three days before the compte rendu of that entretien."""
    late = elycoop(followup("long", entretien_at=at(2027, 2, 18, 10)))
    found = by_key(deadlines(late, {}, PARIS))
    report = found["ELY-LONG-COMPTE-RENDU:followup:5"]
    ticket = found["ELY-LONG-TICKET:followup:5"]
    assert report.due_on == date(2027, 2, 21)
    assert ticket.due_on == report.due_on  # not the 15th, fourteen days after the opening
    assert (
        "(modifiable avec /reglages). Pas avant le compte rendu de l'entretien, que le ticket "
        "vient clore (" in ticket.explanation
    )
    early = by_key(deadlines(elycoop(followup("long", entretien_at=at(2027, 2, 5, 10))), {}, PARIS))
    assert early["ELY-LONG-TICKET:followup:5"].due_on == date(2027, 2, 15)  # as before
    assert "Pas avant" not in early["ELY-LONG-TICKET:followup:5"].explanation


def test_every_elycoop_delay_is_said_to_be_the_organisation_s() -> None:
    """Explorer F: 003 §2 sets no delay; the compte rendu's 3 days, the ticket's 14, the
    regard croisé's… read as the procedure's own."""
    found = deadlines(
        elycoop(
            followup("long", entretien_at=at(2027, 2, 5, 10)),
            followup("short", id=6),
            followup("bilan_comp", id=7, sign_on=date(2027, 1, 27)),
            followup("vae", id=9),
        ),
        {},
        PARIS,
    )
    assert len(found) >= 7
    for deadline in found:
        assert "l'organisme s'est donné" in deadline.explanation, deadline.key
        assert "(modifiable avec /reglages)" in deadline.explanation, deadline.key
    regard = by_key(found)["ELY-BILAN-DIFF-REGARD-CROISE:followup:7"]
    assert regard.due_on == date(2027, 2, 10)  # 14 days after the sign, like the entretien


def test_ely_bilan_de_competences_sick_leave_or_difficulty() -> None:
    sick = due(elycoop(followup("bilan_comp", cause="sick_leave")))
    assert sick == {"ELY-BILAN-COMP-SOLUTION:followup:5": date(2027, 2, 8)}
    hard = due(elycoop(followup("bilan_comp", cause="difficulty")))
    assert hard == {
        "ELY-BILAN-DIFF-REGARD-CROISE:followup:5": date(2027, 2, 15),
        "ELY-BILAN-DIFF-TICKET:followup:5": date(2027, 2, 15),
    }
    assert due(elycoop(followup("bilan_comp"))) == hard  # unknown cause: a difficulty


def test_ely_vae() -> None:
    assert due(elycoop(followup("vae"))) == {
        "ELY-VAE-LIVRET:followup:5": date(2027, 2, 8),
        "ELY-VAE-TICKET:followup:5": date(2027, 2, 15),
    }


def test_ely_days_count_in_the_organisation_zone() -> None:
    late = followup("short", opened_at=datetime(2027, 2, 1, 23, 30, tzinfo=UTC))  # 2 Feb in Paris
    assert due(elycoop(late))["ELY-SHORT-CONTACT:followup:5"] == date(2027, 2, 3)


def test_ely_settings_move_the_dates() -> None:
    settings: dict[str, object] = {"ely_long_entretien_days": 3, "ely_ticket_days": 7}
    assert due(elycoop(followup("long")), settings) == {
        "ELY-LONG-ENTRETIEN:followup:5": date(2027, 2, 4),
        "ELY-LONG-TICKET:followup:5": date(2027, 2, 8),
    }


def test_ely_off_when_subcontracted_or_switched_off() -> None:
    sub = elycoop(followup("long"), subcontracted=True)
    assert deadlines(sub, {}, PARIS) == []
    off = disabled_rules(sub, {})
    assert {rule.id for rule, _ in off} == {
        "ELY-SHORT",
        "ELY-LONG",
        "ELY-BILAN-COMP",
        "ELY-BILAN-DIFF",
        "ELY-VAE",
    }
    assert all("sous-traitance" in reason for _, reason in off)
    opted_out = elycoop(followup("long"))
    assert deadlines(opted_out, {"ely_procedure": False}, PARIS) == []
    assert all(
        "n'applique pas" in r for _, r in disabled_rules(opted_out, {"ely_procedure": False})
    )


def test_unnamed_trainee_is_referred_to_by_number() -> None:
    formation = elycoop(followup("long"), trainees=())
    entretien = by_key(deadlines(formation, {}, PARIS))["ELY-LONG-ENTRETIEN:followup:5"]
    assert (
        "Entretien individuel avec la personne en formation n° 8 à tenir" in entretien.explanation
    )


# ----------------------------------------------------------------------- settings


def test_settings_overrides_change_due_dates() -> None:
    settings: dict[str, object] = {
        "nor_prep_days_before": 10,
        "nor_docs_hours_before": 72,
        "nor_proof_days_after": 3,
    }
    found = by_key(deadlines(normandie(), settings, PARIS))
    assert found["NOR-PREP:bilan:12"].due_on == date(2026, 11, 16)
    assert found["NOR-DOCS:bilan:12"].due_at == at(2026, 11, 23, 14)
    # Explorer F: the 72 h are the organisation's margin, the 48 h the fiche's limit.
    assert (
        "la fiche exige « 48h avant maximum » ; l'organisme se donne 72 h avant le bilan"
        in found["NOR-DOCS:bilan:12"].explanation
    )
    assert found["NOR-PROOF:bilan:12"].due_on == date(2026, 11, 29)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("nor_docs_hours_before", 24),  # later than the seed's 48 h
        ("cvl_bq_end_months", 2),  # later than the seed's month
        ("cvl_table_days_after_entry", 11),
        ("nor_prep_days_before", True),  # a bool is not a number of days
        ("nor_prep_days_before", "7"),
        ("cvl_table_parcours_metiers", 1),
        ("rec_vacation_rounding", "sideways"),
    ],
)
def test_bad_setting_values_are_refused(key: str, value: object) -> None:
    with pytest.raises(SettingError):
        validate_settings({key: value})


def test_bad_setting_refuses_to_compute_rather_than_guess() -> None:
    with pytest.raises(SettingError, match="ne peut pas être inférieur à 48"):
        deadlines(normandie(), {"nor_docs_hours_before": 24}, PARIS)


def test_unknown_keys_are_ignored_and_none_means_default() -> None:
    assert due(normandie(), {"absences_window_days": 3, "nor_prep_days_before": None}) == due(
        normandie()
    )
    defaults = validate_settings({})
    assert defaults["nor_prep_days_before"] == 7
    assert defaults["rec_vacation_rounding"] == "down"
    assert rounding_setting({}) == "down"
    assert rounding_setting({"rec_vacation_rounding": "up"}) == "up"


def test_settings_catalogue_is_complete_and_consistent() -> None:
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for spec in SETTINGS:
        assert spec.label and spec.help, spec.key
        assert set(spec.rules) <= RULE_IDS, spec.key
        spec.check(spec.default)  # every default passes its own bounds
    used = {
        milestone.offset.setting
        for rule in RULES
        for milestone in rule.milestones
        if milestone.offset.setting
    } | {toggle.setting for rule in RULES for toggle in rule.toggles}
    assert used | {"rec_vacation_rounding"} == set(SETTINGS_BY_KEY)
    expected_defaults = {
        "nor_prep_days_before": 7,
        "nor_proof_days_after": 7,
        "nor_docs_hours_before": 48,
        "rec_activity_days_after": 15,
        "rec_contract_days_before": 1,
        "cvl_bq_end_months": 1,
        "cvl_table_days_after_entry": 10,
        "cvl_table_parcours_metiers": False,
        "rec_vacation_rounding": "down",
    }
    for key, value in expected_defaults.items():
        assert SETTINGS_BY_KEY[key].default == value


# ------------------------------------------------------------------- the catalogue


def test_every_rule_id_of_the_reference_is_present_once() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) == RULE_IDS
    assert set(RULES_BY_ID) == RULE_IDS


def test_rules_match_the_ids_written_in_the_rules_reference() -> None:
    written = re.findall(r"^\| ((?:NOR|CVL|REC|ELY)-[A-Z-]+) \|", RULES_MD.read_text(), re.M)
    assert len(written) == len(set(written)), "one row per rule id in docs/RULES.md"
    assert set(written) == {rule.id for rule in RULES}


def test_every_source_names_a_seed_file_cited_in_the_rules_reference() -> None:
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^\| ((?:NOR|CVL|REC|ELY)-[A-Z-]+) \|.*$", RULES_MD.read_text(), re.M)
    }
    for rule in RULES:
        assert rule.sources, rule.id
        for source in rule.sources:
            assert re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", source.file), rule.id
            assert source.section and source.label
            assert f"`{source.file}`, {source.section}" in rows[rule.id], (rule.id, source.ref)


@pytest.mark.parametrize(
    ("action_type", "label"),
    [
        ("projet_pro", "Élaboration de projet professionnel"),
        ("premiers_gestes", "Acquisition des premiers gestes professionnels"),
        ("creer_entreprise", "Se préparer à créer ou reprendre une entreprise"),
        ("metiers", "Se former au(x) métier(s) de"),
    ],
)
def test_the_rules_reference_owes_the_bilans_the_bot_owes(action_type: str, label: str) -> None:
    """Explorer KB2: docs/RULES.md gave « Se préparer à créer ou reprendre une entreprise » de
    date à date no bilan (« — »), where the bot owes 001's bilan de fin (002 is silent there)."""
    row = re.search(rf"^\| {re.escape(label)} \|(.*)\|$", RULES_MD.read_text(), re.M)
    assert row is not None, label
    cells = [cell.strip() for cell in row.group(1).split("|")]
    for mode, cell in (("dates", cells[0]), ("esp", cells[1])):
        owed = owed_bilans(cvl(action_type=action_type, mode=mode))
        written = set(re.findall(r"\b(étape|fin)\b", cell))
        assert written == {"étape" if o.kind == "etape" else "fin" for o in owed}, (mode, cell)


def test_rule_data_is_valid() -> None:
    assert validate_rules() == []


def test_validation_catches_a_rule_with_unknown_names() -> None:
    broken = Rule(
        id="XX-NEW",
        funder="normandie",
        programmes=None,
        scope="galaxies",
        trigger="…",
        what="…",
        audience="formateur",
        sources=(),
        subject_if=("moon_phase",),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="eclipse", unit="days", setting="nor_prep_days_before"),
                title="…",
                explanation="…",
                what="…",
                postponable=True,
            ),
        ),
    )
    problems = "\n".join(validate_rules([broken]))
    for fragment in ("galaxies", "moon_phase", "eclipse", "does not list this rule"):
        assert fragment in problems


def test_a_new_region_is_data_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule written as data (here: a made-up one) is dated by the generic engine."""
    from bot.rules import engine

    new = Rule(
        id="NOR-TEST",
        funder="normandie",
        programmes=None,
        scope="bilans",
        trigger="bilan programmé",
        what="tester",
        audience="organisation",
        sources=RULES_BY_ID["NOR-DOCS"].sources,
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="bilan_start", unit="months", direction="before", amount=1),
                title="Test",
                explanation="À faire avant {due}, {delay} avant le {bilan}",
                what="tester",
                postponable=True,
            ),
        ),
    )
    monkeypatch.setattr(engine, "RULES", (new,))
    found = deadlines(normandie(bilan(remote=False)), {}, PARIS)
    assert [(d.key, d.due_on) for d in found] == [("NOR-TEST:bilan:12", date(2026, 10, 26))]
    assert found[0].explanation.startswith("À faire avant le lundi 26 octobre 2026, 1 mois avant")


def everything() -> list[FormationFacts]:
    """One formation per funder that, together, exercise every rule and every milestone."""
    trainees = (
        TraineeFacts(id=8, entered_on=date(2027, 1, 4), left_on=date(2027, 3, 1)),
        TraineeFacts(id=9, entered_on=date(2027, 1, 6)),
    )
    return [
        normandie(
            bilan(id=12),
            bilan(id=13, kind="etape", starts_at=at(2026, 10, 15, 9)),
            replace(bilan(id=14, starts_at=at(2026, 11, 5, 9)), link_missing=True),
        ),
        cvl(mode="esp", trainees=trainees),
        rectorat(),
        elycoop(
            followup("short", id=1),
            followup("long", id=2, entretien_held_at=at(2027, 2, 4, 10)),
            followup("bilan_comp", id=3, cause="sick_leave"),
            followup("bilan_comp", id=4, entretien_at=at(2027, 2, 10, 14)),
            followup("vae", id=5),
        ),
        elycoop(id=7, title="VAE – Marc Leroux", kind="vae"),
    ]


def test_every_vae_candidate_owes_a_livret_and_a_ticket_at_the_end() -> None:
    """Explorer BB5: a VAE owed nothing until a « signe de décrochage » was declared, though
    003 §2 asks every candidate's livret de suivi and a ticket qualité."""
    vae = elycoop(
        title="VAE – Marc Leroux",
        kind="vae",
        trainees=(TraineeFacts(id=8, entered_on=date(2027, 1, 4), name="Marc Leroux"),),
    )
    found = by_key(of_rule(deadlines(vae, {}, PARIS), "ELY-VAE-CANDIDATE"))
    assert {k: d.due_on for k, d in found.items()} == {
        "ELY-VAE-CANDIDATE-LIVRET:trainee:8": date(2027, 6, 30),
        "ELY-VAE-CANDIDATE-TICKET:trainee:8": date(2027, 6, 30),
    }
    livret = found["ELY-VAE-CANDIDATE-LIVRET:trainee:8"]
    # Told apart from a follow-up's livret and ticket (explorer CA8: the same titles twice).
    assert livret.title == "Déposer le livret de suivi VAE en fin d'accompagnement"
    ticket = found["ELY-VAE-CANDIDATE-TICKET:trainee:8"]
    assert ticket.title == "Saisir le ticket qualité de fin d'accompagnement VAE"
    assert "pour l'accompagnement VAE de Marc Leroux" in ticket.explanation
    assert livret.explanation.startswith(
        "Livret de suivi VAE de Marc Leroux, avec le compte rendu du jury blanc et les échanges "
        "de mail, à déposer dans l'espace de stockage formateur à la fin de son accompagnement, "
    )
    # A formation, or a VAE of an organisation that does not apply the procedure: nothing.
    assert not of_rule(deadlines(replace(vae, kind="formation"), {}, PARIS), "ELY-VAE-CANDIDATE")
    off = {"ely_procedure": False}
    assert not of_rule(deadlines(vae, off, PARIS), "ELY-VAE-CANDIDATE")
    # Ending on Ascension Thursday: the Friday after, never the Wednesday before (EB3).
    ascension = by_key(
        of_rule(deadlines(replace(vae, end=date(2027, 5, 6)), {}, PARIS), "ELY-VAE-CANDIDATE")
    )
    assert {d.due_on for d in ascension.values()} == {date(2027, 5, 7)}
    assert (
        "La fin de l'accompagnement tombe le jeudi 6 mai 2027, férié (Ascension) : c'est le jour "
        "ouvré suivant" in ascension["ELY-VAE-CANDIDATE-LIVRET:trainee:8"].explanation
    )


def test_every_rule_and_milestone_is_exercised_and_worded() -> None:
    settings: dict[str, object] = {"cvl_table_parcours_metiers": True}
    programmes = {f.id: f.programme for f in everything()}
    found = [d for f in everything() for d in deadlines(f, settings, PARIS)]
    assert {d.rule_id for d in found} == RULE_IDS
    prefixes = {d.key.split(":")[0] for d in found}
    for rule in RULES:
        for milestone in rule.milestones:
            assert (f"{rule.id}-{milestone.key}" if milestone.key else rule.id) in prefixes
    for d in found:
        rule = RULES_BY_ID[d.rule_id]
        assert d.title and "{" not in d.title
        assert "{" not in d.explanation and "  " not in d.explanation
        programme = programmes[d.formation_id]
        assert d.explanation.endswith(f"({rule.citation_for(programme)}).")
        assert d.source == rule.citation_for(programme) and ".txt" not in d.source
        assert d.audience == rule.audience


def test_deadlines_are_sorted_by_due() -> None:
    for formation in everything():
        found = deadlines(formation, {"cvl_table_parcours_metiers": True}, PARIS)
        assert [d.due_on for d in found] == sorted(d.due_on for d in found)


def test_deadlines_are_pure() -> None:
    formation = everything()[3]
    assert deadlines(formation, {}, PARIS) == deadlines(formation, {}, PARIS)


# ---------------------------------------------------------------------- the facts


def test_facts_refuse_unknown_codes_and_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="financeur inconnu"):
        FormationFacts(id=1, title="x", funder="CVL", start=date(2027, 1, 1), end=date(2027, 2, 1))
    with pytest.raises(ValueError, match="type d'action inconnu"):
        cvl(action_type="metier")
    with pytest.raises(ValueError, match="fuseau"):
        BilanFacts(
            id=1,
            kind="fin",
            remote=True,
            starts_at=datetime(2026, 11, 26, 14),
            ends_at=datetime(2026, 11, 26, 16),
        )
    with pytest.raises(ValueError, match="parcours de suivi inconnu"):
        followup("longue")
    with pytest.raises(ValueError, match="finir avant de commencer"):
        cvl(end=date(2026, 1, 1))


def test_effective_end_is_the_latest_end() -> None:
    assert cvl().effective_end == date(2027, 6, 15)
    assert cvl(extended_end=date(2027, 8, 1)).effective_end == date(2027, 8, 1)
    assert cvl(extended_end=date(2027, 5, 1)).effective_end == date(2027, 6, 15)


def test_a_delay_of_the_organisation_on_a_day_off_is_the_working_day_after() -> None:
    """Explorer AA, AA1: an entretien on Saturday 26 December with a one-day compte rendu
    gave « dimanche 27 (à faire plutôt le jeudi 24) », two days before the entretien; a
    delay no text fixes, counted from an event, goes to the working day after, said."""
    held = elycoop(followup("long", entretien_at=at(2026, 12, 26, 10)))
    found = by_key(deadlines(held, {"ely_compte_rendu_days": 1}, PARIS))
    report = found["ELY-LONG-COMPTE-RENDU:followup:5"]
    assert report.due_on == date(2026, 12, 28)
    assert (
        "Ce délai, que l'organisme s'est donné, tombait le dimanche 27 décembre 2026, un "
        "dimanche : c'est le jour ouvré suivant" in report.explanation
    )
    # Its working day before not before the entretien: « à faire plutôt » that day, as ever.
    thursday = elycoop(followup("long", entretien_at=at(2026, 12, 24, 10)))
    found = by_key(deadlines(thursday, {"ely_compte_rendu_days": 3}, PARIS))
    assert found["ELY-LONG-COMPTE-RENDU:followup:5"].due_on == date(2026, 12, 27)


def test_an_explanation_said_without_its_source_where_the_source_has_its_own_line() -> None:
    """Explorer DE8: « … (à 50 % du parcours, à défaut d'une date convenue) (bilan collectif
    de formation, …). », two brackets in a row; the calendar gave the source twice."""
    source = "fiche procédure bilan à distance, Région Normandie, §I"
    said = f"Au plus tard 48 h avant le bilan (heure de début) ({source})."
    assert without_source(said, source) == "Au plus tard 48 h avant le bilan (heure de début)."
    assert without_source("Sans source.", source) == "Sans source."


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_citation_names_its_funder_and_its_document(rule: Rule) -> None:
    """Explorer KB6: the chat cited « (fiche procédure, §I) », the document without the Région
    whose it is. Each rule's citation, the one every sentence resting on it quotes
    (``{{ rule_id|source }}``), names its funder (or the organisation's own procedure) and
    its document, then the section."""
    cited = rule_citation(rule.id)
    who = FUNDERS[rule.funder] if rule.funder else "Elycoop"
    for source in rule.sources:
        assert f"{source.label}, {source.section}" in cited
        assert who in source.label and source.label.strip(" ,") != who, source.label
    assert texts.environment().from_string('{{ "NOR-DOCS"|source }}').render() == (
        "fiche procédure bilan à distance, Région Normandie, §I"
    )
