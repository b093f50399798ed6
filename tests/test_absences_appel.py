"""/appel on the console: the roll call of a half-day, one confirmation, one transaction.

The demo's "Agent de restauration" group, by surname: 1. Karim Benali, 2. Léa Martin,
3. Hugo Moreau, 4. Julie Petit.  The clock says Monday 23 November 2026, 10 h in Paris.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from bot.app import build_engine, setup_logging
from bot.config import Settings
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from tests.auxil.absences import (
    FollowUp,
    absences,
    add_formation,
    audit_entries,
    rows,
    trainee_id,
)
from tests.auxil.colleague import nina_in_charge, told_in
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives


async def names_of(db: Database, rows_: list[object]) -> list[tuple[str, str]]:
    """(name, period) of absences, in id order."""
    async with db.sessions() as session:
        out = []
        for a in rows_:
            trainee = await session.get(Trainee, a.trainee_id)  # type: ignore[attr-defined]
            assert trainee is not None
            out.append((trainee.full_name, a.period))  # type: ignore[attr-defined]
        return out


async def start_morning_call(trainer: Person) -> None:
    await trainer.says("/appel")
    assert trainer.last.startswith("L'appel de quelle formation ?")
    await trainer.presses("Agent de restauration")
    assert trainer.last.startswith("L'appel de quand ?")
    await trainer.presses("Ce matin")


async def test_a_typed_call_is_confirmed_once_then_saved_with_its_audit(
    db: Database, trainer: Person
) -> None:
    await start_morning_call(trainer)
    assert trainer.last.startswith(
        "Appel du lundi 23 novembre 2026, matin – Agent de restauration (démo)"
    )
    assert trainer.buttons[:4] == [
        "✅ Karim Benali",
        "✅ Léa Martin",
        "✅ Hugo Moreau",
        "✅ Julie Petit",
    ]
    assert await step_of(db, trainer) == ("appel", "roll")
    for typed in (  # explorer E E12 e, explorer I
        "absents : 1, 3 ; retard : 4 de 20 min",
        "retard : 4 de 1h30",
        "retard : 4 (1h30)",
        "Julie 20 min de retard",
        "retard : Julie 45 min",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "L'appel note qui est en retard, sans la durée : tapez par exemple « absents : 1 ; "
            "retard : 3 »."
        ), typed
    assert await step_of(db, trainer) == ("appel", "roll")
    await trainer.says("absents : 1, 4 ; retard : 4")  # explorer AD10: « retard » kept unsaid
    assert trainer.last.startswith(
        "Votre message note Julie Petit à la fois en absence et en retard : lequel des deux ?"
    )
    assert await step_of(db, trainer) == ("appel", "roll")
    await trainer.says("absents : 1, 3 ; retard : 4")
    recap = trainer.last
    assert "Absences (2) : Karim Benali, Hugo Moreau." in recap
    assert "Retard (1) : Julie Petit." in recap
    assert "2 personnes présentes, dont 1 en retard." in recap  # Léa, and Julie who came late
    assert "Les absences et le retard seront notés non justifiés" in recap  # one late (AF7)
    assert await absences(db) == []  # nothing before the confirmation
    await trainer.presses("Enregistrer l'appel")
    said = trainer.all_text
    assert "Appel enregistré : lundi 23 novembre 2026, matin – Agent de restauration" in said
    assert "Absences non justifiées (2) : Karim Benali, Hugo Moreau." in said
    assert await step_of(db, trainer) == (None, None)
    saved = await absences(db)
    assert await names_of(db, saved) == [
        ("Karim Benali", "matin"),
        ("Hugo Moreau", "matin"),
        ("Julie Petit", "retard"),
    ]
    assert {(a.day, a.justified, a.late_minutes) for a in saved} == {
        (date(2026, 11, 23), False, None)
    }
    calls = [e for e in await audit_entries(db, "formation") if e.action == "rollcall"]
    assert len(calls) == 1
    details = calls[0].details
    assert (details["absent"], details["late"], details["present"]) == (2, 1, 2)
    assert details["source"] == "appel" and details["period"] == "matin"
    created = [e for e in await audit_entries(db, "absence") if e.action == "create"]
    assert len(created) == 3


async def test_buttons_cycle_present_absent_late_and_edit_the_list(
    db: Database, trainer: Person
) -> None:
    await start_morning_call(trainer)
    await trainer.presses("Karim Benali")
    assert trainer.replies[-1].edit_previous
    assert "❌ Karim Benali (absence)" in trainer.buttons
    await trainer.presses("Karim Benali")
    assert "⏰ Karim Benali (retard)" in trainer.buttons
    await trainer.presses("Léa Martin")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Hugo Moreau")  # back to present
    assert "✅ Hugo Moreau" in trainer.buttons
    await trainer.presses("Valider l'appel")
    assert "Absence (1) : Léa Martin." in trainer.last
    assert "Retard (1) : Karim Benali." in trainer.last
    # Typed numbers with what they mark still change the call at the confirmation.
    await trainer.says("absents : 4")
    assert "Absences (2) : Léa Martin, Julie Petit." in trainer.last
    await trainer.says("absent : 3")
    assert "Absences (3) : Léa Martin, Hugo Moreau, Julie Petit." in trainer.last
    await trainer.presses("Revoir la liste")
    assert "❌ Julie Petit (absence)" in trainer.buttons
    await trainer.says("présents : 3, 4")
    await trainer.presses("Enregistrer l'appel")
    assert await names_of(db, await absences(db)) == [
        ("Karim Benali", "retard"),
        ("Léa Martin", "matin"),
    ]


@pytest.mark.parametrize("typed", ["Enregistrer l'appel", "valider", "Valider l'appel"])
async def test_the_recap_s_words_typed_at_the_list_go_on_to_the_recap(
    trainer: Person, typed: str
) -> None:
    """Explorer BF9: « Enregistrer l'appel », the recap's button, typed at the list got « Je ne
    trouve pas « Enregistrer l'appel » dans la liste »; it goes on, as « Valider l'appel »."""
    await start_morning_call(trainer)
    await trainer.presses("Karim Benali")
    await trainer.says(typed)
    assert "Absence (1) : Karim Benali." in trainer.last, trainer.last


async def test_a_number_typed_at_the_recap_is_the_choice_shown_with_it(
    db: Database, trainer: Person
) -> None:
    await start_morning_call(trainer)
    await trainer.says("absents : 1")
    assert trainer.numbered == ["1. Enregistrer l'appel", "2. Revoir la liste", "3. Abandonner"]
    # Numbers alone at the recap are its choices, never trainees: they are not shown there.
    await trainer.says("2, 3")
    assert "dites ce qui change" in trainer.all_text
    assert "Absence (1) : Karim Benali." in trainer.last
    await trainer.says("1")
    assert "Appel enregistré" in trainer.all_text
    assert await names_of(db, await absences(db)) == [("Karim Benali", "matin")]


async def test_what_the_roll_does_not_find_is_quoted_as_typed(
    db: Database, trainer: Person
) -> None:
    """Explorer GD9: « Je ne trouve pas « 31 fevrier » dans la liste » quoted what was typed
    without its accents, at the list and at its recap; emojis alone at the recap are no
    name it could not find."""
    await start_morning_call(trainer)
    await trainer.says("31 février")
    assert trainer.all_text.startswith("Je ne trouve pas « 31 février » dans la liste")
    await trainer.says("absents : Zoé Élie, 1")
    assert trainer.all_text.startswith("Je ne trouve pas « Zoé Élie » dans la liste")
    await trainer.says("absents : 1")
    await trainer.says("retard : Hélène")
    assert trainer.all_text.startswith("Je ne trouve pas « Hélène » dans la liste")
    await trainer.says("😀🎉🔥")
    assert "Je ne trouve pas" not in trainer.all_text
    await trainer.says("Enregistrer")
    assert await names_of(db, await absences(db)) == [("Karim Benali", "matin")]


async def test_the_recap_is_saved_with_the_words_a_trainer_types(
    db: Database, trainer: Person
) -> None:
    """As reported: « Valider » at the recap was « not in the list », like « oui » and « ok »."""
    for number, said in enumerate(("Valider", "oui", "c'est bon", "Terminé"), start=1):
        await start_morning_call(trainer)  # each one noted is then locked: the next one
        await trainer.says(f"absents : {number}")
        await trainer.says(said)
        assert "Appel enregistré" in trainer.last, said
    assert len(await absences(db)) == 4


async def test_everybody_present_is_one_touch_and_audited(db: Database, trainer: Person) -> None:
    await start_morning_call(trainer)
    await trainer.says("tous présents")
    assert "Tout le monde est là : aucune absence à noter." in trainer.last
    assert "4 personnes présentes." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    assert "Tout le monde était là" in trainer.all_text
    assert await absences(db) == []
    calls = [e for e in await audit_entries(db, "formation") if e.action == "rollcall"]
    assert [c.details["present"] for c in calls] == [4]


async def test_everybody_present_but_someone_marks_that_one_absent(
    db: Database, trainer: Person
) -> None:
    """Explorer CB5: « tous présents sauf Karim », the list's own « tous présents » with its
    exception, was answered « Je ne trouve pas « tous » dans la liste : tapez … « tous » »."""
    await start_morning_call(trainer)
    await trainer.presses("Julie Petit")  # absent first: « tous présents » makes her present
    await trainer.says("tous présents sauf Karim")
    assert "Absence (1) : Karim Benali." in trainer.last, trainer.all_text
    assert "3 personnes présentes." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    assert await names_of(db, await absences(db)) == [("Karim Benali", "matin")]


async def test_everybody_present_but_someone_late_marks_that_one_late(
    db: Database, trainer: Person
) -> None:
    """Explorer DC1: « tous présents sauf Karim en retard » was answered « Je ne trouve pas
    « Karim en retard » dans la liste », Karim on it: he is late, the others present."""
    await start_morning_call(trainer)
    await trainer.presses("Julie Petit")  # absent first: « tous présents » makes her present
    await trainer.says("tous présents sauf Karim en retard")
    assert "Je ne trouve pas" not in trainer.all_text, trainer.all_text
    assert "Retard (1) : Karim Benali." in trainer.last, trainer.all_text
    assert "4 personnes présentes, dont 1 en retard." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    assert await names_of(db, await absences(db)) == [("Karim Benali", "retard")]


async def test_a_half_day_already_noted_is_shown_reported_and_not_doubled(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence karim ce matin")
    await trainer.presses("Oui")  # the date
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await start_morning_call(trainer)
    assert "🔒 Karim Benali (déjà noté : matin)" in trainer.buttons
    await trainer.presses("Karim Benali")
    assert "déjà notée (matin)" in trainer.last and "/absences" in trainer.last
    await trainer.says("absents : 1, 2")
    # Karim left as noted, and said; Léa's absence taken all the same (explorer D: the
    # whole line was thrown away, and « Enregistrer » then saved everybody present).
    assert "Pour 1. Karim Benali, cette demi-journée est déjà notée (matin)" in trainer.all_text
    assert "Absence (1) : Léa Martin." in trainer.last
    await trainer.says("absents : tous")
    assert "Absences (3) : Léa Martin, Hugo Moreau, Julie Petit." in trainer.last
    assert "Déjà noté, laissé tel quel : Karim Benali (matin)." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    saved = await absences(db)
    assert len(saved) == 4
    assert [n for n, _ in await names_of(db, saved)].count("Karim Benali") == 1


async def test_those_already_noted_are_said_in_one_line(db: Database, trainer: Person) -> None:
    """The recap said « Déjà noté, laissé tel quel : … » once for each person already noted:
    those noted alike now share one line."""
    await trainer.says("Karim et Julie absents ce matin")
    await trainer.presses("Enregistrer")
    await start_morning_call(trainer)
    await trainer.says("absents : 2")
    assert "Déjà noté, laissé tel quel : Karim Benali et Julie Petit (matin).\n" in trainer.last
    assert trainer.last.count("Déjà noté") == 1
    await trainer.presses("Enregistrer l'appel")
    assert len(await absences(db)) == 3


async def test_a_morning_call_s_second_late_arrival_is_that_of_the_morning(
    db: Database, trainer: Person
) -> None:
    """Explorer KF18: Julie's retard noted that day without its half-day, the morning's call
    read « celui de l'matin sera noté comme un second retard »."""
    await trainer.says("Julie en retard de 20 min")
    await trainer.presses("Oui, noter")  # today's, said in the question (LA1)
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await start_morning_call(trainer)
    await trainer.says("retard : 4")
    assert (
        "Julie Petit a déjà un retard noté ce jour-là : celui du matin sera noté comme un second"
        " retard." in trainer.last
    ), trainer.last


