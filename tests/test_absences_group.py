"""Several names in one sentence: "Karim et Julie absents hier matin", one confirmation for all.

The clock says Monday 23 November 2026; "hier" is Sunday 22.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.formations import Trainee
from tests.auxil.absences import (
    FollowUp,
    absences,
    add_formation,
    audit_entries,
    enrol,
    record_exit,
    rows,
    trainee_id,
)
from tests.auxil.colleague import nina_in_charge, told_in
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, step_of, survives
from tests.test_absence import PDF
from tests.test_absences_appel import SIGNS


async def saved(db: Database) -> list[tuple[int, date, str, int | None, bool]]:
    return [
        (a.trainee_id, a.day, a.period, a.late_minutes, a.justified) for a in await absences(db)
    ]


async def test_several_people_justified_in_the_plural_as_typed(
    db: Database, trainer: Person
) -> None:
    """« justifiés », « Justifiées »: the plural and its accent, as a trainer types them."""
    for typed in ("justifiés", "Justifiées", "justifiees"):
        await trainer.says(f"Karim et Julie absents hier matin, {typed}")
        assert trainer.last.startswith("Quel motif ? Le même pour chacun"), typed
        await trainer.says("arrêt maladie")
        assert trainer.last.startswith(
            "Noter une absence justifiée, matin du dimanche 22 novembre 2026, pour :"
        ), typed
        assert "Motif : arrêt maladie" in trainer.last
        await trainer.says("/annuler")


async def test_two_names_one_confirmation_two_rows(db: Database, trainer: Person) -> None:
    await trainer.says("Karim et Julie absents hier matin")
    recap = trainer.last
    assert recap.startswith(
        "Noter une absence non justifiée, matin du dimanche 22 novembre 2026, pour :"
    )
    assert "· Karim Benali" in recap and "· Julie Petit" in recap
    assert "Le 22 novembre est un dimanche." in recap
    assert "absents" not in recap and "absent(e)" not in recap  # no agreement guessed
    assert trainer.buttons == ["Enregistrer", "Changer le jour", "Justifiée", "Abandonner"]
    assert await step_of(db, trainer) == ("absence_group", "recap")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Enregistrer")
    said = trainer.all_text
    assert "C'est noté : dimanche 22 novembre 2026, matin – Agent de restauration (démo)." in said
    assert "Absences non justifiées (2) : Karim Benali, Julie Petit." in said
    karim, julie = await trainee_id(db, "Karim Benali"), await trainee_id(db, "Julie Petit")
    assert await saved(db) == [
        (karim, date(2026, 11, 22), "matin", None, False),
        (julie, date(2026, 11, 22), "matin", None, False),
    ]
    calls = [e for e in await audit_entries(db, "formation") if e.action == "record_absences"]
    assert [(c.details["source"], c.details["absent"]) for c in calls] == [("phrase", 2)]
    assert "present" not in calls[0].details  # no roll call: nobody counted present (AH6)
    assert await step_of(db, trainer) == (None, None)


@pytest.mark.parametrize(
    ("typed", "days", "reason"),
    [
        ("Karim malade depuis jeudi jusqu'à aujourd'hui", 3, "malade"),
        ("Karim absent depuis jeudi jusqu'à hier pour maladie", 2, "pour maladie"),
        ("Karim absent depuis jeudi jusqu'à aujourd'hui", 3, None),
    ],
)
async def test_the_end_of_a_span_since_a_day_is_never_its_motive(
    db: Database, trainer: Person, typed: str, days: int, reason: str | None
) -> None:
    """Explorer XA12: « Karim malade depuis jeudi jusqu'à aujourd'hui » saved the three days
    with the motive « jusqu'à aujourd'hui », « malade » lost; « jusqu'à hier » was read up to
    today. The span's end is its end, the motive what was said of it."""
    await trainer.says(typed)
    assert "Motif : jusqu" not in trainer.last, trainer.last
    await trainer.presses("Enregistrer")
    rows = await absences(db)
    assert len(rows) == days, typed
    assert {a.reason for a in rows} == {reason}
    assert min(a.day for a in rows) == date(2026, 11, 19)


@pytest.mark.parametrize(
    ("typed", "first", "last", "reason"),
    [
        ("Karim absent depuis jeudi jusqu'à vendredi matin", "journee", "matin", None),
        ("Karim absent depuis jeudi jusqu'à vendredi midi", "journee", "matin", None),
        ("Karim absent depuis jeudi jusqu'à vendredi 12h", "journee", "matin", None),
        (
            "Karim absent depuis jeudi après-midi jusqu'à vendredi matin",
            "apres_midi",
            "matin",
            None,
        ),
        ("Karim malade depuis jeudi jusqu'à vendredi inclus", "journee", "journee", "malade"),
        ("Karim absent de jeudi à vendredi matin", "journee", "matin", None),
    ],
)
async def test_the_half_day_at_a_span_s_end_is_its_last_day_s(
    db: Database, trainer: Person, typed: str, first: str, last: str, reason: str | None
) -> None:
    """Explorer ZA4: « depuis jeudi jusqu'à vendredi matin » saved Friday as a whole day with
    the motive « matin » (« midi », « 12h », « inclus » alike): the end's half-day is the last
    day's, as « de jeudi à vendredi matin » says it, and « inclus » no motive."""
    await trainer.says(typed)
    assert "Motif : matin" not in trainer.last and "Motif : inclus" not in trainer.last, typed
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period, a.reason) for a in await absences(db)] == [
        (date(2026, 11, 19), first, reason),
        (date(2026, 11, 20), last, reason),
    ], typed


@pytest.mark.parametrize(
    ("typed", "today"),
    [
        ("Karim absent depuis mercredi jusqu'à ce matin", "matin"),
        ("Karim absent depuis mercredi jusqu'à ce midi", "matin"),
        ("Karim absent depuis mercredi jusqu'à ce jour", "journee"),
    ],
)
async def test_a_span_up_to_this_morning_ends_today(
    db: Database, trainer: Person, typed: str, today: str
) -> None:
    """Explorer ZA3: « depuis mercredi jusqu'à ce matin » read « ce » as the span's end, then
    asked « Noter l'absence …, depuis mercredi jusqu'à ce (…), matin ? » and saved Wednesday
    alone; « jusqu'à ce jour » was « pas compris ». The span runs to today, its morning for
    « ce matin » or « ce midi »."""
    await trainer.says(typed)
    assert trainer.last.startswith(
        "Noter une absence non justifiée du mercredi 18 novembre au lundi 23 novembre 2026"
    ), trainer.last
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period, a.reason) for a in await absences(db)] == [
        (date(2026, 11, 18), "journee", None),
        (date(2026, 11, 19), "journee", None),
        (date(2026, 11, 20), "journee", None),
        (date(2026, 11, 23), today, None),
    ], typed


THU, FRI, MON = date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "periods"),
    [
        ("Karim absent depuis jeudi matin jusqu'à lundi", ["journee"] * 3),
        ("Karim absent depuis jeudi matin jusqu'à aujourd'hui", ["journee"] * 3),
        ("Karim absent depuis jeudi matin jusqu'à ce jour", ["journee"] * 3),
        ("Karim absent du jeudi matin au lundi", ["journee"] * 3),
        ("Karim absent depuis jeudi jusqu'à cet après-midi", ["journee"] * 3),
        (
            "Karim absent depuis jeudi après-midi jusqu'à aujourd'hui",
            ["apres_midi", "journee", "journee"],
        ),
        ("Karim absent depuis jeudi matin jusqu'à ce matin", ["journee", "journee", "matin"]),
    ],
)
async def test_a_half_day_that_makes_a_span_s_end_whole_is_not_every_day_s(
    db: Database, trainer: Person, typed: str, periods: list[str]
) -> None:
    """Explorer AA3: « depuis jeudi matin jusqu'à lundi » saved the mornings only, Thursday to
    Monday, two half-days a day lost. From Thursday morning is all Thursday, to this afternoon
    all today, the days between whole."""
    await trainer.says(typed)
    assert ", le matin," not in trainer.last and ", l'après-midi," not in trainer.last, trainer.last
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period) for a in await absences(db)] == list(
        zip([THU, FRI, MON], periods, strict=True)
    ), typed


