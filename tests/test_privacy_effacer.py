"""``/effacer``: an admin erases a trainee's data after seeing what goes and what stays."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import build_scheduler
from bot.config import Settings
from bot.deadlines.service import mark_done
from bot.formations import exports
from bot.outbox_payload import payload_to_reply
from bot.privacy.erasure import erase_trainee, erased_name
from bot.storage.absences import Absence, StoredDocument
from bot.storage.attestations import AttendanceSheetEntry, Attestation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.privacy import ErasedInvitation
from bot.storage.state import ProcessedEvent
from tests.auxil.absences import trainee_id
from tests.auxil.attestations import add_colleague, codes, demo_author, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import a_crowd
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.auxil.privacy import (
    a_correction,
    closed_by_the_erasure,
    erasing_first,
    everywhere,
    traces,
)
from tests.auxil.race import one_after_the_other, second_admin, two_processes
from tests.test_deadlines_digest import deliver


async def names(db: Database) -> list[str]:
    async with db.sessions() as session:
        return sorted((await session.scalars(select(Trainee.full_name))).all())


async def test_the_admin_sees_what_goes_and_what_stays_then_erases(
    db: Database, trainer: Person, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    placed = await everywhere(db, "Karim Benali", at=clock.now)
    await trainer.says("/effacer")
    assert "Dans quelle formation ?" in trainer.last
    await trainer.presses("Agent de restauration")
    assert "Les données de quelle personne effacer ?" in trainer.last
    await trainer.says("benali")
    text = trainer.last
    assert (
        "Effacer les données de Karim Benali, stagiaire d'« Agent de restauration (démo) » ?"
        in text
    )
    assert "1 absence, 1 suivi de décrochage" in text
    assert "2 documents (justificatifs, preuves, comptes rendus)" in text
    assert "1 attestation non encore transmise au financeur" in text
    assert "Gardée telle quelle : 1 attestation déjà envoyée" in text
    assert "RGPD, article 17.3, b et e" in text
    assert "C'est définitif." in text
    await trainer.presses("Effacer définitivement")
    pseudonym = f"Personne effacée n° {placed.trainee_id}"
    assert f"Elle apparaît désormais comme « {pseudonym} »" in trainer.last
    assert "1 attestation déjà transmise au financeur reste conservée." in trainer.last
    assert await step_of(db, trainer) == (None, None)
    kept = {
        "attestations": {placed.kept_attestation},
        "bilan_participants": {placed.kept_participant},
        "proof_sendings": {placed.sent_bundle},
    }
    # The confirmation question itself (kept for de-duplication) named him: scrubbed.
    assert await traces(db, placed.words, kept) == []
    assert pseudonym in await names(db)
    async with db.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "erase"))
    assert entry is not None and entry.actor_id is not None
    assert "Benali" not in caplog.text and "Zorglub" not in caplog.text


@pytest.mark.parametrize(
    ("declined", "unsent", "kept"),
    [
        (
            (False, True),
            "1 déclaration de non-participation non encore transmise au financeur",
            "Gardée telle quelle : 1 attestation déjà envoyée",
        ),
        (
            (True, False),
            "1 attestation non encore transmise au financeur",
            "Gardée telle quelle : 1 déclaration de non-participation déjà envoyée",
        ),
    ],
)
async def test_a_declaration_of_non_participation_is_named_so(
    db: Database,
    trainer: Person,
    clock: Clock,
    declined: tuple[bool, bool],
    unsent: str,
    kept: str,
) -> None:
    """Explorer CF9: the « Je n'ai pas participé » of the person erased was counted « 1
    attestation non encore transmise au financeur »: it is no attestation, and is said so."""
    await everywhere(db, "Karim Benali", at=clock.now, declined=declined)
    await trainer.says("/effacer benali")
    assert unsent in trainer.last
    assert kept in trainer.last
    await trainer.presses("Effacer définitivement")
    words = kept.split(" : ")[1].removesuffix(" déjà envoyée")
    assert f"{words} déjà transmise au financeur reste conservée." in trainer.last


@pytest.mark.parametrize(
    ("corrected", "unsent", "kept"),
    [
        (
            "unsent",
            "1 attestation (et sa correction) non encore transmise au financeur",
            "Gardée telle quelle : 1 attestation déjà envoyée",
        ),
        (
            "sent",
            "1 attestation non encore transmise au financeur",
            "Gardée telle quelle : 1 attestation (et sa correction) déjà envoyée",
        ),
        (
            "after sending",
            "1 attestation non encore transmise au financeur, 1 correction apportée après "
            "l'envoi au financeur,",
            "Gardée telle quelle : 1 attestation déjà envoyée",
        ),
    ],
)
async def test_an_answer_and_its_correction_are_one_attestation_all_of_it_erased(
    db: Database, trainer: Person, clock: Clock, corrected: str, unsent: str, kept: str
) -> None:
    """A participant who answered, then corrected, gave one attestation in two versions:
    it was counted « 2 attestations » (a row each), and both versions go."""
    placed = await everywhere(db, "Karim Benali", at=clock.now)
    first, after = {
        "unsent": (placed.unsent_attestation, timedelta(minutes=5)),
        "sent": (placed.kept_attestation, timedelta(minutes=5)),
        "after sending": (placed.kept_attestation, timedelta(days=2)),
    }[corrected]
    second = await a_correction(db, first, after=after)
    await trainer.says("/effacer benali")
    assert unsent in trainer.last
    assert kept in trainer.last
    await trainer.presses("Effacer définitivement")
    words = kept.split(" : ")[1].removesuffix(" déjà envoyée")
    assert f"{words} déjà transmise au financeur reste conservée." in trainer.last
    async with db.sessions() as session:
        left = set((await session.scalars(select(Attestation.id))).all())
    sent_versions = {placed.kept_attestation} | ({second} if corrected == "sent" else set())
    assert left == sent_versions


async def test_a_name_after_the_command_and_a_change_of_mind(db: Database, trainer: Person) -> None:
    await trainer.says("/effacer Hugo")
    assert "Effacer les données d'Hugo Moreau" in trainer.last
    # Nothing of what he does not have (explorer Z, Z12: « 0 suivi …, 0 attestation »).
    assert "Seront effacés : son nom et son entreprise, les échéances" in trainer.last
    assert "Gardé" not in trainer.last  # nothing was sent for him
    await trainer.presses("Annuler")
    assert trainer.last == "Rien n'est effacé."
    assert "Hugo Moreau" in await names(db)


@pytest.mark.parametrize(
    "typed", ["fini", "de", "ment", "effacer ?", "oui ?", "ok ?", "Effacer définitivement ？"]
)
async def test_a_part_of_the_button_erases_nothing(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer XA14: « fini », inside « Effacer définitivement », erased Julie for good; ZA14:
    « oui ? », the order asked about, did too.  The whole label with a typo is taken (ZA1)."""
    await trainer.says("/effacer Julie")
    await trainer.says(typed)
    assert trainer.last.startswith(
        "Vous posez une question : ce choix est définitif. Pour le confirmer, choisissez "
        "« Effacer définitivement »"
        if "?" in typed or "？" in typed
        else "Répondez par « Effacer définitivement » ou « Annuler »"
    )
    assert "Julie Petit" in await names(db)
    await trainer.says("effacer definitivment")
    assert "Julie Petit" not in await names(db)