async def test_the_afternoon_call_notes_its_own_late_arrival_and_only_once(
    db: Database, trainer: Person
) -> None:
    """Explorer U U7: the afternoon's call announced Julie's lateness, then dropped it as
    « déjà noté »: the morning's was taken for it."""
    await start_morning_call(trainer)
    await trainer.says("retard : 4")
    assert "Le retard sera noté non justifié" in trainer.last  # no absence (AD10), one (AF7)
    assert "Les absences" not in trainer.last
    await trainer.presses("Enregistrer l'appel")
    await trainer.says("/appel")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Cet après-midi")
    assert "✅ Julie Petit" in trainer.buttons  # the morning's lateness is not this one
    await trainer.says("retard : 4")
    assert (
        "Julie Petit a déjà un retard noté ce jour-là : celui de l'après-midi sera noté "
        "comme un second retard." in trainer.last
    )
    await trainer.presses("Enregistrer l'appel")
    assert "Retard (1) : Julie Petit." in trainer.last and "Déjà noté" not in trainer.last
    late = [a for a in await absences(db) if a.period == "retard"]
    assert sorted((a.late_half, a.late_rank) for a in late) == [("apres_midi", 2), ("matin", 1)]
    # The afternoon called again (a colleague): Julie's is noted, not a third one.
    await trainer.says("/appel")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Cet après-midi")
    assert "🔒 Julie Petit (déjà noté : retard l'après-midi)" in trainer.buttons
    assert len([a for a in await absences(db) if a.period == "retard"]) == 2