async def test_up_to_friday_afternoon_is_all_friday_for_each(db: Database, trainer: Person) -> None:
    """Explorer AA3: « Karim et Julie absents depuis jeudi jusqu'à vendredi après-midi » saved
    four afternoons. Up to Friday afternoon includes it: Thursday and Friday whole, for each."""
    await trainer.says("Karim et Julie absents depuis jeudi jusqu'à vendredi après-midi")
    await trainer.presses("Enregistrer")
    rows = await absences(db)
    assert len(rows) == 4, trainer.all_text
    assert {(a.day, a.period) for a in rows} == {(THU, "journee"), (FRI, "journee")}


async def test_not_come_since_thursday_notes_every_day_since(db: Database, trainer: Person) -> None:
    """Explorer AW9: « Karim pas venu depuis jeudi » was one absence, on Thursday; the half-day
    of « depuis mercredi après-midi » is its first day's, not every day's."""
    await trainer.says("Karim pas venu depuis jeudi")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du jeudi 19 novembre au lundi 23 novembre 2026 "
        "(3 jours), pour :"
    )
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert [(t, day, period) for t, day, period, _, _ in await saved(db)] == [
        (karim, date(2026, 11, 19), "journee"),
        (karim, date(2026, 11, 20), "journee"),
        (karim, date(2026, 11, 23), "journee"),
    ]
    # « en retard depuis mardi » is one retard, not one every day since (explorer AY4).
    await trainer.says("Hugo en retard depuis mardi")
    assert trainer.last.startswith(
        "Noter le retard d'Hugo Moreau, depuis mardi (mardi 17 novembre 2026) ?"
    )
    await trainer.presses("Non")
    await trainer.says("Julie absente depuis mercredi après-midi")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du mercredi 18 novembre après-midi au lundi 23 "
        "novembre 2026 (4 jours), pour :"
    )


async def test_several_days_then_a_comment_keep_the_days_and_the_comment(
    db: Database, trainer: Person
) -> None:
    """Explorer AW2: « Je n'ai pas compris la date « hier et aujourd'hui, pas de nouvelles,
    j » »; explorer AW9 with the command: « /absence karim depuis jeudi » was Thursday."""
    await trainer.says("Karim absent hier et aujourd'hui, pas de nouvelles, je l'appelle demain")
    assert trainer.last.startswith(
        "Noter une absence non justifiée le dimanche 22 novembre et le lundi 23 novembre 2026 "
        "(2 jours), pour :"
    )
    # The motive it will save, shown (explorer AY3).
    assert "Motif : pas de nouvelles, je l'appelle demain" in trainer.last
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert [(a.day, a.reason) for a in await absences(db) if a.trainee_id == karim] == [
        (date(2026, 11, 22), "pas de nouvelles, je l'appelle demain"),
        (date(2026, 11, 23), "pas de nouvelles, je l'appelle demain"),
    ]
    await trainer.says("/absence julie depuis jeudi, convocation France Travail")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du jeudi 19 novembre au lundi 23 novembre 2026"
    )
    assert "Motif : convocation France Travail" in trainer.last  # kept after « depuis » (AY3)
    await trainer.presses("Abandonner")
    # « le 25 il revient » is no day of absence, but what was said of it (explorer AY5).
    await trainer.says("Léa absente hier et aujourd'hui, le 25 il revient")
    assert "octobre" not in trainer.last and "Motif : le 25 il revient" in trainer.last


async def test_this_morning_after_days_off_sick_is_today_s_morning_only(
    db: Database, trainer: Person
) -> None:
    """Explorer AZ3: « absent ce matin, malade depuis jeudi » was three mornings."""
    await trainer.says("Karim absent ce matin, malade depuis jeudi")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du jeudi 19 novembre au lundi 23 novembre 2026 matin "
        "(3 jours), pour :"
    )
    await trainer.presses("Enregistrer")
    assert [(day, period) for _, day, period, _, _ in await saved(db)] == [
        (date(2026, 11, 19), "journee"),
        (date(2026, 11, 20), "journee"),
        (date(2026, 11, 23), "matin"),
    ]


async def test_a_half_day_said_without_its_half_is_asked_for_every_day(
    db: Database, trainer: Person
) -> None:
    """Explorer CB2: « jeudi et vendredi 1/2 journée » was saved as two whole days."""
    await trainer.says("Julie absente jeudi et vendredi 1/2 journée")
    assert trainer.last == "Quelle demi-journée, chacun de ces 2 jours ?"
    await trainer.presses("Le matin")
    await trainer.presses("Enregistrer")
    assert {(day, period) for _, day, period, _, _ in await saved(db)} == {
        (date(2026, 11, 19), "matin"),
        (date(2026, 11, 20), "matin"),
    }


async def test_three_names_outside_the_dates_are_said_and_kept(
    db: Database, trainer: Person
) -> None:
    await trainer.says("Karim, Julie et Hugo absents le 3 mars 2026 après-midi")
    recap = trainer.last
    assert "après-midi du mardi 3 mars 2026, pour :" in recap
    assert "· Hugo Moreau" in recap
    assert recap.count("en dehors de la période de formation") == 3
    await trainer.presses("Enregistrer")
    assert {(d, p) for _, d, p, _, _ in await saved(db)} == {(date(2026, 3, 3), "apres_midi")}
    assert len(await absences(db)) == 3


async def test_days_after_a_trainee_s_exit_are_said_and_left_out(
    db: Database, trainer: Person
) -> None:
    await record_exit(db, "Karim Benali", date(2026, 11, 18))
    await trainer.says("Karim et Julie absents du 16 au 20 novembre")
    recap = trainer.last
    assert (
        "Pour Karim Benali, rien n'est noté après sa sortie de formation, le mercredi "
        "18 novembre 2026 (2 jours laissés de côté)."
    ) in recap
    assert "en dehors de la période" not in recap  # the exit is said once, as such
    await trainer.presses("Enregistrer")
    said = trainer.all_text
    assert "Pour Karim Benali, rien n'est noté après sa sortie de formation" in said
    karim, julie = await trainee_id(db, "Karim Benali"), await trainee_id(db, "Julie Petit")
    noted = {(t, d.day) for t, d, _, _, _ in await saved(db)}
    assert noted == {(karim, 16), (karim, 17), (karim, 18)} | {(julie, d) for d in range(16, 21)}
    # Alone, the summary names the days kept (explorer I: it named all four).
    await trainer.says("Karim absent du 17 au 20 novembre, justifié, convocation")
    await trainer.presses("Enregistrer")
    assert (
        "C'est noté : du mardi 17 novembre au mercredi 18 novembre 2026 (2 jours), journée"
        in trainer.all_text
    )
    assert "20 novembre" not in trainer.all_text.split("C'est noté")[1]

    await trainer.says("Karim absent du 19 au 20 novembre")
    assert (
        "Rien n'est noté pour Karim Benali : sa sortie de formation, le mercredi 18 novembre "
        "2026, vient avant ces jours."
    ) in trainer.last
    assert trainer.buttons == ["Changer le jour", "Abandonner"]
    await trainer.says("Enregistrer")
    assert await step_of(db, trainer) == ("absence_group", "recap")
    await trainer.presses("Changer le jour")
    await trainer.says("mardi 17 novembre")
    await trainer.presses("Oui, c'est ça")
    assert "Rien n'est noté" not in trainer.last
    assert trainer.buttons[0] == "Enregistrer"


