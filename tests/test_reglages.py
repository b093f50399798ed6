"""The organisation settings by chat (``/reglages``), and where the digest goes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Membership, Organisation, Role
from bot.storage.people import Person as P
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.test_bilan import schedule

TABLE = "Tableau de suivi des orientations pour les Parcours Métiers"
DOCS = "Bilan pédagogique à la personne chargée de mission (heures avant le bilan)"


async def organisation(db: Database) -> Organisation:
    async with db.sessions() as session:
        org = await session.scalar(select(Organisation))
    assert org is not None
    return org


async def deadlines(db: Database, rule_id: str) -> list[StoredDeadline]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline)
            .where(StoredDeadline.rule_id == rule_id)
            .order_by(StoredDeadline.id)
        )
        return list(rows.all())


async def pick(who: Person, label: str) -> None:
    """Press the setting whose label starts with ``label``, turning pages as a person would."""
    for _ in range(5):
        if any(b.startswith(label) for b in who.buttons):
            await who.presses(label)
            return
        await who.presses("Suivants")
    raise AssertionError(f"no setting {label!r}")


def shown(who: Person, label: str) -> str:
    return next(b for b in who.buttons if b.startswith(label))


async def test_cvl_table_is_off_with_its_reason_and_can_be_switched_on(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/echeances")  # computes the demo's deadlines
    assert await deadlines(db, "CVL-TABLE") == []
    await trainer.says("/reglages")
    assert "Réglages de l'organisme : Organisme de démonstration." in trainer.last
    assert "à 8 h, en message privé à chaque membre de l'administration" in trainer.last
    await trainer.presses("Suivants")
    assert shown(trainer, TABLE) == f"{TABLE} : désactivé"
    await trainer.presses(TABLE)
    text = trainer.last
    assert "Pourquoi désactivé par défaut" in text
    assert "le bilan collectif de formation (001, PRF 2021-2024)" in text  # named (AA9)
    assert "le texte le plus récent l'emporte" in text
    assert (
        "Région Centre-Val de Loire – entrée en formation du groupe de chaque session (pièces "
        "pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002), §1)" in text
    )
    assert "CVL-TABLE" not in text  # its code, no one's words (explorer Z, Z7)
    assert "Valeur actuelle : désactivé (valeur par défaut)" in text
    await trainer.presses("Activer")
    assert f"activé pour « {TABLE} »" in trainer.last
    assert "1 ajoutée" in trainer.last  # one table per session: the demo's has none
    org = await organisation(db)
    assert org.settings == {"cvl_table_parcours_metiers": True}
    rows = await deadlines(db, "CVL-TABLE")
    entered = date(2026, 9, 21)  # the demo's start: the Monday of the week 60 days ago
    assert [r.due_on for r in rows] == [entered + timedelta(days=10)]

    await trainer.says("/reglages")
    await trainer.presses("Suivants")
    assert shown(trainer, TABLE) == f"{TABLE} : activé"
    await trainer.presses(TABLE)
    await trainer.presses("Valeur par défaut")
    assert "1 retirée" in trainer.last
    assert (await organisation(db)).settings == {}
    assert await deadlines(db, "CVL-TABLE") == []


async def test_a_delay_is_typed_within_its_bounds_and_moves_the_deadlines(
    db: Database, trainer: Person
) -> None:
    await schedule(trainer)
    await trainer.says("/reglages")
    # Days counted as the calendar counts them, said where the numbers are chosen (AS9).
    assert "ils se comptent en jours calendaires" in trainer.all_text
    # A delay after an event may go to the working day after it (explorer KB4: « le jour ouvré
    # d'avant » alone, where a compte rendu due the Sunday after a Saturday entretien is the
    # Monday's).
    assert (
        "une échéance qui tombe un jour chômé est signalée avec le jour ouvré d'avant, ou avec "
        "celui d'après quand celui d'avant précéderait l'absence, l'entretien, le bilan ou la fin "
        "de formation dont elle découle)"
    ) in trainer.all_text
    await pick(trainer, DOCS)
    text = trainer.last
    assert "48h avant maximum" in text and "entre 48 et 336" in text
    await trainer.says("24")
    assert (
        "entre 48 et 336" in trainer.last and "on peut l'avancer, pas le retarder" in trainer.last
    )
    await trainer.says("trois jours")
    assert "Tapez un nombre entier entre 48 et 336" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    assert (await organisation(db)).settings == {}
    await trainer.says("72 h")
    assert f"72 pour « {DOCS} »" in trainer.last and "1 déplacée" in trainer.last
    [docs] = await deadlines(db, "NOR-DOCS")
    assert docs.due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # Monday 14:00, 72 h before
    assert (await organisation(db)).settings == {"nor_docs_hours_before": 72}


async def test_the_digest_hour_and_a_choice_setting(db: Database, trainer: Person) -> None:
    await trainer.says("/reglages")
    await pick(trainer, "Heure du récapitulatif")
    assert "Valeur actuelle : 8 h" in trainer.last
    await trainer.says("16 h 30")  # on the hour only, said (explorer O)
    assert trainer.last.startswith(
        "Le récapitulatif part à l'heure pile : tapez 16 pour 16 h 00, ou 17 pour 17 h 00."
    )
    await trainer.says("25 h 30")  # no such hour: its bounds, not « tapez 25 » (explorer P)
    assert "entre 0 et 23" in trainer.last and "tapez 25" not in trainer.last
    await trainer.says("7 h 00")
    assert "C'est enregistré : 7 h pour « Heure du récapitulatif" in trainer.last
    assert "Aucune échéance" not in trainer.last  # no deadline hangs on it
    await trainer.says("/reglages")
    assert "à 7 h" in trainer.last
    await pick(trainer, "Arrondi des heures de vacation")
    assert "arrondi au plus proche" in trainer.buttons
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("arrondi au plus proche")
    assert (await organisation(db)).settings == {
        "digest_hour": 7,
        "rec_vacation_rounding": "nearest",
    }


async def test_the_time_zone_chosen_by_a_slip_is_changed(db: Database, trainer: Person) -> None:
    """Explorer AC7: chosen by one tap at /start, the zone could not be changed, and every
    hour of the organisation followed it."""
    await schedule(trainer)  # Thursday 26 November 2026 at 14 h, Paris
    await trainer.says("/reglages")
    await pick(trainer, "Fuseau horaire")
    assert "Métropole (Europe/Paris)" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Guadeloupe, Martinique")
    assert trainer.last.startswith(
        "C'est enregistré : Guadeloupe, Martinique (America/Martinique) pour « Fuseau horaire"
    )
    assert "Un bilan déjà programmé garde son moment" in trainer.last
    assert (await organisation(db)).timezone == "America/Martinique"
    await trainer.says("/bilans")
    assert any(b.startswith("26/11/2026 à 9 h 00") for b in trainer.buttons), trainer.buttons
    await trainer.says("/reglages")
    await pick(trainer, "Fuseau horaire")
    await trainer.presses("Valeur par défaut")
    assert (await organisation(db)).timezone == "Europe/Paris"


async def test_a_number_setting_numbers_no_button_and_a_choice_setting_does(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/reglages")
    await pick(trainer, "Heure du récapitulatif")
    assert trainer.numbered == ["– Valeur par défaut"]  # "1" is an hour here
    await trainer.says("1")
    assert "C'est enregistré : 1 h pour" in trainer.last
    await trainer.says("/reglages")
    await pick(trainer, "Arrondi des heures de vacation")
    first = trainer.numbered[0]
    assert first.startswith("1. ")
    await trainer.says("1")
    assert f"C'est enregistré : {first.removeprefix('1. ')} pour" in trainer.last
    assert (await organisation(db)).settings["digest_hour"] == 1


async def test_every_step_of_reglages_survives_bad_input(db: Database, trainer: Person) -> None:
    await trainer.says("/reglages")
    await survives(db, trainer, FOR_CHOICES)
    await pick(trainer, TABLE)
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("/reglages")
    await trainer.presses("Suivants")
    assert await step_of(db, trainer) == ("reglages", "setting")
    assert (await organisation(db)).settings == {}


async def test_the_digest_is_sent_to_the_group_that_asks_for_it(
    db: Database, trainer: Person, person: Any
) -> None:
    group = person("formateur", chat="groupe-equipe", is_group=True)
    await group.says("/reglages")
    assert "Recevoir le récapitulatif ici" in " ".join(group.buttons)
    await group.presses("Recevoir le récapitulatif ici")
    assert "il ne nomme aucun stagiaire" in group.last and "à 8 h" in group.last
    assert (await organisation(db)).digest_chat == "console:groupe-equipe"
    await group.says("/reglages")
    assert "dans cette discussion" in group.last
    await trainer.says("/reglages")
    assert "dans une autre discussion" in trainer.last
    await trainer.presses("en privé")
    assert (await organisation(db)).digest_chat is None
    await group.says("/echeances")
    assert "pas cela dans un groupe" in group.all_text  # only /reglages runs in a group


async def test_only_admins_change_settings(db: Database, trainer: Person, person: Any) -> None:
    async with db.sessions() as s, s.begin():
        claire = P(display_name="Claire Martin")
        s.add(claire)
        await s.flush()
        s.add(Membership(organisation_id=1, person_id=claire.id, role=Role.FORMATEUR.value))
        s.add(
            ChatIdentity(
                person_id=claire.id, platform="console", user_id="claire", chat_id="claire"
            )
        )
    colleague = person("claire")
    await colleague.says("/reglages")
    assert "réservée à l'administration" in colleague.last
    assert (await organisation(db)).settings == {}


async def test_retour_at_a_setting_shows_the_settings_again_and_changes_nothing(
    db: Database, trainer: Person
) -> None:
    """Issue 11 item 21: no dead end in /reglages."""
    await trainer.says("/reglages")
    await trainer.presses("Suivants")
    await trainer.presses(TABLE)
    assert "Valeur actuelle" in trainer.last
    await trainer.says("Retour")
    assert "Réglages de l'organisme : Organisme de démonstration." in trainer.last
    assert any(b.startswith(TABLE) or b.startswith("Suivants") for b in trainer.buttons)
    await trainer.says("retour")
    assert "C'est la première question" in trainer.all_text
    assert (await organisation(db)).settings == {}


async def test_the_settings_are_left_with_termine_or_another_command(
    db: Database, trainer: Person
) -> None:
    """Explorer AC8: no « Terminé » (typed, « pas reconnu »), and another command set the
    look aside, « sans rien enregistrer : tapez /reprendre », though nothing was typed."""
    await trainer.says("/reglages")
    assert "Terminé" in trainer.buttons
    await trainer.says("terminé")
    assert trainer.last == "Réglages laissés tels quels."
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("/reglages")
    await trainer.says("/echeances")
    assert "mets de côté" not in trainer.all_text
    await trainer.says("/reprendre")
    assert "régler" not in trainer.last


async def test_a_setting_on_by_default_says_no_reason_against_itself(trainer: Person) -> None:
    """Explorer DA12: « Pourquoi activé par défaut : L'organisation n'applique pas la
    procédure Elycoop … », six times, once per rule the setting turns off."""
    await trainer.says("/reglages")
    await trainer.says("Appliquer la procédure Elycoop de prévention des ruptures")
    text = trainer.last
    assert "Appliquer la procédure Elycoop de prévention des ruptures" in text
    assert "Pourquoi" not in text and "n'applique pas" not in text


def test_a_setting_line_has_one_colon() -> None:
    """Explorer AI15: « Fenêtre des absences et retards répétés (jours) : 14 », two colons in
    one /reglages line: the label names the setting and its unit without a colon."""
    from bot.app import FEATURES

    assert [s.label for s in FEATURES.settings if ":" in s.label] == []
    labels = {s.key: s.label for s in FEATURES.settings}
    assert labels["absences_window_days"] == "Fenêtre des absences et retards répétés (jours)"
    assert labels["nor_prep_days_before"] == (
        "Préparation du bilan avec le groupe (jours avant le bilan)"
    )