async def test_a_whole_day_call_still_marks_the_half_day_left(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F4): noted for the morning, Karim was locked for the whole day's call."""
    await trainer.says("/absence karim ce matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await trainer.says("/appel restauration aujourd'hui")
    await trainer.presses("Toute la journée")
    assert "✅ Karim Benali (matin déjà noté)" in trainer.buttons
    await trainer.presses("Karim Benali")
    assert "❌ Karim Benali (absence l'après-midi, matin déjà noté)" in trainer.buttons
    await trainer.presses("Valider l'appel")
    assert "Absence (1) : Karim Benali (l'après-midi)." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    karim = (await absences(db))[-1]
    assert (karim.period, karim.day) == ("apres_midi", date(2026, 11, 23))
    assert sorted(a.period for a in await absences(db)) == ["apres_midi", "matin"]


async def test_repeated_absences_get_one_summary_and_one_offer(
    db: Database, trainer: Person
) -> None:
    for line in ("/absence karim vendredi dernier matin", "/absence hugo vendredi dernier matin"):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    await start_morning_call(trainer)
    await trainer.says("absents : 1, 2, 3")
    await trainer.presses("Enregistrer l'appel")
    said = trainer.all_text
    assert "Signes de décrochage :" in said
    assert "· Karim Benali : 2 absences non justifiées en 14 jours → ouvrir un suivi" in said
    assert "· Hugo Moreau : 2 absences non justifiées en 14 jours" in said
    assert "Léa Martin :" not in said
    assert said.count("Attention") == 0  # one summary, not one warning per person
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    assert trainer.buttons == ["Karim Benali", "Hugo Moreau", "Pas maintenant"]
    signals = [e for e in await audit_entries(db, "trainee") if e.action == "repeated_absence"]
    assert len(signals) == 2
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Hugo Moreau")
    assert "Quels signes de décrochage avez-vous observés chez Hugo Moreau" in trainer.last
    assert "☑ Absences répétées" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Non")  # not subcontracted
    await trainer.presses("Ouvrir le suivi")
    followups = await rows(db, FollowUp)
    assert [(f.trainee_id, f.path) for f in followups] == [
        (await trainee_id(db, "Hugo Moreau"), "long")
    ]
    deadlines = await rows(db, StoredDeadline, subject="followup", subject_id=followups[0].id)
    assert {d.rule_id for d in deadlines} == {"ELY-LONG"}
    assert any(d.key.startswith("ELY-LONG-ENTRETIEN:followup:") for d in deadlines)

    # The next call: Hugo's follow-up is open, Karim's is still to open.
    await trainer.says("/appel restauration cet après-midi")
    await trainer.says("absents : 1, 3")
    await trainer.presses("Enregistrer l'appel")
    said = trainer.all_text
    assert "· Hugo Moreau : " in said and "suivi déjà ouvert, à poursuivre" in said
    assert trainer.buttons == ["Karim Benali", "Pas maintenant"]
    await trainer.presses("Pas maintenant")
    declined = [e for e in await audit_entries(db, "trainee") if e.action == "decline_followup"]
    assert [e.entity_id for e in declined] == [await trainee_id(db, "Karim Benali")]


async def test_a_typed_day_is_confirmed_and_the_line_fills_what_it_can(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/appel")
    await trainer.presses("Agent de restauration")
    await trainer.says("hier après-midi")
    assert "J'ai compris : dimanche 22 novembre 2026, l'après-midi." in trainer.last
    await trainer.presses("Oui")
    assert trainer.last.startswith("Appel du dimanche 22 novembre 2026, après-midi")
    await trainer.says("/annuler")
    await trainer.says("/appel projet ce matin")
    assert trainer.last.startswith("Appel du lundi 23 novembre 2026, matin – Projet professionnel")
    await trainer.says("/annuler")
    await trainer.says("/appel demain matin")
    assert "est à venir" in trainer.all_text
    assert trainer.last.startswith("L'appel de quelle formation ?")
    await trainer.presses("Projet")
    await trainer.says("lundi prochain")
    assert "est à venir" in trainer.last
    await trainer.presses("Un autre jour")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("vendredi")
    await trainer.presses("Oui")
    assert trainer.last.startswith("Quelle demi-journée, ce vendredi 20 novembre 2026 ?")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Toute la journée")
    assert trainer.last.startswith("Appel du vendredi 20 novembre 2026, journée")
    await trainer.presses("Tous présents")
    assert "Tout le monde est là" in trainer.last


async def test_a_corrected_day_drops_the_half_day_typed_with_the_first(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/appel restauration vendredi après-midi")
    assert "J'ai compris : vendredi 20 novembre 2026, l'après-midi." in trainer.last
    await trainer.presses("Non")
    await trainer.says("jeudi")
    assert "J'ai compris : jeudi 19 novembre 2026." in trainer.last
    await trainer.presses("Oui")
    assert trainer.last.startswith("Quelle demi-journée, ce jeudi 19 novembre 2026 ?")
    await trainer.presses("Le matin")
    assert trainer.last.startswith("Appel du jeudi 19 novembre 2026, matin")
    await trainer.says("/annuler")
    await trainer.says("/appel restauration vendredi après-midi")
    await trainer.says("jeudi matin")  # another day typed instead of « Non »: its own half-day
    assert "J'ai compris : jeudi 19 novembre 2026, le matin." in trainer.last
    await trainer.says("jeudi retard")  # a late arrival is marked in the list, not with the day
    assert "J'ai compris : jeudi 19 novembre 2026." in trainer.last
    await trainer.presses("Oui")
    assert trainer.last.startswith("Quelle demi-journée, ce jeudi 19 novembre 2026 ?")


async def test_one_formation_running_skips_the_question(db: Database, trainer: Person) -> None:
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation)
            .where(Formation.title.startswith("Projet"))
            .values(end_date=date(2026, 11, 1))
        )
    await trainer.says("/appel ce matin")
    assert trainer.last.startswith("Appel du lundi 23 novembre 2026, matin – Agent de restauration")


async def test_entry_and_exit_dates_and_a_day_with_nobody(db: Database, trainer: Person) -> None:
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Trainee)
            .where(Trainee.full_name == "Léa Martin")
            .values(left_on=date(2026, 11, 20), exit_reason="abandon")
        )
        await session.execute(
            update(Trainee)
            .where(Trainee.full_name == "Hugo Moreau")
            .values(entered_on=date(2026, 11, 23))
        )
    await trainer.says("/appel restauration vendredi matin")
    await trainer.presses("Oui")
    names = [b for b in trainer.buttons if b.startswith("✅")]
    assert names == ["✅ Karim Benali", "✅ Léa Martin", "✅ Julie Petit"]
    await trainer.says("/annuler")
    await trainer.says("/appel restauration ce matin")
    names = [b for b in trainer.buttons if b.startswith("✅")]
    assert names == ["✅ Karim Benali", "✅ Hugo Moreau", "✅ Julie Petit"]
    await trainer.says("/annuler")
    await trainer.says("/appel restauration le 1er octobre matin")
    await trainer.presses("Oui")
    assert "Personne n'était inscrit" in trainer.all_text
    assert trainer.last.startswith("L'appel de quand ?")