async def test_an_ambiguous_name_is_asked_once_and_an_unknown_one_can_be_left(
    db: Database, trainer: Person
) -> None:
    await enrol(db, "Projet", "Léa Morel")
    await trainer.says("Karim, Léa et Zorro absents hier")
    assert "Plusieurs stagiaires correspondent à « Léa »" in trainer.last
    assert trainer.buttons == [
        "Léa Martin – Agent de restauration (démo)",
        "Léa Morel – Projet professionnel (démo)",
        "Ne pas le noter",
    ]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Léa Morel")
    assert "Je ne trouve pas « Zorro » parmi vos stagiaires." in trainer.last
    assert trainer.buttons[-1] == "Ne pas le noter"
    await trainer.presses("Ne pas le noter")
    assert trainer.last.startswith("Quelle demi-journée, ce dimanche 22 novembre 2026 ?")
    await trainer.presses("Toute la journée")
    assert "journée du dimanche 22 novembre 2026" in trainer.last
    assert "· Karim Benali" in trainer.last and "· Léa Morel" in trainer.last
    await trainer.presses("Enregistrer")
    ids = {t for t, *_ in await saved(db)}
    assert ids == {await trainee_id(db, "Karim Benali"), await trainee_id(db, "Léa Morel")}
    calls = [e for e in await audit_entries(db, "formation") if e.action == "record_absences"]
    assert len(calls) == 2  # one per formation named


async def test_names_of_a_formation_not_yet_begun_are_found_not_replaced(
    db: Database, trainer: Person
) -> None:
    """Explorer O: « Alice et Bruno absents hier », of a formation starting next week, were
    « not found » and Julie Petit offered for « Alice »: one tap noted her absent."""
    await add_formation(
        db, title="Cuisine", trainees=("Alice Dupré", "Bruno Lemoine"), today=date(2026, 12, 20)
    )
    await trainer.says("Alice et Bruno absents hier")
    said = trainer.all_text
    assert "Je ne trouve pas" not in said and "Julie Petit" not in said
    await trainer.presses("Toute la journée")
    assert "· Alice Dupré" in trainer.last and "· Bruno Lemoine" in trainer.last
    assert trainer.last.count("en dehors de la période de formation") == 2
    await trainer.presses("Abandonner")
    assert await saved(db) == []


async def test_late_arrivals_keep_their_minutes(db: Database, trainer: Person) -> None:
    await trainer.says("Karim et Julie en retard de 20 min ce matin")
    assert trainer.last.startswith(
        "Noter un retard non justifié de 20 min, le matin du lundi 23 novembre 2026, pour :"
    )
    # Explorer BB16: « Justifiée » under « Noter un retard non justifié ».
    assert trainer.buttons == ["Enregistrer", "Changer le jour", "Justifié", "Abandonner"]
    await trainer.presses("Changer le jour")
    await trainer.says("vendredi matin")  # still a late arrival, on Friday
    await trainer.presses("Oui")
    assert trainer.last.startswith(
        "Noter un retard non justifié de 20 min, le matin du vendredi 20 novembre 2026, pour :"
    )
    await trainer.presses("Enregistrer")
    assert "Retards de 20 min (2) : Karim Benali, Julie Petit." in trainer.all_text
    assert {(p, m) for _, _, p, m, _ in await saved(db)} == {("retard", 20)}


async def test_several_people_with_no_day_are_today_s_said_so_and_corrected(
    db: Database, trainer: Person
) -> None:
    """Decision LA1, as for one person: « Karim et Julie absents », « … en retard de 10 min »
    with no day asked « Quel jour ? »; today's now, said in the question, « non, vendredi »
    correcting it at the half-day or at the recap; a day to come is not taken."""
    await trainer.says("Karim et Julie absents")
    assert trainer.last == "Quelle demi-journée, aujourd'hui (lundi 23 novembre 2026) ?"
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("non, vendredi")
    assert trainer.last == "Quelle demi-journée, ce vendredi 20 novembre 2026 ?"
    await trainer.presses("Le matin")
    assert trainer.last.startswith(
        "Noter une absence non justifiée, matin du vendredi 20 novembre 2026, pour :"
    )
    await trainer.presses("Enregistrer")
    assert {(d, p) for _, d, p, *_ in await saved(db)} == {(date(2026, 11, 20), "matin")}
    await trainer.says("Karim et Julie en retard de 10 min")
    assert trainer.last.startswith(
        "Noter un retard non justifié de 10 min aujourd'hui (lundi 23 novembre 2026), pour :"
    ), trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("non, demain")  # to come: not read as the day, nothing noted
    assert trainer.all_text.startswith("Je n'ai pas compris « non, demain »")
    await trainer.says("non, jeudi")
    assert trainer.last.startswith(
        "Noter un retard non justifié de 10 min du jeudi 19 novembre 2026, pour :"
    ), trainer.last
    await trainer.presses("Changer le jour")
    await trainer.says("demain")
    assert "est à venir" in trainer.last
    await trainer.says("vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Enregistrer")
    late = {(d, p, m) for _, d, p, m, _ in await saved(db) if p == "retard"}
    assert late == {(date(2026, 11, 20), "retard", 10)}


async def test_a_wrong_day_is_refused_for_several_people(db: Database, trainer: Person) -> None:
    await trainer.says("Karim et Julie absents vendredi matin")
    assert "matin du vendredi 20 novembre 2026" in trainer.last
    await trainer.presses("Changer le jour")
    await trainer.says("jeudi")
    await trainer.presses("Oui")
    assert "matin du jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Changer le jour")  # the new day with its own half-day
    await trainer.says("jeudi après-midi")
    assert "J'ai compris : jeudi 19 novembre 2026, l'après-midi." in trainer.last
    await trainer.presses("Oui")
    assert "après-midi du jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Enregistrer")
    assert {(d, p) for _, d, p, *_ in await saved(db)} == {(date(2026, 11, 19), "apres_midi")}


async def test_a_half_day_already_noted_is_left_as_it_is(db: Database, trainer: Person) -> None:
    await trainer.says("Karim et Julie absents ce matin")
    await trainer.presses("Enregistrer")
    await trainer.says("Karim et Hugo absents ce matin justifiés")
    await trainer.says("sortie pédagogique")
    recap = trainer.last
    assert "Noter une absence justifiée, matin du lundi 23 novembre 2026" in recap
    assert "Pour Karim Benali, ce jour est déjà noté (matin, noté par Camille Durand)" in recap
    await trainer.presses("Enregistrer")
    assert "Déjà noté, laissé tel quel : Karim Benali (matin, noté par Camille Durand)." in (
        trainer.all_text
    )
    assert "Absence justifiée (1) : Hugo Moreau." in trainer.all_text
    assert len(await absences(db)) == 3


async def test_repeated_absence_offers_the_follow_up_from_a_sentence(
    db: Database, trainer: Person
) -> None:
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.presses("Enregistrer")
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("Karim et Julie absents ce matin")
    await trainer.presses("Enregistrer")
    assert "Signes de décrochage :" in trainer.all_text
    assert trainer.buttons == ["Karim Benali", "Julie Petit", "Pas maintenant"]
    await trainer.presses("Julie Petit")
    assert await step_of(db, trainer) == ("decrochage", "signs")


async def test_the_offer_of_follow_ups_after_a_sentence_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """The one offer of follow-ups after several people's absences re-asks on wrong, empty,
    huge or hostile input: it opens no follow-up and notes no « pas maintenant » (coverage
    BC)."""
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.presses("Enregistrer")
    await trainer.says("Karim et Julie absents ce matin")
    await trainer.presses("Enregistrer")
    assert await step_of(db, trainer) == ("absence_group", "offer")
    noted, audited = len(await absences(db)), len(await audit_entries(db))
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, FollowUp) == []
    assert len(await absences(db)) == noted
    assert len(await audit_entries(db)) == audited
    assert trainer.buttons == ["Karim Benali", "Julie Petit", "Pas maintenant"]