async def test_only_an_admin_may_erase(
    db: Database, demo: None, person: Callable[..., Person]
) -> None:
    await add_colleague(db)
    colleague = person("colleague")
    await colleague.says("/effacer Hugo")
    assert "réservée à l'administration" in colleague.last
    assert "Hugo Moreau" in await names(db)
    stranger = person("inconnu")
    await stranger.says("/effacer")
    assert "Je ne vous connais pas encore" in stranger.last


async def test_every_step_survives_hostile_input(db: Database, trainer: Person) -> None:
    await trainer.says("/effacer")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("zzzz")
    assert "zzzz" in trainer.last  # not found, said with what was typed
    await trainer.says("Karim")
    await survives(db, trainer, FOR_CHOICES)
    assert await step_of(db, trainer) == ("effacer", "confirm")
    assert "Karim Benali" in await names(db)
    await trainer.says("/annuler")
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/effacer Benali")  # a name many share: which of them (coverage AR)
    assert await step_of(db, trainer) == ("effacer", "person")
    await survives(db, trainer, FOR_CHOICES)
    assert "Karim Benali" in await names(db)


async def test_an_erased_delegate_no_longer_represents_anyone_nor_is_offered_again(
    db: Database, trainer: Person
) -> None:
    await schedule_bilan(trainer)  # Thursday 26 at 14 h, with both delegates
    await trainer.says("/effacer Léa")
    assert (
        "La personne ne représentera plus les stagiaires. Elle sera retirée du bilan du "
        "jeudi 26 novembre 2026 à 14 h 00 ; une invitation déjà envoyée qui la nommait ne "
        "peut pas être reprise." in trainer.last
    )
    await trainer.presses("Effacer définitivement")
    said = trainer.last
    assert "Elle ne représente plus les stagiaires." in said
    assert "Elle a été retirée du bilan du jeudi 26 novembre 2026 à 14 h 00." in said
    assert "Léa" not in said and "Martin" not in said
    async with db.sessions() as session:
        rows = await exports.trainees(session)
        erased = await session.scalar(select(Trainee).where(Trainee.name_key.like("personne%")))
        assert erased is not None and erased.erased and not erased.is_delegate
    [row] = [r for r in rows if r["nom"] == erased.full_name]
    assert row["représente les stagiaires"] is False
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Stagiaire de la formation")
    assert trainer.buttons == ["Julie Petit", "Karim Benali"]
    await trainer.says("/annuler")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Voir le détail")
    assert erased.full_name in trainer.all_text
    assert f"{erased.full_name} – représente" not in trainer.all_text
    # Nothing is offered nor noted for the placeholder any more (explorer J: it came first
    # in every list, and absences were noted on it again).
    for command in ("/absence", "/decrochage", "/suivi", "/effacer", "/appel hier matin"):
        await trainer.says("/annuler")
        await trainer.says(command)
        if any(b.startswith("Agent de restauration") for b in trainer.buttons):
            await trainer.presses("Agent de restauration")
        assert not any("Personne effacée" in b for b in trainer.buttons), command
        assert "Personne effacée" not in trainer.last, command
    await trainer.says("/annuler")
    await trainer.says(f"{erased.full_name} absente hier")
    assert "Noter l'absence" not in trainer.last
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Retirer un stagiaire")
    assert not any("Personne effacée" in b for b in trainer.buttons)  # explorer L