async def test_a_big_group_is_paged_with_the_whole_list_numbers(
    db: Database, trainer: Person
) -> None:
    group = tuple(
        f"Personne{chr(65 + n // 26)}{chr(97 + n % 26)} Stagiaire{n:02d}" for n in range(25)
    )
    await add_formation(db, title="Grand groupe", trainees=group)
    await trainer.says("/appel grand groupe ce matin")
    assert len([b for b in trainer.buttons if b.startswith("✅")]) == 20
    assert "Page 1 sur 2" in trainer.last
    assert [c.number for c in trainer.replies[-1].choices][:2] == [1, 2]
    await trainer.presses("Suivants")
    numbers = [c.number for c in trainer.replies[-1].choices if c.number is not None]
    assert numbers == [21, 22, 23, 24, 25]
    await trainer.says("absents : 2, 22-24 ; retard : 25")
    assert "Absences (4)" in trainer.last and "Retard (1) : PersonneAy Stagiaire24." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    assert len(await absences(db)) == 5
    await trainer.says("/appel grand groupe cet après-midi")
    await trainer.says("absents : 26")
    assert "entre 1 et 25" in trainer.last


async def test_a_restart_in_the_middle_keeps_the_marks(
    db: Database, trainer: Person, settings: Settings, clock: Clock
) -> None:
    await start_morning_call(trainer)
    await trainer.presses("Karim Benali")
    await trainer.presses("Julie Petit")
    await trainer.presses("Julie Petit")
    # A new engine (the process restarted): the conversation state is all there is.
    again = Person(build_engine(db, settings, clock=clock), "formateur")
    await again.says("valider")
    assert "Absence (1) : Karim Benali." in again.last
    assert "Retard (1) : Julie Petit." in again.last
    await again.says("Enregistrer l'appel")
    assert len(await absences(db)) == 2


