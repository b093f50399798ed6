"""Deciding on a flagged answer: the service (validated counts, rejected does not and
reissues the link, nothing to decide is said) and its dialogue under hostile input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations.bundle import build
from bot.attestations.keys import signing_key
from bot.attestations.reviews import decide
from bot.attestations.sending import bundle_for
from bot.attestations.service import Author, progress
from bot.bilans.view import view_of
from bot.config import Settings
from bot.storage.attestations import AttestationInvitation, AttestationReview
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.texts import plain
from tests.auxil.attestations import (
    add_bilan,
    after_the_bilan,
    demo_author,
    issue_code,
    one_account_for_two_organisations,
    open_zip,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.auxil.pdf import pdf_text
from tests.auxil.race import second_admin

START = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


async def last_answer_notice(session: AsyncSession) -> dict[str, Any]:
    """The payload of the last notice of an answer queued for the trainer."""
    payloads = await session.scalars(
        select(OutboxMessage.payload)
        .where(OutboxMessage.key.like("attestation:answer:%"))
        .order_by(OutboxMessage.id)
    )
    return dict(payloads.all()[-1])


async def delegate_as_trainee(db: Database, person: Callable[..., Talker], clock: Clock) -> int:
    """A delegate who chose « Stagiaire de la formation »: one flagged answer."""
    bilan_id = await add_bilan(db, start=START, participants=(("delegate", "Karim Haddad", None),))
    code = await issue_code(db, bilan_id, "Karim Haddad", at=clock.now)
    clock.advance(days=3, hours=7)
    karim = person("karim")
    for line in (f"/start {code}", "Karim Haddad"):
        await karim.says(line)
    await karim.presses("Stagiaire de la formation")
    await karim.presses("Je l'atteste")
    return bilan_id


async def test_validated_counts_rejected_does_not_and_gets_a_new_link(
    db: Database, demo: None, person: Callable[..., Talker], clock: Clock
) -> None:
    bilan_id = await delegate_as_trainee(db, person, clock)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        assert info is not None
        (row,) = (await progress(session, info, now=clock.now)).to_review
        assert row.concerns == ("role",)
        participant_id = row.participant.id
        rejected = await decide(
            session, info, participant_id, "rejected", author=author, now=clock.now
        )
        assert rejected is not None and rejected.fresh is not None
        prog = await progress(session, info, now=clock.now)
        assert prog.rows[0].state == "rejected" and not prog.complete
        # Nothing is left to decide on that answer.
        assert (
            await decide(session, info, participant_id, "validated", author=author, now=clock.now)
            is None
        )
        assert (
            await decide(session, info, 999_999, "validated", author=author, now=clock.now) is None
        )
        live = await session.scalar(
            select(func.count(AttestationInvitation.id)).where(
                AttestationInvitation.participant_id == participant_id,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
        assert live == 1
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "reject"))
        assert entry is not None and entry.details["concerns"] == ["role"]
        assert "Karim" not in str(entry.details)


async def test_a_validation_is_kept_with_who_and_when(
    db: Database,
    demo: None,
    person: Callable[..., Talker],
    clock: Clock,
    tmp_path: Path,
    settings: Settings,
) -> None:
    bilan_id = await delegate_as_trainee(db, person, clock)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        assert info is not None
        participant_id = info.bilan.participants[0].id
        done = await decide(
            session, info, participant_id, "validated", author=author, now=clock.now
        )
        assert done is not None and done.fresh is None
        assert (await progress(session, info, now=clock.now)).complete
        (review,) = (await session.scalars(select(AttestationReview))).all()
        assert (review.decision, review.decided_by, review.decided_at) == (
            "validated",
            author.person_id,
            clock.now,
        )
        # The proof bundle says it too (explorer AL6: a plain « attestée », nothing of the
        # flag nor of who decided).
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(tmp_path))
        # The trainer's copy from the chat, as the e-mailed one, says who too (explorer AU1).
        chat_copy = await bundle_for(session, settings, info, author=author, now=clock.now)
    (chat_entry,) = open_zip(chat_copy.content)[1]["participants"]
    assert chat_entry["examens"][0]["par"] == "Camille Durand"
    files, manifest = open_zip(bundle.content)
    (entry,) = manifest["participants"]
    assert entry["examens"] == [
        {
            "motif": "rôle choisi différent de celui de l'invitation",
            "décision": "validée",
            "par": "Camille Durand",
            "le": "2026-11-26T16:00:00Z",
            "le_local": "jeudi 26 novembre 2026 à 17 h 00",
        }
    ]
    recap = pdf_text(next(c for n, c in files.items() if n.startswith("recapitulatif")))
    assert "Réponses examinées par l'organisme" in recap
    assert "Karim Haddad : rôle choisi différent de celui de l'invitation ; réponse validée" in (
        " ".join(recap.split())
    )


async def test_the_review_dialogue_survives_bad_input(
    db: Database, trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    await delegate_as_trainee(db, person, clock)
    await trainer.says("/attestations")
    await trainer.presses("Examiner une réponse signalée")
    assert await step_of(db, trainer) == ("attestations_review", "review_decision")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Retour")
    assert "Examiner une réponse signalée" in trainer.buttons
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(AttestationReview.id))) == 0
    await trainer.presses("Examiner une réponse signalée")
    await trainer.presses("Valider cette réponse")
    assert "Examiner une réponse signalée" not in trainer.buttons


async def test_with_two_flagged_answers_the_dialogue_asks_whose_first(
    db: Database, trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    bilan_id = await add_bilan(
        db,
        start=START,
        participants=(
            ("delegate", "Karim Haddad", None),
            ("partner", "Inès Roux", "Mission locale"),
        ),
    )
    codes = {
        n: await issue_code(db, bilan_id, n, at=clock.now) for n in ("Karim Haddad", "Inès Roux")
    }
    clock.advance(days=3, hours=7)
    karim = person("karim")  # a delegate saying trainee only: flagged
    await karim.says(f"/start {codes['Karim Haddad']}")
    await karim.says("Karim Haddad")
    await karim.presses("Stagiaire de la formation")
    await karim.presses("Je l'atteste")
    ines = person("ines")  # a partner keeping another name: flagged
    await ines.says(f"/start {codes['Inès Roux']}")
    await ines.says("Inès Roussel")
    await ines.presses("Garder")
    await ines.says("oui")
    await ines.presses("Je l'atteste")
    await trainer.says("/attestations")
    assert "À examiner : Karim Haddad et Inès Roux" in trainer.last  # explorer AI24
    await trainer.presses("Examiner une réponse signalée")
    assert await step_of(db, trainer) == ("attestations_review", "review_who")
    assert trainer.buttons == ["Karim Haddad", "Inès Roux", "Retour"]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Inès Roux")
    assert "Inès Roux" in trainer.last and "nom tapé « Inès Roussel »" in trainer.last
    await trainer.presses("Valider cette réponse")
    assert "À examiner : Karim Haddad" in trainer.last


async def test_an_attestation_after_a_declined_answer_is_flagged_until_validated(
    db: Database, demo: None, person: Callable[..., Talker], clock: Clock, trainer: Talker
) -> None:
    """Explorer W, W5: « Arrêt maladie ce jour-là », then an attestation: ✅ and a complete
    file, the first answer only in the manifest."""
    bilan_id = await add_bilan(db, start=START, participants=(("delegate", "Hugo Moreau", None),))
    code = await issue_code(db, bilan_id, "Hugo Moreau", at=clock.now)
    clock.advance(days=3, hours=7)
    hugo = person("hugo")
    for line in (f"/start {code}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("empêchement")
    await hugo.says("/attestation")
    await hugo.presses("Corriger ma réponse")
    for line in ("Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je l'atteste")
    async with db.sessions() as session, session.begin():
        notice = await last_answer_notice(session)
        assert notice["text"].startswith("❔ Hugo Moreau a attesté sur l'honneur")
        assert "avait d'abord déclaré ne pas avoir participé" in notice["text"]
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        assert info is not None
        prog = await progress(session, info, now=clock.now)
        (row,) = prog.to_review
        assert row.concerns == ("reversal",) and not prog.complete
    await trainer.says("/attestations")
    assert "❔ Hugo Moreau" in trainer.last
    assert "⚠ avait d'abord déclaré ne pas avoir participé" in trainer.last
    # What « Ne pas la valider » leaves of the answer before is said (explorer AL7).
    await trainer.presses("Examiner une réponse signalée")
    assert (
        "Attention : cette réponse corrige sa réponse du jeudi 26 novembre 2026 à 17 h 00 "
        "(non-participation déclarée). Écartée, elle ne laisse pas la précédente compter de "
        "nouveau" in trainer.last
    )
    async with db.sessions() as session, session.begin():
        await decide(session, info, row.participant.id, "validated", author=author, now=clock.now)
        prog = await progress(session, info, now=clock.now)
        assert prog.rows[0].state == "attested" and prog.complete


async def test_one_account_attesting_two_simultaneous_bilans_is_flagged_on_the_second(
    db: Database, demo: None, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer W, W6: two namesakes « Léa Martin » in two formations, one account, two
    bilans at the same hour: both files « complet », nothing flagged."""
    first = await add_bilan(db, start=START)
    second = await add_bilan(db, start=START, formation_title="Projet professionnel (démo)")
    codes = [await issue_code(db, b, "Léa Martin", at=clock.now) for b in (first, second)]
    clock.advance(days=3, hours=7)
    lea = person("lea")
    for code in codes:
        for line in (f"/start {code}", "Léa Martin", "oui"):
            await lea.says(line)
        await lea.presses("Je l'atteste")
    async with db.sessions() as session:
        states = {}
        for bilan_id in (first, second):
            info = await view_of(session, bilan_id)
            assert info is not None
            (row,) = (await progress(session, info, now=clock.now)).rows
            states[bilan_id] = (row.state, row.concerns)
    # Each answer is seen with the other: one person was not at both.
    assert states == {
        first: ("to_review", ("elsewhere",)),
        second: ("to_review", ("elsewhere",)),
    }