async def test_a_trainee_named_like_a_pseudonym_is_not_taken_for_an_erased_one(
    db: Database, trainer: Person
) -> None:
    """Only the pseudonym carrying the row's own id marks an erasure: a name typed to
    look like one (hostile or not) stays a trainee like the others."""
    async with db.sessions() as session, session.begin():
        karim = await session.scalar(select(Trainee).where(Trainee.full_name == "Karim Benali"))
        assert karim is not None
        karim.full_name = erased_name(karim.id + 1)
    async with db.sessions() as session:
        karim = await session.get(Trainee, karim.id)
        assert karim is not None and not karim.erased


async def test_an_erased_participants_old_link_says_the_invitation_went_with_her_data(
    db: Database, trainer: Person, person: Callable[..., Person], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    await schedule_bilan(trainer)
    code = codes(trainer.replies)["Léa Martin"]
    lea = person("lea")
    await lea.says(f"/start {code}")
    await trainer.says("/effacer Léa")
    await trainer.presses("Effacer définitivement")
    gone = (
        "Cette invitation n'est plus valable : les données qui s'y rattachaient ont été "
        "effacées à la demande de la personne invitée."
    )
    for who in (lea, person("quelquun")):  # her, then anyone else holding the code
        await who.says(f"/start {code}")
        assert gone in who.last
        assert "Vérifiez qu'il est complet" not in who.last
        for leak in ("Léa", "Martin", "Agent de restauration", "novembre", "Camille"):
            assert leak not in who.last
        await who.says(code)  # pasted alone, read as /start CODE
        assert gone in who.last
    mistyped = code[:-1] + ("a" if code[-1] != "a" else "b")
    await lea.says(f"/start {mistyped}")
    assert "Vérifiez qu'il est complet" in lea.last
    async with db.sessions() as session:
        [kept] = (await session.scalars(select(ErasedInvitation))).all()
    assert len(kept.code_hash) == 64 and code not in kept.code_hash
    assert code not in caplog.text and "Martin" not in caplog.text


async def test_a_dialogue_about_a_trainee_erased_meanwhile_says_so(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer V, V4: closed with « Sans réponse depuis un moment » seconds after an answer."""
    await trainer.says("/absence Hugo Moreau lundi matin")
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(select(Trainee).where(Trainee.full_name == "Hugo Moreau"))
        assert hugo is not None
        person_id, organisation_id = await demo_author(session)
        await erase_trainee(session, organisation_id, hugo.id, person_id, clock.now)
    await trainer.says("oui")
    assert trainer.all_text.startswith(
        "J'ai refermé « noter une absence ou un retard » : les données dont il s'agissait "
        "viennent d'être effacées"
    )
    assert "Sans réponse" not in trainer.all_text


async def test_the_formation_s_trainer_is_told_without_the_name(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z12: the trainer in charge was told nothing; the trainee just vanished from
    their /appel."""
    colleague_id, _ = await add_colleague(db)
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(select(Trainee).where(Trainee.full_name == "Hugo Moreau"))
        assert hugo is not None
        formation = await session.get(Formation, hugo.formation_id)
        assert formation is not None
        formation.owner_id = colleague_id
    await trainer.says("/effacer Hugo")
    await trainer.presses("Effacer définitivement")
    async with db.sessions() as session:
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("erased:%:owner"))
        )
    assert told is not None and told.chat_id == "colleague"
    text = payload_to_reply(told.payload).text
    assert text.startswith("Camille Durand a effacé les données d'une personne de votre formation")
    assert "Hugo" not in text and "« Personne effacée n°" in text