async def test_abandon_and_nobody_left_save_nothing(db: Database, trainer: Person) -> None:
    await trainer.says("Karim et Julie absents hier matin")
    await trainer.presses("Abandonner")
    assert "je ne note rien" in trainer.last
    await trainer.says("Zorro et Xavier absents hier matin")
    await trainer.presses("Ne pas le noter")
    await trainer.presses("Ne pas le noter")
    assert "Personne à noter" in trainer.last
    assert await step_of(db, trainer) == (None, None)
    assert await absences(db) == []


# --- several days ----------------------------------------------------------------------


async def test_an_absence_of_several_days_is_one_recap_and_one_row_a_day(
    db: Database, trainer: Person
) -> None:
    """« Julie absente du 16 au 18 novembre »: three absences to note, one question."""
    await trainer.says("Julie absente du 16 au 18 novembre")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du lundi 16 novembre au mercredi 18 novembre 2026 "
        "(3 jours), pour :\n· Julie Petit"
    )
    assert await step_of(db, trainer) == ("absence_group", "recap")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Enregistrer")
    said = trainer.all_text
    assert (
        "C'est noté : du lundi 16 novembre au mercredi 18 novembre 2026 (3 jours), journée – "
        "Agent de restauration (démo)." in said
    )
    assert "Absence non justifiée, chacun de ces jours : Julie Petit." in said
    julie = await trainee_id(db, "Julie Petit")
    rows = [(julie, date(2026, 11, day), "journee", None, False) for day in (16, 17, 18)]
    assert await saved(db) == rows
    await trainer.says("/annuler")
    # The same days again: those already noted are said, once, and nothing is written twice.
    await trainer.says("Julie et Karim absents du 16 au 18 novembre")
    assert (
        "Pour Julie Petit, les jours du lundi 16 novembre au mercredi 18 novembre 2026 (3 jours)"
        " sont déjà notés (journée, noté par Camille Durand) : je les laisse tels quels."
    ) in trainer.last
    await trainer.presses("Enregistrer")
    assert (
        "Déjà noté, laissé tel quel : Julie Petit (journée, noté par Camille Durand), du lundi"
        " 16 novembre au mercredi 18 novembre 2026 (3 jours)."
    ) in trainer.all_text
    assert "Karim Benali" in trainer.all_text
    await trainer.says("/annuler")
    # Both again: one line for both, not one a person a day (six before).
    await trainer.says("Julie et Karim absents le 16 et le 18 novembre")
    assert (
        "Pour Julie Petit et Karim Benali, le lundi 16 novembre et le mercredi 18 novembre 2026"
        " (2 jours) sont déjà notés (journée, noté par Camille Durand) : je les laisse tels"
        " quels."
    ) in trainer.last, trainer.last
    assert trainer.last.count("déjà noté") == 1
    await trainer.presses("Enregistrer")
    assert trainer.all_text.count("Déjà noté") == 1, trainer.all_text
    assert len(await saved(db)) == 6


async def test_a_span_leaves_its_weekend_out_and_says_so(db: Database, trainer: Person) -> None:
    await trainer.says("Karim absent de jeudi à lundi")
    recap = trainer.last
    assert recap.startswith(
        "Noter une absence non justifiée du jeudi 19 novembre au lundi 23 novembre 2026 "
        "(3 jours), pour :"
    )
    assert (
        "Laissés de côté, sans formation : samedi 21 novembre 2026, dimanche 22 novembre 2026."
        in recap
    )
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert await saved(db) == [
        (karim, date(2026, 11, day), "journee", None, False) for day in (19, 20, 23)
    ]


async def test_the_ends_of_a_span_keep_their_own_half_days(db: Database, trainer: Person) -> None:
    """Explorer D (F15): « de jeudi après-midi à lundi matin » was three afternoons."""
    await trainer.says("Karim absent de jeudi après-midi à lundi matin")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du jeudi 19 novembre après-midi au lundi 23 novembre "
        "2026 matin (3 jours), pour :"
    )
    await trainer.presses("Enregistrer")
    assert "C'est noté : du jeudi 19 novembre après-midi au lundi 23 novembre 2026 matin" in (
        trainer.all_text
    )
    karim = await trainee_id(db, "Karim Benali")
    assert await saved(db) == [
        (karim, date(2026, 11, 19), "apres_midi", None, False),
        (karim, date(2026, 11, 20), "journee", None, False),
        (karim, date(2026, 11, 23), "matin", None, False),
    ]
    # « de … à lundi matin »: the days before whole; a half-day of every day stays so.
    await trainer.says("Julie absente de mardi à jeudi matin")
    assert "du mardi 17 novembre au jeudi 19 novembre 2026 matin (3 jours)" in trainer.last
    await trainer.presses("Enregistrer")
    await trainer.says("Karim absent du 16 au 18 novembre, le matin")
    assert trainer.last.startswith(
        "Noter une absence non justifiée, le matin, du lundi 16 novembre au mercredi 18 "
        "novembre 2026 (3 jours)"
    )
    await trainer.presses("Enregistrer")
    julie = await trainee_id(db, "Julie Petit")
    rows = await saved(db)
    assert [(r[1].day, r[2]) for r in rows if r[0] == julie] == [
        (17, "journee"),
        (18, "journee"),
        (19, "matin"),
    ]
    assert [(r[1].day, r[2]) for r in rows if r[0] == karim][3:] == [
        (16, "matin"),
        (17, "matin"),
        (18, "matin"),
    ]


async def test_several_days_after_the_command_and_in_a_list(db: Database, trainer: Person) -> None:
    await trainer.says("/absence Julie du 16 au 18 novembre justifiée")
    assert trainer.last.startswith("Quel motif ? Le même pour chaque jour")
    await trainer.says("stage en entreprise")
    assert trainer.last.startswith(
        "Noter une absence justifiée du lundi 16 novembre au mercredi 18 novembre 2026"
    )
    await trainer.says("/annuler")
    await trainer.says("Karim et Julie en retard de 10 min mardi et jeudi")
    assert trainer.last.startswith(
        "Noter un retard non justifié de 10 min le mardi 17 novembre et le jeudi 19 novembre "
        "2026 (2 jours), pour :\n· Karim Benali\n· Julie Petit"
    )
    await trainer.presses("Enregistrer")
    assert len(await saved(db)) == 4
    assert {(row[1], row[2], row[3]) for row in await saved(db)} == {
        (date(2026, 11, 17), "retard", 10),
        (date(2026, 11, 19), "retard", 10),
    }


async def test_several_days_too_many_or_to_come_are_said_and_one_day_asked(
    db: Database, trainer: Person
) -> None:
    await trainer.says("Julie absente du 1er septembre au 20 novembre")
    assert "cela fait plus de 31 jours" in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("Julie absente du 20/11 au 16/11")
    assert (
        "Le lundi 16 novembre 2026 vient avant le vendredi 20 novembre 2026 : donnez les jours "
        "dans l'ordre, par exemple « du 16 novembre au 20 novembre »."
    ) in trainer.all_text
    assert "31 jours" not in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("/annuler")
    await trainer.says("Julie absente du 1er septembre au 20 novembre")
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("/annuler")
    await trainer.says("Julie absente du 28/12 au 2/01")  # the coming one, not last winter's
    assert "Le lundi 28 décembre 2026 est à venir" in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("Julie absente du 27/12 au 3/01")  # a Sunday first: that one named (L)
    assert "Le dimanche 27 décembre 2026 est à venir" in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("Julie absente du 20 au 25 novembre")
    assert "Le mercredi 25 novembre 2026 est à venir" in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("vendredi")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Toute la journée")
    assert "du vendredi 20 novembre 2026, pour :" in trainer.last
    assert await saved(db) == []