async def test_one_account_attesting_bilans_of_two_organisations_at_once_is_flagged(
    db: Database, trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer AF5: one account swore for the demo's bilan as Léa Martin and, at the same
    hour, for another organisation's as Zoé Autre: both counted, unflagged (the check kept
    to one organisation). Each trainer is now told, with nothing of the other organisation:
    neither its name, nor the bilan's, nor the name typed there."""
    other, lea = await one_account_for_two_organisations(trainer, person, clock)
    async with db.sessions() as session:
        states = {}
        for info in (await view_of(session, 1), await view_of(session, other.bilan_id)):
            assert info is not None
            rows = (await progress(session, info, now=clock.now)).rows
            states[info.bilan.id] = [
                (r.participant.name, r.state, r.concerns) for r in rows if r.answer
            ]
        notice = await last_answer_notice(session)
    assert states == {
        1: [("Léa Martin", "to_review", ("abroad",))],
        other.bilan_id: [("Zoé Autre", "to_review", ("abroad",))],
    }
    text = plain(notice["text"])
    assert text.startswith("❔ Zoé Autre a attesté sur l'honneur"), text
    assert "un bilan d'un autre organisme qui avait lieu en même temps" in text, text
    for foreign in ("Léa", "Martin", "démonstration", "Agent de restauration", "Camille"):
        assert foreign not in text, text
    assert "ne compte pas encore" in plain(lea.last), lea.last
    await trainer.says("/attestations")
    assert "un bilan d'un autre organisme qui avait lieu en même temps" in plain(trainer.all_text)


