"""What a wrong, expired, revoked or reused code gets; attesting for another bilan or as
someone else; hostile names in chat and PDF; and nothing about a participant in the logs."""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import setup_logging
from bot.attestations.bundle import build
from bot.attestations.keys import signing_key
from bot.config import Settings
from bot.invitations import code_hash, new_code
from bot.storage.attestations import Attestation, AttestationInvitation, FrozenEvidence
from bot.storage.bilans import BilanParticipant
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.attestations import (
    BILAN_END,
    add_bilan,
    after_the_bilan,
    codes,
    insert_other_organisation,
    issue_code,
    open_zip,
    schedule_bilan,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_text, pdf_words
from tests.auxil.smtp import mail_settings, send_emails, smtp_server

UNKNOWN = "Ce code n'est pas valable"
PRIVATE = ("Léa", "Hugo", "Martin", "Moreau", "Agent de restauration", "démonstration", "Zoé")


def reveals_nothing(text: str) -> None:
    for word in PRIVATE:
        assert word not in text, word


async def attestation_count(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count(Attestation.id))) or 0)


async def test_forged_and_malformed_codes_get_the_unknown_answer(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    await schedule_bilan(trainer)
    mallory = person("mallory")
    for attempt in (new_code(), secrets.token_hex(16), "../../etc/passwd", "'; DROP TABLE x; --"):
        await mallory.says(f"/start {attempt}")
        assert UNKNOWN in mallory.last
        reveals_nothing(mallory.all_text)


async def test_an_expired_code_is_refused_before_and_after_it_was_used(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea, hugo = person("lea"), person("hugo")
    await lea.says(f"/start {invited['Léa Martin']}")  # bound to her chat
    clock.now = BILAN_END + timedelta(days=30, minutes=1)
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    assert "Ce lien a expiré" in hugo.last
    reveals_nothing(hugo.all_text)
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "Ce lien a expiré" in lea.last
    await lea.says("/attestation")
    assert "Ce lien a expiré" in lea.last
    assert await attestation_count(db) == 0


async def test_the_expiry_is_an_organisation_setting(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    from bot.storage.people import Organisation

    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        organisation.settings = {"attestation_days_after": 3}
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    assert "valable jusqu'au dimanche 29 novembre 2026 à 16 h 00" in trainer.all_text
    clock.now = BILAN_END + timedelta(days=3, minutes=1)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    assert "Ce lien a expiré" in hugo.last


async def test_a_revoked_code_is_refused_and_the_new_one_works(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    old = codes(trainer.replies)["Léa Martin"]
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien")
    await trainer.presses("Léa Martin")
    assert "l'ancien ne fonctionne plus" in trainer.all_text
    new = codes(trainer.replies)["Léa Martin"]
    assert new != old
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {old}")
    assert "Ce lien a été remplacé" in lea.last
    reveals_nothing(lea.all_text)
    await lea.says(f"/start {new}")
    assert "nom complet" in lea.last


async def test_a_code_serves_one_chat_identity_only(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    code = codes(trainer.replies)["Léa Martin"]
    clock.advance(days=3, hours=6)
    lea, mallory = person("lea"), person("mallory")
    await lea.says(f"/start {code}")
    assert "nom complet" in lea.last
    # Someone else got hold of the link: a clear refusal, and nothing about Léa or the bilan.
    await mallory.says(f"/start {code}")
    assert "déjà été utilisé depuis un autre compte" in mallory.last
    reveals_nothing(mallory.all_text)
    await mallory.says("/attestation")
    assert "Si vous avez reçu un lien, ouvrez-le ; si vous avez reçu un code" in mallory.last
    # The same code on another platform is another identity too.
    from bot.messages import Platform

    elsewhere = person("lea", platform=Platform.TELEGRAM)
    await elsewhere.says(f"/start {code}")
    assert "déjà été utilisé depuis un autre compte" in elsewhere.last
    # Léa herself can come back with it.
    await lea.says(f"/start {code}")
    assert "nom complet" in lea.last
    async with db.sessions() as session:
        invitation = await session.scalar(
            select(AttestationInvitation).where(AttestationInvitation.redeemed_at.is_not(None))
        )
        assert invitation is not None and invitation.redeemed_user_id == "lea"


async def test_the_trainer_opening_a_link_does_not_use_it_up(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    await schedule_bilan(trainer)
    code = codes(trainer.replies)["Léa Martin"]
    await trainer.says(f"/start {code}")
    assert "à transférer à la personne invitée" in trainer.last
    lea = person("lea")
    await lea.says(f"/start {code}")
    assert "Bonjour ! Je suis formabot" in lea.all_text


async def test_no_attesting_as_someone_else_nor_for_another_bilan(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    other = await insert_other_organisation(db)
    zoe_code = await issue_code(db, other.bilan_id, "Zoé Autre", at=clock.now)
    clock.advance(days=3, hours=6)
    lea, zoe = person("lea"), person("zoe")
    await lea.says(f"/start {invited['Léa Martin']}")
    # Hugo's link, forwarded to Léa by mistake: she already has her own for this bilan.
    await lea.says(f"/start {invited['Hugo Moreau']}")
    # Refused first, then her own question in hand again (explorer UC6).
    assert "destiné à une autre personne" in lea.all_text
    assert lea.last.startswith("Pour commencer, quel est votre nom complet")
    assert "Hugo" not in lea.all_text
    async with db.sessions() as session:
        hugo_invitation = await session.scalar(
            select(AttestationInvitation).where(
                AttestationInvitation.code_hash == code_hash(invited["Hugo Moreau"])
            )
        )
        assert hugo_invitation is not None and hugo_invitation.redeemed_at is None
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    assert "nom complet" in hugo.last  # still Hugo's
    # Another organisation's bilan: Zoé uses her code; Léa trying it gets the refusal.
    await zoe.says(f"/start {zoe_code}")
    await lea.says(f"/start {zoe_code}")
    assert "déjà été utilisé depuis un autre compte" in lea.all_text
    reveals_nothing(lea.all_text)
    # A forged button naming another bilan's invitation is refused like a made-up one.
    lea_bilan_two = await add_bilan(db, start=clock.now - timedelta(hours=3))
    second = await issue_code(db, lea_bilan_two, "Léa Martin", at=clock.now)
    await lea.says(f"/start {second}")
    await lea.says("/attestation")
    assert "plusieurs bilans" in lea.last
    async with db.sessions() as session:
        zoe_invitation = await session.scalar(
            select(AttestationInvitation.id).where(AttestationInvitation.bilan_id == other.bilan_id)
        )
    question = lea.replies[-1].choices[0].data.split("|")[0]
    await lea.presses_data(f"{question}|{zoe_invitation}")
    forged_answer = lea.last
    await lea.presses_data(f"{question}|987654")
    assert lea.last == forged_answer and "n'est pas (ou plus) proposé" in forged_answer
    assert await attestation_count(db) == 0


async def test_the_trainer_of_another_organisation_sees_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    bilan_id = await schedule_bilan(trainer)
    other = await insert_other_organisation(db)
    async with db.sessions() as session, session.begin():
        from bot.storage.bilans import Bilan

        first = await session.get(Bilan, other.bilan_id)
        assert first is not None
        session.add(
            Bilan(
                organisation_id=first.organisation_id,
                formation_id=first.formation_id,
                kind="fin",
                remote=True,
                starts_at=first.starts_at + timedelta(days=30),
                ends_at=first.ends_at + timedelta(days=30),
                participants=[BilanParticipant(kind="delegate", name="Zoé Autre")],
            )
        )
    bruno = person("autre")
    await bruno.says("/attestations")
    assert "Les attestations de quel bilan" in bruno.last
    assert all("Cuisine (autre OF)" in label for label in bruno.buttons)
    reveals_nothing(bruno.all_text.replace("Zoé", ""))
    # A forged button naming the other organisation's bilan: refused like a made-up one.
    question = bruno.replies[-1].choices[0].data.split("|")[0]
    await bruno.presses_data(f"{question}|{bilan_id}")
    forged = bruno.last
    await bruno.presses_data(f"{question}|987654")
    assert bruno.last == forged and "n'est pas (ou plus) proposé" in forged
    await bruno.says("Agent de restauration")
    assert "Je n'ai pas reconnu ce choix" in bruno.last
    # The refusal says back what was typed, and nothing else of the other organisation.
    assert "ne correspond à « Agent de restauration »" in bruno.last
    reveals_nothing(bruno.all_text.replace("« Agent de restauration »", "").replace("Zoé", ""))


async def test_evidence_rows_never_change(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    with pytest.raises(FrozenEvidence):
        async with db.sessions() as session, session.begin():
            answer = await session.scalar(select(Attestation))
            assert answer is not None
            answer.typed_name = "Quelqu'un d'autre"
    async with db.sessions() as session:
        answer = await session.scalar(select(Attestation))
        assert answer is not None and answer.typed_name == "Léa Martin"


HOSTILE_NAME = "<b>Léa</b> & <script>alert(1)</script>"


async def test_hostile_names_are_harmless_in_chat_and_pdf(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    # Trainer-entered names with markup and invisible characters (typed elsewhere, pasted).
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Hugo Moreau")
        )
        assert hugo is not None
        hugo.name = "Hu\x00go\u202e <i>Moreau</i>\x1b[31m"
        lea_row = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Léa Martin")
        )
        assert lea_row is not None
        lea_row.name = HOSTILE_NAME
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa\x1b[31m Martin\u202e")
    assert "caractères de contrôle" in lea.last  # refused, asked again
    await lea.says("<b>Zoé</b>")
    assert "Je n'ai pas compris" in lea.last  # markup is no name of its own
    await lea.says(HOSTILE_NAME)  # but the invited name is, however it is written
    await lea.presses("Je représente les stagiaires")
    markup = lea.replies[-1].text
    assert "<script>" not in markup and "<b>Léa" not in markup
    assert "&lt;b&gt;Léa&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in markup
    await lea.presses("Je l'atteste")
    (copy,) = [r.document for r in lea.replies if r.document is not None]
    assert HOSTILE_NAME in pdf_words(copy.content)  # shown as typed, never interpreted
    await trainer.says("/attestations")
    status = trainer.replies[-1].text
    assert "<script>" not in status and "\x00" not in status and "\u202e" not in status
    assert "Hugo &lt;i&gt;Moreau&lt;/i&gt;" in status
    await trainer.presses("Nouveau lien")
    await trainer.presses("Moreau")
    invitation = next(r.text for r in trainer.replies if r.extras.get("invite_code"))
    assert "\x1b" not in invitation and "Bonjour Hugo &lt;i&gt;Moreau&lt;/i&gt;," in invitation
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    files, manifest = open_zip(zipped.content)
    recap = pdf_text(files["recapitulatif.pdf"])
    assert "\x00" not in recap and "\u202e" not in recap and "<i>Moreau</i>" in recap
    assert any(p["nom"] == "Hugo <i>Moreau</i>" for p in manifest["participants"])
    assert HOSTILE_NAME in files[next(n for n in files if n.endswith(".txt"))].decode()


async def test_nothing_about_a_participant_reaches_the_logs(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    setup_logging("DEBUG")  # what `formabot run` does with FORMABOT_LOG_LEVEL=DEBUG
    caplog.set_level(logging.DEBUG)
    # The SMTP server below is the test's peer, not the bot: its own logs are not ours.
    for peer in ("mail.log", "mail.debug"):
        logging.getLogger(peer).setLevel(logging.WARNING)
    try:
        with smtp_server() as smtp:
            trainer.engine.settings = mail_settings(settings, smtp)
            await schedule_bilan(trainer)
            invited = codes(trainer.replies)
            clock.advance(days=3, hours=6)
            lea, hugo = person("lea"), person("hugo")
            await lea.says(f"/start {invited['Léa Martin']}")
            await lea.says("Léa Martinez")
            await lea.presses("Garder")
            await lea.presses("Stagiaire de la formation")
            await lea.presses("Je l'atteste")
            await hugo.says(f"/start {invited['Hugo Moreau']}")
            await hugo.says("Hugo Moreau")
            await hugo.presses("Je représente les stagiaires")
            await hugo.presses("Je n'ai pas participé")
            await hugo.says("Raison confidentielle Ouessant")
            await person("mallory").says(f"/start {invited['Hugo Moreau']}")
            await trainer.says("/attestations")
            await trainer.presses("Inviter ou relancer")
            await trainer.presses("Déposer la feuille")
            await trainer.presses("Hugo")
            await trainer.presses("Terminé")
            await trainer.sends_file("feuille Groix.pdf", "application/pdf", b"%PDF-1.4 x")
            await trainer.presses("Recevoir le dossier")
            await trainer.presses("Envoyer à la personne chargée de mission")
            await trainer.presses("Envoyer")
            await send_emails(db, trainer.engine.settings)
            # the chargée de mission's invitation (at scheduling) and the proof bundle
            assert len(smtp.received) == 2
        logged = caplog.text
        records = len(caplog.records)
    finally:
        for name in ("aiosqlite", "asyncio", "httpx", "httpcore", "nio", "mail.log", "mail.debug"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert records > 0  # the run was logged at DEBUG…
    for secret in (
        "Léa",
        "Martinez",
        "Hugo",
        "Moreau",
        "Ouessant",
        "Groix",
        "Sophie",
        "Leroy",
        "sophie.leroy@example.org",
        "Camille",
        *invited.values(),
    ):
        assert secret not in logged, secret  # …and nothing about a participant in it


async def notices(db: Database, key: str) -> list[str]:
    """What the outbox holds for the trainer under ``key`` (a LIKE pattern), plain text."""
    async with db.sessions() as session:
        payloads = (
            await session.scalars(
                select(OutboxMessage.payload)
                .where(OutboxMessage.key.like(key))
                .order_by(OutboxMessage.id)
            )
        ).all()
    return [html.unescape(p["text"]) for p in payloads]


async def forwarded_and_taken(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> tuple[Talker, Talker, dict[str, str]]:
    """Léa's link forwarded to Aïcha, who opens it first; Léa is then refused on it."""
    invited = await after_the_bilan(trainer, clock)
    aicha, lea = person("aicha"), person("lea")
    await aicha.says(f"/start {invited['Léa Martin']}")
    trainer.replies.clear()
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "déjà été utilisé depuis un autre compte" in lea.last
    return aicha, lea, invited


async def test_a_link_tried_by_another_account_is_told_to_the_trainer_once(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AL3: the trainer read « Léa Martin a ouvert son lien », never that Léa was
    refused on it: the forwarded-link case « Nouveau lien » exists for."""
    _aicha, lea, invited = await forwarded_and_taken(trainer, person, clock)
    (told,) = await notices(db, "attestation:contested:%")
    assert told.startswith("⚠ Le lien d'attestation de Léa Martin (bilan de fin de formation du")
    assert "essayé depuis un autre compte que celui qui l'a ouvert le" in told
    assert "« Nouveau lien pour un participant »" in told
    await lea.says(f"/start {invited['Léa Martin']}")  # again: told once
    assert len(await notices(db, "attestation:contested:%")) == 1
    async with db.sessions() as session:
        contested = await session.scalar(
            select(AttestationInvitation.contested_at).where(
                AttestationInvitation.code_hash == code_hash(invited["Léa Martin"])
            )
        )
    assert contested is not None


async def test_an_answer_through_a_link_another_account_was_refused_on_is_to_examine(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AL4: the classmate who opened the forwarded link swore in Léa's name, and it
    counted as ✅, unflagged."""
    aicha, _lea, _invited = await forwarded_and_taken(trainer, person, clock)
    for line in ("Léa Martin", "oui"):
        await aicha.says(line)
    await aicha.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in aicha.all_text
    (told,) = await notices(db, "attestation:answer:%")
    assert told.startswith("❔ Léa Martin a attesté")
    assert "Son lien avait été essayé depuis un autre compte" in told
    await trainer.says("/attestations")
    assert "son lien avait été essayé depuis un autre compte" in trainer.all_text
    assert "à examiner, elle ne compte pas encore" in trainer.last


async def test_a_new_link_opened_from_another_account_asks_its_answer(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, tmp_path: Path
) -> None:
    """Explorer AL5: the real Léa, on the new link, read « Vous avez déjà répondu … vous avez
    attesté » and got the PDF the classmate swore from her own account."""
    aicha, lea, _invited = await forwarded_and_taken(trainer, person, clock)
    for line in ("Léa Martin", "oui"):
        await aicha.says(line)
    await aicha.presses("Je l'atteste")
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien pour un participant")
    await trainer.presses("Léa Martin")
    renewed = codes(trainer.replies)
    lea.replies.clear()
    await lea.says(f"/start {renewed['Léa Martin']}")
    assert "Vous avez déjà répondu" not in lea.all_text
    assert "depuis un autre compte que celui-ci" in lea.all_text
    assert "nom complet" in lea.last
    assert not any(r.document for r in lea.replies)
    for line in ("Léa Martin", "oui"):
        await lea.says(line)
    await lea.presses("Je l'atteste")
    async with db.sessions() as session:
        answers = (await session.scalars(select(Attestation).order_by(Attestation.id))).all()
    assert [(a.chat_user_id, a.version) for a in answers] == [
        (aicha.name, 1),
        (lea.name, 2),
    ]
    # The bundle says the version replaced came from another account (explorer AL6).
    async with db.sessions() as session:
        bundle = await build(session, answers[0].bilan_id, now=clock.now, key=signing_key(tmp_path))
    files, _ = open_zip(bundle.content)
    recap = " ".join(pdf_text(files["recapitulatif.pdf"]).split())
    assert (
        "Léa Martin, version 1 du jeudi 26 novembre 2026 à 16 h 30, donnée depuis un autre "
        "compte de messagerie que la version retenue : a attesté sur l'honneur sa participation,"
        " texte" in recap  # its answer: DB7; no « attestée » after a man's name (explorer AI3)
    )


async def test_the_trainer_checking_a_link_already_opened_contests_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AN5: the trainer tapping Léa's link to check it marked it « contested », and
    Léa's honest answer was then « à examiner »."""
    invited = await after_the_bilan(trainer, clock)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await trainer.says(f"/start {invited['Léa Martin']}")
    assert "déjà été utilisé depuis un autre compte" not in trainer.all_text
    assert await notices(db, "attestation:contested:%") == []