async def test_changing_the_day_of_several_days_asks_one_day(db: Database, trainer: Person) -> None:
    await trainer.says("Julie absente lundi et mardi")
    assert "le lundi 16 novembre et le mardi 17 novembre 2026 (2 jours)" in trainer.last
    await trainer.presses("Changer le jour")
    await trainer.says("hier")
    await trainer.presses("Oui, c'est ça")
    assert "journée du dimanche 22 novembre 2026, pour :" in trainer.last
    assert "(2 jours)" not in trainer.last
    await trainer.presses("Enregistrer")
    assert [row[1] for row in await saved(db)] == [date(2026, 11, 22)]


async def test_listed_days_keep_their_own_half_days(db: Database, trainer: Person) -> None:
    """Explorer E (high): « lundi matin et mardi après-midi » saved two afternoons."""
    await trainer.says("Karim absent lundi matin et mardi après-midi")
    assert trainer.last.startswith(
        "Noter une absence non justifiée le lundi 16 novembre matin et le mardi 17 novembre "
        "2026 après-midi (2 jours)"
    )
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert await saved(db) == [
        (karim, date(2026, 11, 16), "matin", None, False),
        (karim, date(2026, 11, 17), "apres_midi", None, False),
    ]


async def test_changing_the_day_of_several_days_takes_several_days(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F16): a span typed after « Changer le jour » was « pas compris »."""
    await trainer.says("Karim absent de jeudi à vendredi")
    await trainer.presses("Changer le jour")
    await trainer.says("du 16 au 17 novembre matin")
    assert trainer.last.startswith(
        "Noter une absence non justifiée du lundi 16 novembre au mardi 17 novembre 2026 matin "
        "(2 jours)"
    )
    await trainer.presses("Changer le jour")
    await trainer.says("du 9 au 10 novembre")  # no half-day: the ends said before are gone
    assert "du lundi 9 novembre au mardi 10 novembre 2026 (2 jours)" in trainer.last
    assert "matin" not in trainer.last
    await trainer.presses("Changer le jour")
    await trainer.says("du 20 au 30 novembre")  # reaches a day to come: said, the day asked
    assert "Le lundi 30 novembre 2026 est à venir" in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("du 9 au 10 novembre l'après-midi")
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert await saved(db) == [
        (karim, date(2026, 11, 9), "apres_midi", None, False),
        (karim, date(2026, 11, 10), "apres_midi", None, False),
    ]


async def test_several_days_typed_for_the_date_of_absence(db: Database, trainer: Person) -> None:
    """/absence asked « Quel jour ? »: « du 16 au 18 novembre » is the trainee's three days."""
    await trainer.says("/absence julie justifiée, rdv France Travail")
    assert "Quel jour" in trainer.last
    await trainer.says("du 16 au 18 novembre")
    assert "Motif : rdv France Travail" in trainer.last  # said with the command, kept
    assert trainer.last.startswith(
        "Noter une absence justifiée du lundi 16 novembre au mercredi 18 novembre 2026 "
        "(3 jours), pour :\n· Julie Petit"
    )
    await trainer.presses("Enregistrer")
    julie = await trainee_id(db, "Julie Petit")
    assert await saved(db) == [
        (julie, date(2026, 11, day), "journee", None, True) for day in (16, 17, 18)
    ]


async def test_justified_or_not_is_said_at_the_one_confirmation(
    db: Database, trainer: Person
) -> None:
    """Explorer A: a sentence rarely says « justifiée », and the group's confirmation
    offered no way to say it: every such absence was saved « non justifiée »."""
    await trainer.says("Julie absente du 16 au 18 novembre")
    await trainer.presses("Justifiée")
    # Explorer D (F36): a justified absence has its motive, as /absence asks it.
    assert trainer.last.startswith("Quel motif ? Le même pour chaque jour")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Passer")
    assert "Une absence justifiée a un motif" in trainer.last
    await trainer.says("retour")  # no motive after all: it stays unjustified
    assert trainer.last.startswith("Noter une absence non justifiée du lundi 16 novembre")
    await trainer.presses("Justifiée")
    await trainer.says("convocation France Travail")
    assert trainer.last.startswith("Noter une absence justifiée du lundi 16 novembre")
    assert "Motif : convocation France Travail" in trainer.last
    await trainer.says("justifiée")  # typed, it says the state wanted: it is already so
    assert "Motif : convocation France Travail" in trainer.last
    assert "Non justifiée" in trainer.buttons
    await trainer.presses("Non justifiée")
    assert trainer.last.startswith("Noter une absence non justifiée du lundi 16 novembre")
    assert "Motif" not in trainer.last
    await trainer.presses("Justifiée")
    await trainer.says("rendez-vous médical")
    await trainer.presses("Enregistrer")
    assert len(await saved(db)) == 3
    assert {(a.justified, a.reason) for a in await absences(db)} == {(True, "rendez-vous médical")}


async def test_retour_never_reopens_a_settled_question(db: Database, trainer: Person) -> None:
    """Explorer D: « retour » after « Changer le jour », or at the confirmation after a name
    was asked, failed (« quelque chose s'est mal passé »): the question it went back to had
    lost its data."""
    await trainer.says("Karim et Zorro absents hier matin")
    await trainer.presses("Ne pas le noter")
    await trainer.says("retour")
    assert "C'est la première question" in trainer.all_text
    assert "s'est mal passé" not in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "recap")
    await trainer.presses("Changer le jour")
    await trainer.says("retour")
    assert "s'est mal passé" not in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("hier")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Enregistrer")
    karim = await trainee_id(db, "Karim Benali")
    assert await saved(db) == [(karim, date(2026, 11, 22), "matin", None, False)]


async def test_a_day_years_away_is_refused_for_several_people_as_for_one(
    db: Database, trainer: Person
) -> None:
    """Explorer HA4: « karim et léa absents il y a 200 ans » asked the half-day of « jeudi 23
    novembre 1826 », then « je le note quand même si vous enregistrez »: two absences saved in
    1826, where one name is refused (GD1). The same check, the same words, for the sentence's
    day, a day typed at the question, and several days typed at « Changer le jour »."""
    far = (
        "Le jeudi 23 novembre 1826 est à plus d'un an de la période de formation de Karim"
        " Benali (du lundi 19 octobre 2026 au vendredi 8 janvier 2027) : vérifiez l'année"
        " et redonnez la date, par exemple « vendredi 20 novembre »."
    )
    await trainer.says("karim et léa absents il y a 200 ans")
    assert trainer.all_text.startswith(far)
    assert "Quelle demi-journée" not in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("il y a 2 ans")
    assert trainer.all_text.startswith(
        "Le samedi 23 novembre 2024 est à plus d'un an de la période de formation de Karim"
    )
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("/annuler")
    await trainer.says("karim et léa absents hier matin")
    await trainer.presses("Changer le jour")
    await trainer.says("du 10 au 12 novembre 2024")
    assert trainer.all_text.startswith(
        "Le mardi 12 novembre 2024 est à plus d'un an de la période de formation de Karim"
    )
    assert await step_of(db, trainer) == ("absence_group", "date")
    await trainer.says("vendredi dernier")  # a day near the dates is still taken
    await trainer.presses("Oui, c'est ça")
    assert trainer.last.startswith(
        "Noter une absence non justifiée, matin du vendredi 20 novembre 2026, pour :"
    )
    await trainer.says("/annuler")
    await trainer.says("karim absent du 10 au 12 novembre 2024")  # several days, one name
    assert trainer.all_text.startswith("Le mardi 12 novembre 2024 est à plus d'un an")
    assert await absences(db) == []