async def test_the_admin_s_own_dialogue_set_aside_and_the_replies_kept_go_with_the_person(
    db: Database, trainer: Person
) -> None:
    """Explorer AX2: the absence set aside for /effacer came back by /reprendre with the name;
    AX3: the replies kept for a redelivery still quoted the motive under the pseudonym."""
    await trainer.says("/absence julie vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says("violences signalées par sa sœur")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    await trainer.says("Julie Petit absente jeudi matin")
    await trainer.presses("Oui, noter")
    await trainer.says("/effacer julie")
    await trainer.presses("Effacer définitivement")
    assert "La saisie que vous aviez mise de côté à son sujet est abandonnée." in trainer.last
    await trainer.says("/reprendre")
    assert "Julie" not in trainer.last and "Il n'y a rien à reprendre" in trainer.last
    async with db.sessions() as session:
        kept = (await session.scalars(select(ProcessedEvent.replies))).all()
    assert any("Personne effacée" in str(r) for r in kept)  # the erasure's own answer
    assert not [r for r in kept if "violences" in str(r) or "Julie" in str(r)]


async def test_a_yes_with_a_but_does_not_erase(db: Database, trainer: Person) -> None:
    """Explorer AY8: « oui mais garde ses absences » at the confirmation erased for good."""
    await trainer.says("/effacer julie")
    await trainer.says("oui mais garde ses absences")
    async with db.sessions() as session:
        kept = await session.scalar(select(Trainee).where(Trainee.full_name == "Julie Petit"))
    assert kept is not None
    assert await step_of(db, trainer) == ("effacer", "confirm")


async def test_an_erased_trainee_s_deadlines_do_not_come_back_in_the_digest(
    db: Database, settings: Settings, trainer: Person, clock: Clock
) -> None:
    """Explorer QC2: /effacer deleted Nadia's CVL-EOS deadlines and the refresh at its end
    recreated them from the pseudonymised row: her entry, already done, came back
    « 🔴 En retard » as « Personne effacée n° … » in every digest, although the
    confirmation had said her deadlines would be erased."""
    async with db.sessions() as session, session.begin():
        nadia = await session.scalar(select(Trainee).where(Trainee.full_name == "Nadia Roux"))
        assert nadia is not None
        entry = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.key == f"CVL-EOS-ENTRY:trainee:{nadia.id}")
        )
        assert entry is not None
        mark_done(entry, 1, clock.now)
    await trainer.says("/effacer Nadia")
    assert "les échéances qui concernent cette personne" in trainer.last
    await trainer.presses("Effacer définitivement")
    assert "Personne effacée n°" in trainer.last
    async with db.sessions() as session:
        hers = (
            await session.scalars(
                select(StoredDeadline.key).where(
                    StoredDeadline.subject == "trainee", StoredDeadline.subject_id == nadia.id
                )
            )
        ).all()
    assert hers == []
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # the next morning, 8:00 in Paris
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, digest)] = (await deliver(db)).digests()
    assert "2 entrées à saisir dans EOS (Thomas Fabre, Inès Garnier)" in digest
    assert "Personne effacée" not in digest