async def test_a_menu_open_when_an_answer_is_flagged_offers_to_examine_it(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer QB16: /attestations left open while a délégué answered with words before his
    oath; the screen then said to choose « Examiner une réponse signalée », which its menu,
    made at its first display, neither offered nor took typed (« rien dans la liste ne
    correspond », in a loop). The entries follow the answers: the label typed is taken, and
    the menu shown again offers it."""
    invited = await after_the_bilan(trainer, clock)
    await trainer.says("/attestations")
    if "Quel bilan" in trainer.last:
        await trainer.presses("1")
    assert "Examiner une réponse signalée" not in trainer.last
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says("j'ai participé mais je suis parti à 11h")
    await hugo.says("oui")
    await trainer.says("n'importe quoi")
    assert "Examiner une réponse signalée" in [c.label for c in trainer.replies[-1].choices]
    await trainer.says("Examiner une réponse signalée")
    assert "Avant d'attester, Hugo Moreau a écrit" in plain(trainer.last), trainer.last


async def test_the_label_of_a_flagged_answer_typed_in_a_menu_shown_before_it_is_taken(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer QB16: the trainer reads the notice « (/attestations, « Examiner une réponse
    signalée ») » and types it in the menu she had open before it came: taken."""
    invited = await after_the_bilan(trainer, clock)
    await trainer.says("/attestations")
    if "Quel bilan" in trainer.last:
        await trainer.presses("1")
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says("j'ai participé mais je suis parti à 11h")
    await hugo.says("oui")
    await trainer.says("Examiner une réponse signalée")
    assert "Avant d'attester, Hugo Moreau a écrit" in plain(trainer.last), trainer.last


def test_links_that_cannot_be_given_again_are_said_in_the_plural() -> None:
    """Explorer AI9: « Je ne peux pas redonner le lien de Léa Martin et Hugo Moreau : il a
    été créé … » — several links, « de » before each name."""
    from bot.texts import say

    two = say("attestation_trainer.lost_links", names=["Léa Martin", "Hugo Moreau"])
    assert two.startswith(
        "Je ne peux pas redonner les liens de Léa Martin et d'Hugo Moreau : ils ont été créés"
    )
    assert "Ils fonctionnent toujours ; si l'un d'eux a été perdu" in two
    one = say("attestation_trainer.lost_links", names=["Hugo Moreau"])
    assert one.startswith("Je ne peux pas redonner le lien d'Hugo Moreau : il a été créé")


def test_what_the_dossier_lacks_is_the_justificatif_of_each_name() -> None:
    """Explorer AI24: « il manque Léa Martin et Hugo Moreau » said the people were missing;
    what the dossier lacks is their justificatif, as the e-mail to the Région says (AI1)."""
    from bot.texts import say

    two = say(
        "attestation_trainer.bundle_ready",
        count=1,
        sheets=0,
        complete=False,
        missing=["Léa Martin", "Hugo Moreau"],
        flagged=[],
    )
    assert (
        "Il est <b>incomplet</b> : il manque les justificatifs de Léa Martin et d'Hugo Moreau."
        in two
    )
    one = say(
        "attestation_trainer.bundle_ready",
        count=1,
        sheets=0,
        complete=False,
        missing=["Hugo Moreau"],
        flagged=[],
    )
    assert "Il est <b>incomplet</b> : il manque le justificatif d'Hugo Moreau." in one


async def test_the_second_of_two_administrators_is_told_the_first_s_decision(
    db: Database, trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer KC3: Camille and Bruno, both administrators, examined Karim's flagged answer
    at the same time (two processes on PostgreSQL); Camille validated it, then Bruno's
    « Ne pas la valider » was told only « Cette réponse n'attend plus votre examen (elle a
    été remplacée ou déjà examinée). Choisissez « Retour » », under the same two buttons,
    nothing of Camille's validation.  Now he is told who decided what, and when."""
    await second_admin(db)
    bruno = person("bruno")
    await delegate_as_trainee(db, person, clock)
    for one in (trainer, bruno):
        await one.says("/attestations")
        await one.presses("Examiner une réponse signalée")
    await trainer.presses("Valider cette réponse")
    await bruno.presses("Ne pas la valider : nouveau lien")
    assert bruno.all_text.startswith(
        "Cette réponse a déjà été validée par Camille Durand le jeudi 26 novembre 2026 à "
        "17 h 00 : elle compte dans le dossier de preuves. Votre décision n'est pas enregistrée."
    ), bruno.all_text
    assert "Ne pas la valider : nouveau lien" not in bruno.buttons  # back at the bilan's menu
    async with db.sessions() as session:
        reviews = (await session.scalars(select(AttestationReview))).all()
        links = await session.scalar(select(func.count(AttestationInvitation.id)))
    assert [review.decision for review in reviews] == ["validated"]
    assert links == 1  # no new link