async def test_a_file_at_the_group_s_motive_is_told_where_the_justificatif_goes(
    db: Database, trainer: Person
) -> None:
    """Explorer JB7: a file sent at the group's « Quel motif ? » got the list of commands
    taking files (« se joint avec /absences (ou en notant l'absence) ») while noting it, as
    /absence's motive did before JA2. A group's justificatifs are joined to each absence
    once noted."""
    await trainer.says("karim et léa absents vendredi dernier matin")
    await trainer.presses("Justifiée")
    assert trainer.last.startswith("Quel motif ? Le même pour chacun")
    for caption in ("", "arrêt maladie"):
        await trainer.sends_file("arret.pdf", "application/pdf", PDF, caption)
        assert trainer.all_text.startswith(
            "J'attends d'abord le motif, en quelques mots."
            + (" Je ne garde ni le fichier ni le texte envoyé avec lui." if caption else "")
            + " Le justificatif se joint à chaque absence une fois notée : /absences,"
            " l'absence, puis « Justification et motif »."
        ), trainer.all_text
        assert await step_of(db, trainer) == ("absence_group", "reason")
    await trainer.says("arrêt maladie")
    assert "Motif : arrêt maladie" in trainer.last


async def test_a_sentence_in_a_colleague_s_formation_tells_its_trainer_of_the_signs(
    db: Database, trainer: Person
) -> None:
    """Explorer KB9: an administrator's sentence reaching décrochage signs in a formation she
    is not in charge of tells its trainer, as /appel does."""
    await nina_in_charge(db)
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.presses("Enregistrer")
    await trainer.says("Karim et Julie absents ce matin")
    await trainer.presses("Enregistrer")
    assert "J'envoie ces signes de décrochage à Nina Colleague" in trainer.all_text
    (to_nina,) = await told_in(db, key=SIGNS)
    assert to_nina.startswith(
        "Camille Durand a noté des absences dans votre formation « Agent de restauration "
        "(démo) » : lundi 23 novembre 2026, matin."
    )
    assert "· Karim Benali : 2 absences" in to_nina and "· Julie Petit : 2 absences" in to_nina


async def test_another_kind_told_after_the_day_is_the_motive_not_the_day(
    db: Database, trainer: Person
) -> None:
    """Explorer KA8: « Karim et Léa absents ce matin, ils étaient en retard vendredi » was
    noted as both absent on Friday morning (the kind from one part, the day from the other),
    this morning's absences dropped unsaid; as for one person, what follows the day is its
    motive."""
    await trainer.says("Karim et Léa absents ce matin, ils étaient en retard vendredi")
    assert trainer.last.startswith(
        "Noter une absence non justifiée, matin du lundi 23 novembre 2026, pour :"
    ), trainer.last
    assert "Motif : ils étaient en retard vendredi" in trainer.last
    await trainer.presses("Enregistrer")
    rows = await absences(db)
    assert {(a.day, a.period, a.reason) for a in rows} == {
        (date(2026, 11, 23), "matin", "ils étaient en retard vendredi")
    }
    assert len(rows) == 2


async def test_several_late_keep_the_half_day_said(db: Database, trainer: Person) -> None:
    """Explorer UA9: « Karim et Julie en retard ce matin » saved two retards with no half-day
    (the « matin » dropped), where « Karim en retard ce matin » keeps it."""
    await trainer.says("Karim et Julie en retard ce matin")
    await trainer.presses("Enregistrer")
    assert {(a.period, a.late_half) for a in await absences(db)} == {("retard", "matin")}
    assert len(await absences(db)) == 2


async def test_yes_with_words_at_the_recap_is_read(db: Database, trainer: Person) -> None:
    """Explorer UA9: « oui, justifiée », « oui, malades » to « Noter une absence non justifiée
    … pour : · Karim Benali · Julie Petit » got « Je n'ai pas reconnu ce choix », where the
    one-person question takes them: justified (its motive asked), or that motive, shown."""
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.says("oui, justifiée")
    assert trainer.last.startswith("Quel motif ? Le même pour chacun")
    await trainer.says("/annuler")
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.says("oui, justifiée, grève")
    assert trainer.last.startswith("Noter une absence justifiée, matin du vendredi 20 novembre")
    assert "Motif : grève" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("Karim et Julie absents vendredi matin")
    await trainer.says("oui, malades")
    assert "Motif : malades" in trainer.last and "Je n'ai pas reconnu" not in trainer.all_text
    await trainer.presses("Enregistrer")
    assert {(a.justified, a.reason) for a in await absences(db)} == {(False, "malades")}


async def test_a_no_with_words_at_the_recap(db: Database, trainer: Person) -> None:
    """Explorer FC2: « non merci » to « Noter une absence … pour : · Karim Benali · Julie
    Petit » got « Je n'ai pas reconnu ce choix », where a bare « non » abandons; « non c'est
    Karima » the same, saying neither that nothing is noted nor how to change it."""
    for typed in ("non merci", "Non, laisse tomber !"):
        await trainer.says("Karim et Julie absents hier matin")
        await trainer.says(typed)
        assert trainer.last.startswith("D'accord, je ne note rien."), trainer.all_text
        assert await step_of(db, trainer) == (None, None)
    for typed in ("non il avait prévenu", "non, pas ceux-là"):  # names: KD2 below
        await trainer.says("Karim et Julie absents hier matin")
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            f"Je n'ai pas compris « {typed} » : rien n'est encore noté, je vous repose la "
            "question. Pour corriger le jour, choisissez « Changer le jour ». Pour d'autres "
            "personnes, choisissez « Abandonner », puis envoyez une phrase avec leurs noms, "
            "par exemple « Dupont et Martin absents hier matin ». Un motif ou la justification "
            "se donnent après « oui » : « oui, convocation France Travail », « oui, justifiée "
            "». Pour ne rien noter : « Non »."
        ), trainer.all_text
        assert "· Karim Benali" in trainer.last and "· Julie Petit" in trainer.last
        assert await step_of(db, trainer) == ("absence_group", "recap")
        await trainer.says("/annuler")
    await trainer.says("Karim et Julie en retard ce matin")
    await trainer.says("non, absents")
    assert "« Dupont et Martin en retard ce matin »" in trainer.all_text, trainer.all_text
    assert "« oui, justifié »" in trainer.all_text, trainer.all_text
    await trainer.presses("Enregistrer")  # the question kept: the retards noted
    assert {a.period for a in await absences(db)} == {"retard"}
    assert len(await absences(db)) == 2
    # To « écrivez ici le motif qui le remplace, ou enregistrez-le tel quel », « non merci »
    # keeps the motive pointed out, as before: nothing dropped.
    await trainer.says("Karim et Julie absents vendredi matin, chimiothérapie")
    await trainer.says("non merci")
    assert "Motif : chimiothérapie" in trainer.last, trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "recap")