async def erasing_and_noting(
    pg_db: Database, settings: Settings, clock: Clock, *, absence_first: bool
) -> tuple[Person, Person]:
    """Camille at « Effacer définitivement » for Karim and Bruno at « Enregistrer » of his
    absence with a health reason, in two processes, one after the other at his row's lock."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await camille.says("/effacer karim")
        for step in ("/absence karim ce matin", "oui", "non", "rendez-vous chez le cardiologue"):
            await bruno.says(step)
        assert "rendez-vous chez le cardiologue" in bruno.last
        async with pg_db.sessions() as session:
            karim = await session.scalar(
                select(Trainee.id).where(Trainee.full_name == "Karim Benali")
            )
        assert karim is not None
        erasing = camille.presses("Effacer définitivement")
        noting = bruno.presses("Enregistrer")
        turns = (noting, erasing) if absence_first else (erasing, noting)
        await one_after_the_other(pg_db, Trainee, karim, *turns)
    return camille, bruno


async def absences_left(db: Database) -> list[Absence]:
    async with db.sessions() as session:
        return list((await session.scalars(select(Absence))).all())


@pytest.mark.postgres
async def test_an_absence_saved_as_the_trainee_is_erased_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD4: Camille confirmed the erasure of Karim while Bruno saved his absence
    « rendez-vous chez le cardiologue » (two processes): the erasure said done, then the
    absence and its health detail stored under « Personne effacée n° 1 ».  Now Bruno's save
    waits for the erasure, reads Karim again and stores nothing."""
    camille, bruno = await erasing_and_noting(pg_db, settings, clock, absence_first=False)
    assert camille.last.startswith("C'est fait : les données de cette personne sont effacées.")
    assert bruno.last == closed_by_the_erasure("noter une absence ou un retard")
    assert await absences_left(pg_db) == []


@pytest.mark.postgres
async def test_an_erasure_confirmed_as_an_absence_is_saved_erases_it_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD4, the other order: the absence first; the erasure waits for it, then
    erases it with the rest."""
    camille, bruno = await erasing_and_noting(pg_db, settings, clock, absence_first=True)
    assert bruno.all_text.startswith("C'est noté : Karim Benali")
    assert camille.last.startswith("C'est fait : les données de cette personne sont effacées.")
    assert await absences_left(pg_db) == []


PROOF = b"%PDF-1.4 certificat"


async def erasing_and_proving(
    pg_db: Database, settings: Settings, clock: Clock, *, proof_first: bool
) -> tuple[Person, Person]:
    """Camille at « Effacer définitivement » for Karim and Bruno at « Enregistrer la
    correction » of his absence, now justified with a certificate, in two processes, one after
    the other at the absence's row (the erasure deletes it, the correction changes it)."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        for step in ("/absence karim ce matin", "oui", "non", "injoignable"):
            await bruno.says(step)
        await bruno.presses("Enregistrer")
        [absence] = [a for a in await absences_left(pg_db) if a.reason == "injoignable"]
        await camille.says("/effacer karim")
        await bruno.says("/absences")
        await bruno.presses("23/11 matin")
        await bruno.presses("Justification et motif")
        await bruno.presses("Oui")
        await bruno.says("certificat médical")
        await bruno.sends_file("certificat.pdf", "application/pdf", PROOF)
        assert "Nouveau justificatif : certificat.pdf" in bruno.last
        erasing = camille.presses("Effacer définitivement")
        proving = bruno.presses("Enregistrer la correction")
        turns = (proving, erasing) if proof_first else (erasing, proving)
        await one_after_the_other(pg_db, Absence, absence.id, *turns)
    return camille, bruno