async def test_hostile_input_at_every_step(db: Database, trainer: Person) -> None:
    await trainer.says("/appel")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("n'importe quoi")
    assert "Je n'ai pas compris ce jour" in trainer.last
    await trainer.presses("Ce matin")
    await survives(db, trainer, FOR_CHOICES)
    for typed in ("absents :", "retard", "absents : zorro", "absents : 9", "3-99", "; ; ;"):
        await trainer.says(typed)
        assert await step_of(db, trainer) == ("appel", "roll"), typed
        assert trainer.last.strip()
    await trainer.says("aide")
    assert "une fois : absence, deux fois : retard" in trainer.all_text
    assert await step_of(db, trainer) == ("appel", "roll")
    await trainer.says("absents : 1")
    await survives(db, trainer, FOR_CHOICES)
    assert await absences(db) == []
    await trainer.presses("Abandonner")
    assert "je n'enregistre rien" in trainer.last
    assert await absences(db) == []


async def test_no_names_in_the_logs(
    db: Database, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    setup_logging("DEBUG")  # what `formabot run` does with FORMABOT_LOG_LEVEL=DEBUG
    caplog.set_level(logging.DEBUG)
    try:
        await start_morning_call(trainer)
        await trainer.says("absents : Karim, Julie")
        await trainer.presses("Enregistrer l'appel")
        logged, records = caplog.text, len(caplog.records)
    finally:
        for name in ("aiosqlite", "asyncio", "httpx", "httpcore", "nio"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert records, "the run logged nothing: the capture is not working"
    assert len(await absences(db)) == 2
    for name in ("Karim", "Julie", "Benali", "Petit"):
        assert name not in logged


async def test_strangers_and_other_roles_cannot_call(
    db: Database, person: Callable[..., Person], demo: None
) -> None:
    stranger = person("inconnu")
    await stranger.says("/appel")
    assert await step_of(db, stranger) == (None, None)
    assert "Appel du" not in stranger.all_text


async def test_a_call_on_a_day_off_is_pointed_out_once(trainer: Person, clock: Clock) -> None:
    """Explorer DE14: a roll call on a Sunday was taken without a word, while /absence asks."""
    clock.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # Sunday, 10 h in Paris
    await start_morning_call(trainer)
    assert (
        "Le dimanche 22 novembre 2026 est un jour sans cours d'habitude (week-end ou jour "
        "férié) : si ce n'est pas le bon jour, tapez /annuler et refaites l'appel avec le bon."
    ) in trainer.all_text
    await trainer.says("absents : 1")
    assert "jour sans cours" not in trainer.all_text  # once


async def test_a_day_that_cannot_be_is_said_never_today_called_instead(
    db: Database, trainer: Person
) -> None:
    """Explorer HA6: « /appel 31 février matin » took « 31 février » for a formation's name,
    then opened the roll call of today, the day typed dropped unsaid; « le 31 février » was
    the 31st of October. The words of every date question say what is wrong, and the day is
    asked."""
    await trainer.says("/appel 31 février matin")
    assert trainer.all_text.startswith(
        "Le 31 février n'existe pas. Donnez une autre date, par exemple « vendredi 20 novembre"
        " matin »."
    )
    assert "Je ne reconnais pas la formation" not in trainer.all_text
    await trainer.presses("Agent de restauration")
    assert trainer.last.startswith("L'appel de quand ?")  # not « Appel du lundi 23 novembre »
    await trainer.says("/annuler")
    await trainer.says("/appel restauration le 12/03/2226 matin")
    assert trainer.all_text.startswith("L'année 2226 semble fausse : vérifiez-la")
    assert trainer.last.startswith("L'appel de quand ?")
    await trainer.says("/annuler")
    await trainer.says("/appel restauration le 31 février")
    assert trainer.all_text.startswith("Le 31 février n'existe pas.")
    assert "octobre" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/appel restauration le 45 matin")
    assert trainer.all_text.startswith("Je n'ai pas compris la date « le 45 ».")
    assert trainer.last.startswith("L'appel de quand ?")
    await trainer.says("31 février matin")  # typed at « L'appel de quand ? » too
    assert trainer.last.startswith("Le 31 février n'existe pas.")
    await trainer.says("mardi 10 novembre matin")  # a Tuesday, the 10th: taken
    await trainer.presses("Oui")
    assert trainer.last.startswith("Appel du mardi 10 novembre 2026, matin")
    assert await absences(db) == []


async def test_a_title_with_a_number_is_the_formation_not_part_of_the_day(
    db: Database, trainer: Person
) -> None:
    """Explorer JA10: with a formation « Groupe 3 », « /appel groupe 3 mardi 10 novembre
    matin » read « groupe » as the formation and « 3 mardi » as a date it could not read. The
    formations' own titles are matched first (the longest the line starts with, case and
    accents aside); the rest is the day."""
    for title in ("Groupe 2", "Groupe 3", "CAP 1", "Promo 2026"):
        await add_formation(db, title=title)
    await trainer.says("/appel groupe 3 mardi 10 novembre matin")
    assert trainer.all_text == "J'ai compris : mardi 10 novembre 2026, le matin. C'est bien ça ?"
    await trainer.presses("Oui")
    assert trainer.last.startswith("Appel du mardi 10 novembre 2026, matin – Groupe 3")
    await trainer.says("/annuler")
    for line, title in (
        ("/appel GROUPE 2 hier après-midi", "Groupe 2"),
        ("/appel cap 1 vendredi 20 novembre matin", "CAP 1"),
        ("/appel Promo 2026 le 10 novembre matin", "Promo 2026"),
    ):
        await trainer.says(line)
        assert trainer.all_text.startswith("J'ai compris : "), line
        await trainer.presses("Oui")
        assert f"matin – {title}" in trainer.last or f"après-midi – {title}" in trainer.last
        await trainer.says("/annuler")
    await trainer.says("/appel groupe 3 31 février matin")
    assert trainer.all_text.startswith("Le 31 février n'existe pas.")
    assert "formation" not in trainer.all_text
    assert trainer.last.startswith("L'appel de quand ?")  # Groupe 3 kept, the day asked
    await trainer.says("mardi 10 novembre matin")
    await trainer.presses("Oui")
    assert trainer.last.startswith("Appel du mardi 10 novembre 2026, matin – Groupe 3")
    await trainer.says("/annuler")
    await trainer.says("/appel groupe 3 le 45 matin")
    assert trainer.all_text.startswith("Je n'ai pas compris la date « le 45 ».")
    assert "formation" not in trainer.all_text


SIGNS = "decrochage-signs:"
"""The outbox key of décrochage signs told to the trainer in charge (explorer KB9)."""


async def two_absences_then_a_call(trainer: Person) -> None:
    for line in ("/absence karim vendredi dernier matin", "/absence hugo vendredi dernier matin"):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    await start_morning_call(trainer)
    await trainer.says("absents : 1, 2, 3")
    await trainer.presses("Enregistrer l'appel")


async def test_an_administrator_s_call_tells_the_trainer_in_charge_of_the_signs(
    db: Database, trainer: Person
) -> None:
    """Explorer KB9: Claire (administrator) taking the call of Bruno's formation read the
    décrochage signs alone; Bruno, who holds the entretiens, heard nothing, and « Pas
    maintenant » lost them."""
    await nina_in_charge(db)
    await two_absences_then_a_call(trainer)
    assert (
        "J'envoie ces signes de décrochage à Nina Colleague, en charge de « Agent de "
        "restauration (démo) »."
    ) in trainer.all_text
    await trainer.presses("Pas maintenant")
    (to_nina,) = await told_in(db, key=SIGNS)
    assert to_nina.startswith(
        "Camille Durand a fait l'appel de votre formation « Agent de restauration (démo) » : "
        "lundi 23 novembre 2026, matin.\n\nSignes de décrochage :\n"
    )
    assert "Signes de décrochage :" in to_nina
    assert (
        "· Karim Benali : 2 absences non justifiées en 14 jours → ouvrir un suivi : "
        "/decrochage Karim Benali"
    ) in to_nina
    assert "· Hugo Moreau : 2 absences non justifiées en 14 jours" in to_nina
    assert "Léa Martin" not in to_nina
    # The next call's absence is a new sign for Karim alone: told, once.
    await trainer.says("/appel restauration cet après-midi")
    await trainer.says("absents : 1")
    await trainer.presses("Enregistrer l'appel")
    told = await told_in(db, key=SIGNS)
    assert len(told) == 2 and "lundi 23 novembre 2026, après-midi." in told[1]
    assert "· Karim Benali :" in told[1] and "Hugo Moreau" not in told[1]


async def test_a_trainer_in_charge_without_a_chat_is_left_to_the_caller(
    db: Database, trainer: Person
) -> None:
    """Explorer KB9: no chat to write to her in, the person who called is asked to."""
    await nina_in_charge(db, chat=False)
    await two_absences_then_a_call(trainer)
    assert (
        "Je ne peux pas écrire à Nina Colleague, en charge de « Agent de restauration (démo) » : "
        "pensez à lui transmettre ces signes de décrochage."
    ) in trainer.all_text


async def test_her_own_call_tells_nobody_else(db: Database, trainer: Person) -> None:
    """Explorer KB9: the trainer in charge calling reads the signs, and nothing is queued."""
    await two_absences_then_a_call(trainer)
    assert "Signes de décrochage :" in trainer.all_text
    assert "J'envoie ces signes" not in trainer.all_text
    assert await told_in(db, "c", key=SIGNS) == []
    async with db.sessions() as session:
        keys = (await session.scalars(select(OutboxMessage.key))).all()
    assert not [k for k in keys if k.startswith("decrochage-signs:")]


async def test_an_administrator_s_one_absence_tells_the_trainer_in_charge_of_the_sign(
    db: Database, trainer: Person
) -> None:
    """Explorer KB9, « Same question for a sentence »: one absence noted by an administrator
    reaching a sign in a colleague's formation is told to its trainer as a call's are."""
    await nina_in_charge(db)
    for line in ("/absence karim vendredi dernier matin", "/absence karim ce matin"):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    assert "J'envoie ces signes de décrochage à Nina Colleague" in trainer.all_text
    (to_nina,) = await told_in(db, key=SIGNS)
    assert to_nina.startswith(
        "Camille Durand a noté une absence dans votre formation « Agent de restauration "
        "(démo) » : Karim Benali, matin du lundi 23 novembre 2026.\n"
    )
    assert "· Karim Benali : 2 absences non justifiées en 14 jours → ouvrir un suivi" in to_nina


async def test_a_no_naming_another_trainee_at_the_recap_asks_whom_she_replaces(
    db: Database, trainer: Person
) -> None:
    """Explorer KD2: « non, c'est Julie » at « Enregistrer l'appel ? » got « Je ne trouve pas
    « non » dans la liste »; whom Julie replaces among those marked is asked, never guessed:
    she takes that one's mark, who is counted present; « Ajouter » marks her absent too."""
    await start_morning_call(trainer)
    await trainer.says("absents : 2 ; retard : 1")
    assert "Absence (1) : Léa Martin." in trainer.last
    await trainer.says("non, c'est Julie")
    assert trainer.last == (
        "« non, c'est Julie » : Julie Petit, à la place de qui ? Choisissez la personne à"
        " remplacer : Julie Petit prend son absence ou son retard, et cette personne est"
        " comptée présente. Ou « Ajouter Julie Petit » pour noter aussi l'absence de Julie"
        " Petit. Rien n'est encore noté."
    )
    assert trainer.buttons == [
        "Karim Benali (retard)",
        "Léa Martin (absence)",
        "Ajouter Julie Petit",
        "Ne rien changer",
    ]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("bof")
    assert trainer.all_text.startswith("Je n'ai pas reconnu ce choix.")
    await trainer.presses("Léa Martin (absence)")
    assert "Absence (1) : Julie Petit." in trainer.last and "Léa" not in trainer.last
    await trainer.says("non c'est Hugo")
    await trainer.presses("Ajouter Hugo Moreau")
    assert "Absences (2) : Hugo Moreau, Julie Petit." in trainer.last, trainer.last
    await trainer.says("non, c'est Léa")
    await trainer.presses("Ne rien changer")
    assert "Absences (2) : Hugo Moreau, Julie Petit." in trainer.last
    await trainer.presses("Enregistrer l'appel")
    assert sorted(await names_of(db, await absences(db))) == [
        ("Hugo Moreau", "matin"),
        ("Julie Petit", "matin"),
        ("Karim Benali", "retard"),
    ]


async def test_a_no_naming_another_trainee_takes_the_only_mark(
    db: Database, trainer: Person
) -> None:
    """Explorer KD2: one person marked, « non, c'est Julie » gives Julie that mark, nothing to
    ask; a name nobody of the call bears is refused as before, nothing moved."""
    await start_morning_call(trainer)
    await trainer.says("absents : 1")
    await trainer.says("non, c'est Julie")
    assert "Absence (1) : Julie Petit." in trainer.last and "Karim" not in trainer.last
    await trainer.says("non, c'est Zorglub")
    assert trainer.all_text.startswith("Je ne trouve pas")
    assert "Absence (1) : Julie Petit." in trainer.last


async def test_a_no_naming_someone_who_cannot_take_a_mark_says_why_and_changes_nothing(
    db: Database, trainer: Person
) -> None:
    """Explorer KD2: « non, c'est Léa » with Léa already marked, « non, c'est Zorglub » (no
    trainee of the call) got « Je ne trouve pas « non » dans la liste »; now what stands in the
    way is said, the recap asked again, nothing moved nor saved."""
    await start_morning_call(trainer)
    await trainer.says("absents : 2 ; retard : 1")
    recap = trainer.last
    await trainer.says("non, c'est Léa")
    assert trainer.all_text.startswith(
        "L'absence de Léa Martin est déjà notée dans cet appel : rien n'est changé. Je vous"
        " repose la question."
    )
    assert trainer.last.endswith(recap)
    await trainer.says("non, Karim")
    assert trainer.all_text.startswith(
        "Le retard de Karim Benali est déjà noté dans cet appel : rien n'est changé."
    )
    await trainer.says("non, c'est Zorglub")
    assert trainer.all_text.startswith(
        "Je ne trouve pas « Zorglub » parmi les stagiaires de cette formation : rien n'est changé."
    )
    await trainer.says("non c'est Juli")
    assert trainer.all_text.startswith(
        "Je ne trouve pas « Juli » parmi les stagiaires de cette formation : rien n'est changé."
        " Les noms les plus proches : Julie Petit"
    )
    await trainer.says("non, c'est <b>Zorglub</b>")  # quoted as typed, escaped where markup is read
    assert trainer.all_text.startswith("Je ne trouve pas « <b>Zorglub</b> » parmi")
    assert trainer.last.endswith(recap)
    for typed in ("non, c'est \u202eZorglub", "non, c'est " + "z" * 5000):
        await trainer.says(typed)
        assert trainer.all_text.startswith("Je ne trouve pas « "), typed
        assert "\u202e" not in trainer.all_text and len(trainer.all_text) < 2000
        assert trainer.last.endswith(recap)
    await trainer.says("non, ")
    assert trainer.last.endswith(recap)
    await trainer.presses("Enregistrer l'appel")
    assert sorted(await names_of(db, await absences(db))) == [
        ("Karim Benali", "retard"),
        ("Léa Martin", "matin"),
    ]


async def test_a_no_naming_someone_when_nobody_is_marked_says_how_to_mark(
    db: Database, trainer: Person
) -> None:
    """Everybody present, « non, c'est Julie » has nobody to replace: said how to mark her,
    nothing noted."""
    await start_morning_call(trainer)
    await trainer.says("tous présents")
    await trainer.says("non, c'est Julie")
    assert trainer.all_text.startswith(
        "Personne n'est noté absent ni en retard dans cet appel : rien n'est changé. Pour noter"
        " l'absence de Julie Petit, écrivez par exemple « absents : Julie Petit »."
    )
    await trainer.says("absents : Julie Petit")
    assert "Absence (1) : Julie Petit." in trainer.last