async def test_a_medical_detail_in_several_people_s_motive_is_pointed_out_once(
    db: Database, trainer: Person
) -> None:
    """Closing 38's Left (explorer UA10 for several people): « Karim et Julie absents vendredi
    matin, chimiothérapie » was confirmed and saved with that motive unwarned, where one
    person's recap points the medical detail out.  The same warning, once; a motive typed
    then replaces it, « Enregistrer » keeps it as it is."""
    await trainer.says("Karim et Julie absents vendredi matin, chimiothérapie")
    assert "Motif : chimiothérapie" in trainer.last
    assert "Ce motif donne un détail médical" in trainer.last
    assert "écrivez ici le motif qui le remplace, ou enregistrez-le tel quel" in trainer.last
    await trainer.says("raison de santé")
    assert trainer.last.startswith("Noter une absence non justifiée, matin du vendredi 20")
    assert "Motif : raison de santé" in trainer.last
    assert "détail médical" not in trainer.last
    await trainer.presses("Enregistrer")
    assert {(a.day, a.reason) for a in await absences(db)} == {
        (date(2026, 11, 20), "raison de santé")
    }
    await trainer.says("Karim et Julie absents jeudi matin pour leur chimiothérapie")
    assert "Ce motif donne un détail médical" in trainer.last
    await trainer.says("ok")  # « Enregistrer »: kept as it is, not pointed out again
    assert "détail médical" not in trainer.all_text
    rows = {(a.day, a.reason) for a in await absences(db)}
    assert (date(2026, 11, 19), "pour leur chimiothérapie") in rows


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("mettez raison personnelle", "raison personnelle"),
        ("noter un empêchement", "un empêchement"),
        ("mettre une raison personnelle", "une raison personnelle"),
        ("écrire un rapport", "écrire un rapport"),  # a reason, no instruction
        ("je le garde tel quel", "chimiothérapie"),  # the warning's own offer
        ("raison personnelle svp", "raison personnelle"),  # courtesy, not the motive (BB4)
        ("non, raison personnelle", "raison personnelle"),  # fixer KD2's leftover
        ("non c'est bon", "chimiothérapie"),  # as « non merci »: the one pointed out
    ],
)
async def test_an_instruction_after_several_people_s_medical_warning_saves_its_words(
    db: Database, trainer: Person, typed: str, reason: str
) -> None:
    """Explorer CB4, BB13's twin: « mettez raison personnelle » typed after several people's
    warning « Ce motif donne un détail médical » showed « Motif : mettez raison personnelle »,
    the instruction whole, where one person's motive keeps the words it gives; « je le garde
    tel quel » became the motive too."""
    await trainer.says("Karim et Julie absents vendredi matin, chimiothérapie")
    assert "Ce motif donne un détail médical" in trainer.last
    await trainer.says(typed)
    assert f"Motif : {reason}\n" in f"{trainer.last}\n", trainer.last
    await trainer.presses("Enregistrer")
    assert {a.reason for a in await absences(db)} == {reason}