async def proofs_left(db: Database) -> list[str]:
    async with db.sessions() as session:
        documents = await session.scalars(
            select(StoredDocument.filename).where(StoredDocument.content == PROOF)
        )
        return list(documents.all())


@pytest.mark.postgres
async def test_a_proof_added_as_the_trainee_is_erased_is_erased_too_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, documents): Bruno justified Karim's absence with a certificate
    as Camille erased him; the erasure listed his proofs before the correction stored it, then
    deleted the absence: the certificate stayed, nobody's any more.  Now the correction holds
    Karim's row as the erasure does; the erasure waits for it and erases the certificate."""
    camille, bruno = await erasing_and_proving(pg_db, settings, clock, proof_first=True)
    assert bruno.all_text.startswith("Correction enregistrée")
    assert camille.last.startswith("C'est fait : les données de cette personne sont effacées.")
    assert await proofs_left(pg_db) == []
    assert [a for a in await absences_left(pg_db) if a.reason == "certificat médical"] == []


@pytest.mark.postgres
async def test_a_proof_added_just_after_the_erasure_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, documents), the other order: the correction waits for the
    erasure and reads Karim again: nothing stored, said so (no failure of the turn)."""
    camille, bruno = await erasing_and_proving(pg_db, settings, clock, proof_first=False)
    assert camille.last.startswith("C'est fait : les données de cette personne sont effacées.")
    assert bruno.last == closed_by_the_erasure("corriger ou supprimer une absence déjà notée")
    assert await proofs_left(pg_db) == []


@pytest.mark.postgres
async def test_a_sheet_ticking_a_trainee_being_erased_waits_for_the_erasure_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, attendance-sheet entries): Camille's signed sheet, Hugo
    ticked on it, sent as Bruno erased Hugo: the sheet's entry was written without a look at
    Hugo's row, against a participant the erasure was deleting (the turn failed, or the
    entry outlived the look the erasure took).  Now the sheet holds the row of each ticked
    trainee, as the erasure does, waits for it, and keeps the sheet with Léa alone."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await schedule_bilan(camille)
        clock.advance(days=3, hours=6)
        await bruno.says("/effacer hugo")
        await camille.says("/attestations")
        await camille.presses("Déposer la feuille")
        await camille.presses("Hugo Moreau")
        await camille.presses("Léa Martin")
        await camille.presses("Terminé")
        assert "photo ou le PDF" in camille.last
        hugo = await trainee_id(pg_db, "Hugo Moreau")
        await erasing_first(
            pg_db,
            hugo,
            bruno,
            camille.sends_file("emargement.pdf", "application/pdf", b"%PDF-1.4 feuille"),
        )
    # Hugo's participation erased first, the sheet is kept with Léa alone.
    assert "Feuille d'émargement enregistrée, avec 1 participant coché" in camille.all_text
    assert "Hugo Moreau" not in camille.all_text
    async with pg_db.sessions() as session:
        ticked = await session.scalars(
            select(BilanParticipant.name).join(
                AttendanceSheetEntry, AttendanceSheetEntry.participant_id == BilanParticipant.id
            )
        )
        assert "Hugo Moreau" not in list(ticked.all())


@pytest.mark.postgres
async def test_a_company_corrected_as_the_trainee_is_erased_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, the trainee's own row), checked: Bruno's « Oui » to Karim's
    company « Brasserie du Port », pressed as Camille erases him, waits at Karim's row and
    ends as the erasure ended his dialogue: nothing written on « Personne effacée n° … »."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await camille.says("/effacer karim")
        await bruno.says("/formations")
        await bruno.presses("Agent de restauration")
        await bruno.presses("Entrées et sorties")
        await bruno.presses("Karim Benali")
        await bruno.presses("Corriger son entreprise")
        await bruno.says("Brasserie du Port")
        karim = await trainee_id(pg_db, "Karim Benali")
        await erasing_first(pg_db, karim, camille, bruno.presses("Oui"))
    assert bruno.last == closed_by_the_erasure("voir et modifier vos formations")
    async with pg_db.sessions() as session:
        erased = await session.get(Trainee, karim)
    assert erased is not None and (erased.full_name, erased.company) == (erased_name(karim), None)


@pytest.mark.postgres
async def test_a_participant_added_as_the_trainee_is_erased_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, bilan participations): Camille's « Oui, l'ajouter » for Karim,
    pressed as Bruno erased him, wrote his participation (and his name on it) without a look
    at his row: written after the erasure's deletion, it outlived it.  Now the addition
    holds Karim's row as the erasure does and waits for it: nothing added."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await schedule_bilan(camille)
        await bruno.says("/effacer karim")
        await camille.says("/bilans")
        await camille.presses("26/11/2026")
        await camille.presses("Ajouter un participant")
        await camille.presses("Stagiaire de la formation")
        await camille.presses("Karim Benali")
        await camille.presses("Oui, j'ai cet accord")
        await camille.presses("Mme Sophie Leroy")
        await camille.says("aujourd'hui")
        await camille.presses("Oui, c'est ça")
        await camille.presses("Par téléphone")
        assert "Ajouter Karim Benali (" in camille.last
        karim = await trainee_id(pg_db, "Karim Benali")
        await erasing_first(pg_db, karim, bruno, camille.presses("Oui, l'ajouter"))
    assert camille.last == closed_by_the_erasure("voir, déplacer ou annuler un bilan programmé")
    async with pg_db.sessions() as session:
        participants = await session.scalars(
            select(BilanParticipant.name).where(BilanParticipant.trainee_id == karim)
        )
        assert list(participants.all()) == []


@pytest.mark.postgres
async def test_an_attestation_given_as_the_participant_is_erased_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, attestations): Hugo's « Je l'atteste », pressed as Camille
    erased him, held the bilan's row but never Hugo's: written against his participation
    while the erasure deleted it.  Now the answer holds the participant's trainee row before
    the bilan's, as the erasure holds it: it waits for the erasure, nothing is stored."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        camille = first("formateur")
        await schedule_bilan(camille)
        invited = codes(camille.replies)
        clock.advance(days=3, hours=6)
        hugo = second("hugo")
        await hugo.says(f"/start {invited['Hugo Moreau']}")
        await hugo.says("Hugo Moreau")
        await hugo.presses("Je représente les stagiaires")
        assert "Je l'atteste sur l'honneur" in hugo.buttons
        await camille.says("/effacer hugo")
        hugo_id = await trainee_id(pg_db, "Hugo Moreau")
        await erasing_first(pg_db, hugo_id, camille, hugo.presses("Je l'atteste"))
    # His account, made to answer, went with the rest: his press finds no dialogue.
    assert hugo.last.startswith("Ce bouton vient d'un ancien message")
    async with pg_db.sessions() as session:
        assert list((await session.scalars(select(Attestation.id))).all()) == []


@pytest.mark.postgres
async def test_an_absence_deleted_just_after_the_erasure_fails_nothing_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4): Bruno's « Oui, supprimer » of Karim's absence, pressed as
    Camille erased him, waited at the absence the erasure was deleting, then marked deleted a
    row no longer there: the turn failed (« quelque chose s'est mal passé »).  Now it holds
    Karim's row first, waits for the erasure and is told the absence went with it."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        for step in ("/absence karim ce matin", "oui", "non", "injoignable"):
            await bruno.says(step)
        await bruno.presses("Enregistrer")
        [absence] = [a for a in await absences_left(pg_db) if a.reason == "injoignable"]
        await camille.says("/effacer karim")
        await bruno.says("/absences")
        await bruno.presses("23/11 matin")
        await bruno.presses("Supprimer")
        await one_after_the_other(
            pg_db,
            Absence,
            absence.id,
            camille.presses("Effacer définitivement"),
            bruno.presses("Oui, supprimer"),
        )
    assert camille.last.startswith("C'est fait : les données de cette personne sont effacées.")
    assert bruno.last == closed_by_the_erasure("corriger ou supprimer une absence déjà notée")
    assert [a for a in await absences_left(pg_db) if a.reason == "injoignable"] == []