@pytest.mark.parametrize(
    "typed",
    [
        "oui, exactement",
        "oui, ils ont prévenu",
        "oui pour moi c'est bon",  # explorer XA1
        "oui, pour info",
        "ok merci",
    ],
)
async def test_a_yes_with_words_that_are_no_motive_saves_without_one(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer XA8 (and XA1): « oui, exactement », « oui pour moi c'est bon » at several
    people's confirmation were kept as the motive (« Motif : exactement ») and saved so. As
    for one person (UA1), only words that read as a motive are one: these are a yes, saved
    with no motive."""
    await trainer.says("Karim et Julie absents vendredi après-midi")
    await trainer.says(typed)
    assert "C'est noté : vendredi 20 novembre 2026, après-midi" in trainer.all_text, typed
    assert "Motif" not in trainer.all_text
    rows = await absences(db)
    assert len(rows) == 2 and {(a.period, a.reason) for a in rows} == {("apres_midi", None)}


@pytest.mark.parametrize(
    "typed", ["oui mais non", "oui, en fait non", "oui, 20 minutes", "oui, le matin"]
)
async def test_a_yes_taken_back_at_the_recap_keeps_nothing(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer XA8: « oui mais non » (SA1's own take-back), « oui, 20 minutes » at several
    people's confirmation became the motive (« Motif : mais non »). Read as one person's
    (SA1): the choice is asked again, nothing kept, nothing saved."""
    await trainer.says("Karim et Julie absents vendredi après-midi")
    await trainer.says(typed)
    assert "Motif" not in trainer.last, typed
    assert "C'est noté" not in trainer.all_text
    assert await step_of(db, trainer) == ("absence_group", "recap")
    await trainer.presses("Enregistrer")
    assert {a.reason for a in await absences(db)} == {None}


async def test_a_yes_with_a_justification_and_a_motive_keeps_both(
    db: Database, trainer: Person
) -> None:
    """Explorer XA8: « oui, injustifiée, malades », « oui non justifiée pour grève » dropped
    the motive silently; both are read, the recap shown again with them."""
    await trainer.says("Karim et Julie absents vendredi après-midi")
    await trainer.says("oui, injustifiée, malades")
    assert trainer.last.startswith("Noter une absence non justifiée, après-midi du vendredi")
    assert "Motif : malades" in trainer.last
    await trainer.presses("Enregistrer")
    assert {(a.justified, a.reason) for a in await absences(db)} == {(False, "malades")}


async def test_someone_else_too_after_the_yes_is_added_to_the_list(
    db: Database, trainer: Person
) -> None:
    """Explorer XA8: « oui, Léa aussi » saved Karim and Julie with the motive « Léa aussi »,
    Léa not noted. Decision: a name said with « aussi » after the yes is one more person,
    added when one trainee of the same formation bears it (the list shown again, nothing
    saved yet), asked otherwise as a name of the sentence is, with its candidates."""
    await trainer.says("Karim et Julie absents vendredi après-midi")
    await trainer.says("oui, Léa aussi")
    recap = trainer.last
    assert recap.startswith("Noter une absence non justifiée, après-midi du vendredi 20")
    assert "· Léa Martin" in recap and "Motif" not in recap
    await trainer.presses("Enregistrer")
    lea = await trainee_id(db, "Léa Martin")
    rows = await absences(db)
    assert len(rows) == 3 and lea in {a.trainee_id for a in rows}
    assert {a.reason for a in rows} == {None}
    await trainer.says("Karim et Julie absents jeudi après-midi")
    await trainer.says("oui, et Nadia aussi")  # another formation's: asked
    assert trainer.last.startswith(
        "Personne ne s'appelle « Nadia » dans la formation des autres : de qui s'agit-il ?"
    ), trainer.last
    assert trainer.buttons == ["Nadia Roux – Projet professionnel (démo)", "Ne pas le noter"]
    await trainer.presses("Nadia Roux – Projet professionnel (démo)")
    assert "· Nadia Roux" in trainer.last
    await trainer.presses("Enregistrer")
    assert len(await absences(db)) == 6


async def test_several_late_yes_with_minutes_are_the_minutes(db: Database, trainer: Person) -> None:
    """Explorer XA16: « oui, 20 minutes » to several people's retard was saved as the motive
    « 20 minutes », no minutes: they are the retard's length (as one person's, UA1)."""
    await trainer.says("Karim et Julie en retard ce matin")
    await trainer.says("oui, 20 minutes")
    assert "retard non justifié de 20 min" in trainer.last and "Motif" not in trainer.last, (
        trainer.last
    )
    await trainer.presses("Enregistrer")
    assert {(a.late_minutes, a.reason) for a in await absences(db)} == {(20, None)}


@pytest.mark.parametrize(
    "typed",
    [
        "Karim et Julie en retard vendredi après-midi de 20 min",
        "Karim et Julie en retard vendredi après-midi, 20 minutes",
    ],
)
async def test_several_late_keep_the_minutes_said_and_show_the_half_day(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer XA16: « Karim et Julie en retard vendredi après-midi de 20 min » saved both
    retards with no minutes (one person's keeps them), and the afternoon, saved, was said
    neither in the question nor in « C'est noté »."""
    await trainer.says(typed)
    assert trainer.last.startswith(
        "Noter un retard non justifié de 20 min, l'après-midi du vendredi 20 novembre 2026, pour :"
    ), trainer.last
    assert "Motif" not in trainer.last
    await trainer.presses("Enregistrer")
    assert trainer.last.startswith(
        "C'est noté : vendredi 20 novembre 2026, après-midi – Agent de restauration (démo).\n"
        "Retards de 20 min (2) : Karim Benali, Julie Petit."
    ), trainer.last
    rows = await absences(db)
    assert len(rows) == 2
    assert {(a.period, a.late_minutes, a.late_half, a.reason) for a in rows} == {
        ("retard", 20, "apres_midi", None)
    }


@pytest.mark.parametrize(
    "typed",
    [
        "Karim et Julie en retard vendredi matin de 1h15",
        "Karim et Julie en retard vendredi matin de 1 h 15",
    ],
)
async def test_several_late_keep_a_length_in_hours_said_after_the_day(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer ZA6: « Karim et Julie en retard vendredi matin de 1h15 » saved both retards
    with no minutes, « 1h15 » gone unsaid (« de 20 min » was kept); 75 minutes each, as
    before the day."""
    await trainer.says(typed)
    assert trainer.last.startswith(
        "Noter un retard non justifié de 1 h 15, le matin du vendredi 20 novembre 2026, pour :"
    ), trainer.last
    await trainer.presses("Enregistrer")
    assert {(a.period, a.late_minutes, a.late_half, a.reason) for a in await absences(db)} == {
        ("retard", 75, "matin", None)
    }


@pytest.mark.parametrize(
    ("typed", "minutes", "said"),
    [
        ("Karim et Julie en retard vendredi matin d'une heure", 60, "1 h"),
        ("Karim et Julie en retard vendredi matin d'une demi-heure", 30, "30 min"),
        ("Karim et Julie en retard vendredi matin de deux heures", 120, "2 h"),
        ("Karim et Julie en retard vendredi matin d'un quart d'heure", 15, "15 min"),
        ("Karim et Julie en retard vendredi matin d’une heure et demie", 90, "1 h 30"),
    ],
)
async def test_several_late_keep_a_length_in_words_said_after_the_day(
    db: Database, trainer: Person, typed: str, minutes: int, said: str
) -> None:
    """Explorer ZA6's rest: « Karim et Julie en retard vendredi matin d'une heure » saved both
    retards with no minutes, « d'une heure » gone unsaid (« de 1h15 » was kept, and « d'une
    heure » before the day). Now 60 minutes each, as before the day, said as one person's
    retard says it (explorer BB17: « de 90 min » where hers said « de 1 h 30 »)."""
    await trainer.says(typed)
    assert trainer.last.startswith(
        f"Noter un retard non justifié de {said}, le matin du vendredi 20 novembre 2026, pour :"
    ), trainer.last
    await trainer.presses("Enregistrer")
    assert {(a.period, a.late_minutes, a.late_half, a.reason) for a in await absences(db)} == {
        ("retard", minutes, "matin", None)
    }


async def test_a_train_s_hour_after_the_day_is_no_retard_s_length(
    db: Database, trainer: Person
) -> None:
    """Explorer ZA6's rest, the other way: a length in words is read after the day's words
    only; « le train de sept heures » stays a motive, as typed."""
    await trainer.says("Karim et Julie en retard vendredi matin, le train de sept heures")
    assert "de 420 min" not in trainer.last and "sept heures" in trainer.last, trainer.last


async def test_a_no_naming_another_trainee_asks_whom_she_replaces(
    db: Database, trainer: Person
) -> None:
    """Explorer KD2: « non, c'est Julie » to « Noter une absence … pour : · Karim Benali · Léa
    Martin » was « Je n'ai pas compris », « Abandonner » and a new sentence advised; whom Julie
    replaces is asked, never guessed, « Ajouter Julie Petit » adding her."""
    await trainer.says("Karim et Léa absents vendredi matin")
    await trainer.says("non, c'est Julie")
    assert trainer.last == (
        "« non, c'est Julie » : Julie Petit, à la place de qui ? Choisissez la personne à"
        " retirer de la liste, ou « Ajouter Julie Petit » pour noter aussi Julie Petit. Rien"
        " n'est encore noté."
    )
    assert trainer.buttons == [
        "Karim Benali",
        "Léa Martin",
        "Ajouter Julie Petit",
        "Ne rien changer",
    ]
    assert await absences(db) == []
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("bof")
    assert await step_of(db, trainer) == ("absence_group", "instead")
    await trainer.presses("Léa Martin")
    assert "· Karim Benali\n· Julie Petit" in trainer.last and "Léa Martin" not in trainer.last
    await trainer.presses("Enregistrer")
    assert sorted(await _names_of(db)) == ["Julie Petit", "Karim Benali"]


async def _names_of(db: Database) -> list[str]:
    async with db.sessions() as session:
        found = {t.id: t.full_name for t in (await session.execute(select(Trainee))).scalars()}
    return [found[a.trainee_id] for a in await absences(db)]


@pytest.mark.parametrize(
    ("pressed", "listed"),
    [
        ("Ajouter Julie Petit", "· Karim Benali\n· Léa Martin\n· Julie Petit"),
        ("Ne rien changer", "pour :\n· Karim Benali\n· Léa Martin"),
    ],
)
async def test_a_trainee_named_after_no_is_added_or_left_out(
    db: Database, trainer: Person, pressed: str, listed: str
) -> None:
    """Explorer KD2: « Ajouter Julie Petit » notes the three; « Ne rien changer » the list as
    it was, the confirmation asked again each time."""
    await trainer.says("Karim et Léa absents vendredi matin")
    await trainer.says("non c'est Julie Petit")
    await trainer.presses(pressed)
    assert trainer.last.startswith("Noter une absence non justifiée, matin du vendredi 20")
    assert listed in trainer.last and trainer.last.count("· ") == listed.count("· ")
    assert await absences(db) == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "non c'est Karim",
            "Karim Benali est déjà dans la liste : rien n'est changé, je vous repose la question.",
        ),
        (
            "non, c'est Karima",
            "Je ne trouve pas « Karima » parmi les stagiaires de vos formations : rien n'est"
            " encore noté. Les noms les plus proches : Karim Benali",
        ),
        ("non, Zorglub", "Je ne trouve pas « Zorglub » parmi les stagiaires de vos formations"),
        ("non, c'est <b>Julie</b>", "Je ne trouve pas « <b>Julie</b> » parmi les stagiaires"),
        ("non, c'est " + "z" * 5000, "Votre message est trop long"),
        ("non, c'est Julie\u202e", "Votre message contient des caractères de contrôle"),
        ("non il avait prévenu", "Je n'ai pas compris « non il avait prévenu » :"),
    ],
)
async def test_a_no_naming_nobody_new_is_not_understood(
    db: Database, trainer: Person, typed: str, said: str
) -> None:
    """Explorer KD2: someone already listed, a name nobody bears (with the closest names): said
    so, not « Je n'ai pas compris » as before (FC2); a hostile one refused, words that name
    nobody not understood; the list unchanged, nothing asked of whom it replaces."""
    await trainer.says("Karim et Léa absents vendredi matin")
    await trainer.says(typed)
    assert trainer.all_text.startswith(said), trainer.all_text
    assert "\u202e" not in trainer.all_text and len(trainer.all_text) < 2000
    assert "· Karim Benali\n· Léa Martin" in trainer.last
    assert await step_of(db, trainer) == ("absence_group", "recap")
    assert await absences(db) == []


async def test_a_no_naming_another_trainee_replaces_the_only_one_left(
    db: Database, trainer: Person
) -> None:
    """Explorer KD2: one person left in the list (« Zorglub » passed), « non, c'est Julie »
    replaces that one, as one person's confirmation does: nothing to ask."""
    await trainer.says("Karim et Zorglub absents vendredi matin")
    await trainer.presses("Ne pas le noter")
    await trainer.says("non, c'est Julie")
    assert trainer.last.endswith("pour :\n· Julie Petit")
    await trainer.presses("Enregistrer")
    assert await _names_of(db) == ["Julie Petit"]


async def test_a_no_naming_two_namesakes_guesses_neither(db: Database, trainer: Person) -> None:
    """Explorer KD2: « non, c'est Julie » when two trainees of one's formations are called Julie
    Petit picks neither: said not understood (FC2), the list unchanged."""
    await enrol(db, "Projet", "Julie Petit")
    await trainer.says("Karim et Léa absents vendredi matin")
    await trainer.says("non, c'est Julie")
    assert trainer.all_text.startswith("Je n'ai pas compris « non, c'est Julie » :")
    assert "· Karim Benali\n· Léa Martin" in trainer.last
    assert await step_of(db, trainer) == ("absence_group", "recap")
