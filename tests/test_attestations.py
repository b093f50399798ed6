"""The attestations end to end on the console engine: a bilan scheduled with /bilan,
the delegates invited, one attests and one declines in their own chat, the trainer
follows, gets the proof bundle in chat and on the command line; the ZIP is opened
and its PDFs, manifest hashes and the stored evidence are checked."""

from __future__ import annotations

import argparse
import base64
import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot import cli
from bot.app import build_engine
from bot.attestations.evidence import text_sha256
from bot.attestations.exports import attestations_bundle
from bot.attestations.reminders import answered_since, tell_participants_the_bilan_is_over
from bot.config import Settings
from bot.invitations import code_hash
from bot.messages import Platform
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Organisation, Person
from bot.texts import plain
from tests.auxil.absences import add_formation
from tests.auxil.attestations import (
    BILAN_START,
    add_bilan,
    codes,
    lea_at_the_text,
    open_zip,
    schedule_bilan,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words
from tests.auxil.race import second_admin
from tests.auxil.telegram_bot import link_to_telegram


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_scheduling_invites_each_delegate_with_a_personal_code(
    trainer: Talker, db: Database
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    assert set(invited) == {"Léa Martin", "Hugo Moreau"}
    assert "Voici 2 invitations personnelles" in trainer.all_text
    for code in invited.values():
        assert len(code) >= 22  # 16 random bytes, URL-safe
        assert f"/start {code}" in trainer.all_text
    async with db.sessions() as session:
        rows = (await session.scalars(select(AttestationInvitation))).all()
        assert {r.code_hash for r in rows} == {code_hash(c) for c in invited.values()}
        assert all(r.bilan_id == bilan_id and r.redeemed_at is None for r in rows)
        # Default validity: 30 days after the end of the bilan (Thursday 16 h Paris).
        assert {r.expires_at.isoformat() for r in rows} == {"2026-12-26T15:00:00+00:00"}
        # Only the hash is stored: the clear code is nowhere in the database.
        for code in invited.values():
            assert code not in repr([(r.code_hash, r.target_user) for r in rows])


async def test_each_invitation_says_what_to_do_after_the_bilan_on_a_line_of_its_own(
    trainer: Talker,
) -> None:
    """Outside test: « …le jeudi 26 novembre 2026 à 14 h 00, à distance.Après le bilan… »."""
    await schedule_bilan(trainer)
    invitations = [plain(r.text) for r in trainer.replies if r.extras.get("invite_code")]
    assert len(invitations) == 2
    for text in invitations:
        assert "Tchap" not in text  # the bot is not on Matrix here
        assert "de 14 h 00 à 16 h 00, à distance.\nPour rejoindre la visio" in text
        assert "communiqué à part.\nAprès le bilan, pour l'attestation" in text
        assert "l'attestation sur l'honneur demandée par la Région (une minute" in text


async def test_on_matrix_an_invitation_to_forward_names_the_bot_s_address(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer G G3: on a Matrix-only bot, « envoyez au bot formabot » named no address."""
    on_matrix = replace(
        settings, matrix_homeserver="https://matrix.example.org", matrix_user_id="@formabot:ex.org"
    )
    trainer = Talker(build_engine(db, on_matrix, clock=clock), "formateur", Platform.CONSOLE)
    await schedule_bilan(trainer)
    invitations = [plain(r.text) for r in trainer.replies if r.extras.get("invite_code")]
    assert len(invitations) == 2
    for text, code in zip(invitations, codes(trainer.replies).values(), strict=True):
        assert (  # one way to answer, Tchap's (explorer EF10: the step given twice)
            "(une minute suffit), sur Tchap (ou un autre client Matrix), ouvrez une discussion "
            f"avec @formabot:ex.org et envoyez-y ce message : /start {code}"
        ) in text
        assert text.count(f"/start {code}") == 1 and "envoyez à l'assistant formabot" not in text


async def test_on_matrix_a_relance_sent_by_the_bot_is_said_a_relance(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer GB3: the relance of an invitation the bot sent on Matrix was said « j'ouvre la
    conversation … dès qu'elle sera acceptée », of a chat open and joined."""
    on_matrix = replace(
        settings, matrix_homeserver="https://matrix.example.org", matrix_user_id="@formabot:ex.org"
    )
    trainer = Talker(build_engine(db, on_matrix, clock=clock), "formateur", Platform.CONSOLE)
    await schedule_bilan(trainer, untick=("Hugo Moreau",))
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(BilanParticipant)
            .where(BilanParticipant.name == "Léa Martin")
            .values(contact="@lea:ex.org")
        )
        await session.execute(update(AttestationInvitation).values(revoked_at=clock.now))
    said = []
    for _ in range(2):
        await trainer.says("/attestations")
        await trainer.presses("Inviter ou relancer")
        said.append(trainer.all_text)
    assert "J'envoie moi-même l'invitation sur Matrix à Léa Martin" in said[0]
    assert (
        "Je relance moi-même Léa Martin sur Matrix, avec le même lien personnel, dans la "
        "conversation que je lui ai ouverte. Rien à transférer."
    ) in said[1].split("J'envoie moi-même")[-1]


async def test_on_matrix_the_chat_the_bot_opens_brings_the_bilan_s_ics_before_it(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer DB4: a partner the bot invited on Matrix to a remote bilan got its date in
    words only, never a file for his agenda, while the trainer read « les participants, je
    les préviens moi-même »."""
    on_matrix = replace(
        settings, matrix_homeserver="https://matrix.example.org", matrix_user_id="@formabot:ex.org"
    )
    trainer = Talker(build_engine(db, on_matrix, clock=clock), "formateur", Platform.CONSOLE)
    await schedule_bilan(trainer, untick=("Hugo Moreau",))
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(BilanParticipant)
            .where(BilanParticipant.name == "Léa Martin")
            .values(contact="@lea:ex.org")
        )
        await session.execute(update(AttestationInvitation).values(revoked_at=clock.now))
    await trainer.says("/attestations")
    await trainer.presses("Inviter ou relancer")
    async with db.sessions() as session:
        [sent] = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.chat_id == "@lea:ex.org")
            )
        ).all()
    document = sent.payload["document"]
    assert document["mime_type"] == "text/calendar" and document["filename"].endswith(".ics")
    ics = base64.b64decode(document["content"]).decode()
    assert "BEGIN:VEVENT" in ics and "STATUS:CONFIRMED" in ics


async def test_a_bilan_with_nobody_invited_says_so(trainer: Talker) -> None:
    """Explorer E E12 j: « Tout le monde a déjà répondu » for a bilan with no participant."""
    await schedule_bilan(trainer, untick=("Léa Martin", "Hugo Moreau"))
    await trainer.says("/attestations")
    assert "Nouveau lien pour un participant" not in trainer.buttons  # no one to give one
    await trainer.presses("Inviter ou relancer")
    assert (
        "Ce bilan n'a aucun participant : il n'y a personne à inviter. Pour en ajouter : "
        "/bilans, puis « Ajouter un participant »."
    ) in trainer.all_text
    assert "Tout le monde a déjà répondu" not in trainer.all_text


async def test_an_invitation_says_the_region_asks_only_where_it_does(trainer: Talker) -> None:
    """Explorer C: a Centre-Val de Loire bilan's invitations said the attestation was
    « demandée par la Région »: only the Région Normandie's procedure asks for it (§III)."""
    await schedule_bilan(trainer, "Projet professionnel", "Programmer le bilan d'étape")
    [invitation] = [plain(r.text) for r in trainer.replies if r.extras.get("invite_code")]
    assert "Bonjour Nadia Roux," in invitation
    assert "pour l'attestation sur l'honneur (une minute suffit)" in invitation
    assert "demandée par la Région" not in invitation


async def test_the_forwarded_invitation_pasted_whole_opens_it(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    """Explorer G G8: pasted back whole, the forwarded text was not read as its code."""
    await schedule_bilan(trainer)
    [forwarded] = [
        plain(r.text) for r in trainer.replies if r.extras.get("invite_code") and "Léa" in r.text
    ]
    lea = person("lea")
    await lea.says(forwarded)
    assert "Je ne vous connais pas" not in lea.all_text
    assert "il faut une invitation" not in lea.all_text
    assert "Camille Durand vous invite au bilan" in lea.all_text
    assert "à partir du jeudi 26 novembre 2026 à 16 h 00, et envoyez /attestation" in lea.all_text


async def test_a_participant_asking_for_a_members_command_is_told_what_is_hers(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    """Outside test: an invited participant typing /formation read « Je ne vous connais pas »."""
    await schedule_bilan(trainer)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    await lea.says("/formation")
    assert "Je ne vous connais pas" not in lea.all_text
    assert "réservée aux équipes des organismes de formation qui utilisent" in lea.all_text
    assert "Pour confirmer votre participation à un bilan, envoyez /attestation" in lea.all_text
    stranger = person("inconnu")
    await stranger.says("/formation")
    assert "Je ne vous connais pas encore" in stranger.last


async def test_a_whole_round_from_scheduling_to_the_bundle(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    settings: Settings,
    tmp_path: Path,
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea, hugo = person("lea"), person("hugo")

    # Monday: the link works, but the bilan has not started yet.
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "Organisme de démonstration" in lea.all_text
    assert "Camille Durand vous invite" in lea.all_text
    assert "bilan de fin de formation" in lea.all_text
    assert "a lieu le jeudi 26 novembre 2026 de 14 h 00 à 16 h 00, à distance" in lea.all_text
    assert "Pour rejoindre la visio : https://visio.example.org/bilan" in lea.all_text
    assert "Rien à faire pour l'instant" in lea.last
    await lea.says("c'est quand ?")
    assert "Rien à faire pour l'instant" in lea.last
    assert (  # its start first, then its end (explorer DC7: only its end was said)
        "a lieu le jeudi 26 novembre 2026 de 14 h 00 à 16 h 00, à distance.\nRien à faire pour "
        "l'instant : revenez après le bilan, à partir de 16 h 00 ce jour-là"
    ) in lea.last

    # Thursday, after the bilan: /attestation resumes (the link is bound to her chat).
    clock.advance(days=3, hours=7, minutes=30)  # Thursday 16 h 30 UTC, 17 h 30 in Paris
    await lea.says("/attestation")
    assert "nom complet" in lea.last
    await lea.says("Léa Martin")
    assert "À quel titre" in lea.last
    await lea.says("Je suis déléguée")  # explorer U U9: a sentence, not the button
    shown = lea.last
    for words in (
        "Moi, Léa Martin, représentant les stagiaires de la formation "
        "« Agent de restauration (démo) »",
        "financée par la Région Normandie",
        # Not « … de fin de formation de cette formation » (explorer DE3).
        "atteste sur l'honneur avoir participé au bilan de fin de formation, qui s'est tenu",
        "à distance, en visioconférence, le jeudi 26 novembre 2026, de 14 h 00 à 16 h 00",
        # Nothing agrees with the organisation's name, never bare (explorer AI11).
        "Ce bilan était organisé par l'organisme de formation « Organisme de démonstration »,"
        " en la personne de Camille Durand ;",
        "la formation est suivie, pour la Région Normandie, par Mme Sophie Leroy.",
    ):
        assert words in shown, words
    assert "en présence" not in shown  # her presence is not the participant's to swear
    assert lea.buttons == [
        "Je l'atteste sur l'honneur",
        "Je n'ai pas participé",
        "Corriger mon nom",
    ]
    [sworn] = [c.data for r in lea.replies for c in r.choices if c.label.startswith("Je l'")]
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.all_text
    (copy,) = [r.document for r in lea.replies if r.document is not None]
    # Explorer AC1: the button tapped twice; the second press said « la conversation
    # correspondante est terminée » just after her sworn statement. Now nothing.
    assert await lea.presses_data(sworn) == []
    assert copy.mime_type == "application/pdf"
    copy_words = pdf_words(copy.content)
    assert "Attestation sur l'honneur – Léa Martin" in copy_words
    assert "atteste sur l'honneur avoir participé au bilan de fin de formation" in copy_words

    # Hugo did not take part, and says why.
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Moreau")
    await hugo.presses("Je représente les stagiaires")
    await hugo.presses("Je n'ai pas participé")
    assert "pourquoi" in hugo.last
    # Explorer U U10: the reason goes to the Région, so no health detail is asked for.
    assert "figurera dans le dossier transmis à la Région : pas de détail sur votre santé" in (
        hugo.last
    )
    await hugo.says("J'étais malade ce jour-là")
    # Explorer W, W13: a health detail is pointed out once, and kept only if sent again.
    assert hugo.last.startswith("Si votre réponse parle de santé, sachez qu'elle figurera")
    await hugo.says("J'étais malade ce jour-là")
    assert "vous déclarez ne pas avoir participé" in hugo.last

    # The frozen evidence.
    async with db.sessions() as session:
        answers = {a.typed_name: a for a in (await session.scalars(select(Attestation))).all()}
        assert set(answers) == {"Léa Martin", "Hugo Moreau"}
        lea_answer = answers["Léa Martin"]
        assert lea_answer.answer == "attested" and lea_answer.version == 1
        assert lea_answer.text in shown  # the exact text she read
        assert lea_answer.text_sha256 == text_sha256(lea_answer.text)
        assert lea_answer.answered_at == clock.now
        assert (lea_answer.platform, lea_answer.chat_user_id, lea_answer.chat_id) == (
            "console",
            "lea",
            "lea",
        )
        used = await session.get(AttestationInvitation, lea_answer.invitation_id)
        assert used is not None and used.code_hash == code_hash(invited["Léa Martin"])
        assert used.redeemed_user_id == "lea" and used.redeemed_platform == "console"
        assert lea_answer.pdf == copy.content and lea_answer.pdf_sha256 == sha(copy.content)
        assert lea_answer.name_matches and lea_answer.role_matches
        hugo_answer = answers["Hugo Moreau"]
        assert (
            hugo_answer.answer == "declined" and hugo_answer.reason == "J'étais malade ce jour-là"
        )
        assert hugo_answer.pdf is None
        # Participants are people with a chat identity, but no membership.
        lea_person = await session.scalar(
            select(Person).join(ChatIdentity).where(ChatIdentity.user_id == "lea")
        )
        assert lea_person is not None and lea_person.display_name == "Léa Martin"
        assert (
            await session.scalar(select(Membership).where(Membership.person_id == lea_person.id))
        ) is None
        # The trainer heard of both answers, through the outbox, once each.
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:answer:%"))
            )
        ).all()
        assert {n.chat_id for n in notices} == {"formateur"}
        assert len(notices) == 2
        assert any("Léa Martin a attesté" in n.payload["text"] for n in notices)

    # The trainer follows.
    await trainer.says("/attestations")
    status = trainer.last
    assert (
        "Léa Martin" in status
        and "a attesté sa participation le jeudi 26 novembre 2026 à 17 h 30" in status
    )
    assert "Hugo Moreau" in status and "malade" in status
    assert "complet" in status and "incomplet" not in status

    # The bundle in chat.
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    assert zipped.filename == "justificatifs-bilan-2026-11-26-agent-de-restauration-demo.zip"
    assert "Il est complet" in trainer.all_text
    files, manifest = open_zip(zipped.content)
    assert sorted(files) == [
        "attestation-01-lea-martin.pdf",
        "attestation-01-lea-martin.txt",
        "cle-publique.pem",
        "manifest.json",
        "manifest.json.signature",
        "recapitulatif.pdf",
    ]
    for entry in manifest["fichiers"]:
        assert sha(files[entry["nom"]]) == entry["sha256"]
        assert len(files[entry["nom"]]) == entry["taille"]
    assert manifest["complet"] is True and manifest["manquants"] == []
    assert manifest["bilan"]["id"] == bilan_id
    assert manifest["bilan"]["début"] == "2026-11-26T13:00:00Z"
    by_name = {p["nom"]: p for p in manifest["participants"]}
    lea_entry = by_name["Léa Martin"]["réponse"]
    assert lea_entry["texte_sha256"] == lea_answer.text_sha256
    assert lea_entry["répondu_le"] == "2026-11-26T16:30:00Z"
    assert lea_entry["compte"] == "lea" and lea_entry["invitation_id"] == used.id
    assert files["attestation-01-lea-martin.txt"].decode("utf-8") == lea_answer.text
    assert sha(files["attestation-01-lea-martin.txt"]) == lea_answer.text_sha256
    assert files["attestation-01-lea-martin.pdf"] == lea_answer.pdf
    # What the person declared, not a fact; and nothing agreeing with a name (explorer AI3).
    assert by_name["Hugo Moreau"]["état"] == "déclare ne pas avoir participé"
    assert by_name["Léa Martin"]["état"] == "participation attestée"
    assert by_name["Hugo Moreau"]["réponse"]["raison"] == "J'étais malade ce jour-là"
    pdf = pdf_words(files["attestation-01-lea-martin.pdf"])
    assert "Moi, Léa Martin," in pdf and lea_answer.text_sha256 in pdf
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "Justificatifs de participation" in recap and "complet" in recap
    assert "Léa Martin" in recap and "Hugo Moreau" in recap and "malade" in recap
    # The Région's contact named as everywhere (explorer AI19: « Suivi à la Région : »).
    assert "Personne chargée de mission de la Région : Mme Sophie Leroy" in " ".join(recap.split())
    assert sha(files["attestation-01-lea-martin.pdf"]) in recap

    # And on the command line.
    out = tmp_path / "preuves.zip"
    args = cli.parse(["export", "attestations", "--bilan", str(bilan_id), "--out", str(out)])
    assert await cli.cmd_export(settings, args) == 0
    exported, exported_manifest = open_zip(out.read_bytes())
    assert exported["attestation-01-lea-martin.pdf"] == lea_answer.pdf
    assert exported_manifest["participants"] == manifest["participants"]


async def test_a_correction_adds_a_version_and_keeps_the_first(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Lea Martinez")
    await lea.presses("Garder")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    # She notices the typo later and comes back with the same link.
    clock.advance(hours=1)
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "Vous avez déjà répondu" in lea.last
    assert "Recevoir à nouveau" in " ".join(lea.buttons)
    await lea.presses("Corriger ma réponse")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    async with db.sessions() as session:
        versions = (await session.scalars(select(Attestation).order_by(Attestation.version))).all()
        assert [(a.version, a.typed_name, a.name_matches) for a in versions] == [
            (1, "Lea Martinez", False),
            (2, "Léa Martin", True),
        ]
        assert versions[0].text != versions[1].text
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"attestation:answer:{versions[1].id}")
        )
        assert notice is not None  # a ZIP received before lacks it: said (explorer M)
        assert (
            "Un dossier de preuves reçu avant cette correction ne la contient pas"
            in (notice.payload["text"])
        )
    await trainer.says("/attestations")
    assert "nom tapé" not in trainer.last  # the current version matches
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    _, manifest = open_zip(zipped.content)
    assert [s["version"] for s in manifest["versions_remplacées"]] == [1]
    assert manifest["versions_remplacées"][0]["nom_tapé"] == "Lea Martinez"


async def test_a_name_mismatch_is_accepted_and_flagged_to_the_trainer(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugues Morel")
    assert hugo.last == (
        "Votre invitation est au nom de Hugo Moreau, et vous avez écrit "
        "« Hugues Morel ». Vous êtes bien Hugo Moreau ?"
    )
    assert hugo.buttons == [
        "Oui, je suis Hugo Moreau",
        "Garder « Hugues Morel »",
        "Corriger mon nom",
    ]
    await hugo.presses("Garder")
    assert "l'attestation portera le nom « Hugues Morel »" in hugo.all_text
    await hugo.presses("Stagiaire de la formation")  # a delegate who says trainee only
    assert "Moi, Hugues Morel, stagiaire de la formation" in hugo.last
    await hugo.presses("Je l'atteste")
    assert "enregistrée" in hugo.all_text
    async with db.sessions() as session:
        answer = await session.scalar(select(Attestation))
        assert answer is not None and not answer.name_matches and not answer.role_matches
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"attestation:answer:{answer.id}")
        )
        assert notice is not None and "Nom tapé : « Hugues Morel »" in notice.payload["text"]
        assert "ne compte pas tant que vous ne l'avez pas examinée" in notice.payload["text"]
    await trainer.says("/attestations")
    assert "nom tapé : « Hugues Morel », différent de celui de l'invitation" in trainer.last
    assert "réponse du" in trainer.last and "à examiner, elle ne compte pas encore" in trainer.last
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    recap = pdf_words(open_zip(zipped.content)[0]["recapitulatif.pdf"])
    # The role sworn beside the invited one, never hidden behind it (explorer M).
    assert "a attesté comme « stagiaire »" in " ".join(recap.split()), recap


async def test_relancer_gives_the_same_links_and_reminds_those_who_talk_to_the_bot(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    first = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"/start {first['Léa Martin']}")  # opened, not answered (too early)
    clock.advance(days=4)
    await trainer.says("/attestations")
    assert "a ouvert son lien" in trainer.last
    await trainer.presses("Inviter ou relancer")
    again = codes(trainer.replies)
    assert again == {"Hugo Moreau": first["Hugo Moreau"]}  # the same link, not a new one
    # Said once (explorer HB16: « … restent les mêmes … (aucun lien n'a changé) »).
    assert "Son lien reste le même : voici à nouveau l'invitation à transférer." in (
        trainer.all_text
    )
    assert "aucun lien n'a changé" not in trainer.all_text
    assert "Rappel envoyé directement à Léa Martin" in trainer.all_text
    async with db.sessions() as session:
        rows = (await session.scalars(select(AttestationInvitation))).all()
        assert len(rows) == 2 and all(r.revoked_at is None for r in rows)
        assert {r.code_hash for r in rows} == {code_hash(c) for c in first.values()}
        reminders = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:remind:%"))
            )
        ).all()
        assert [(r.platform, r.chat_id) for r in reminders] == [("console", "lea")]
        assert "/attestation" in reminders[0].payload["text"]
    # Pressed again at once, it asks first (explorer KE11: Léa got the same reminder twice).
    await trainer.presses("Inviter ou relancer")
    assert trainer.last == (
        "J'ai déjà envoyé un rappel à Léa Martin il y a moins d'une minute. Le renvoyer maintenant ?"
    )
    await trainer.presses("Non")
    assert "Rien n'est renvoyé." in trainer.all_text
    async with db.sessions() as session:
        sent = select(OutboxMessage).where(OutboxMessage.key.like("attestation:remind:%"))
        assert len((await session.scalars(sent)).all()) == 1
    clock.advance(minutes=5)
    await trainer.presses("Inviter ou relancer")
    assert "rappel à Léa Martin il y a 5 min." in trainer.last
    # A second Relancer is a second reminder (a unique key per reminder), still no new link.
    await trainer.presses("Oui, renvoyer")
    assert codes(trainer.replies) == {"Hugo Moreau": first["Hugo Moreau"]}
    async with db.sessions() as session:
        count = len(
            (
                await session.scalars(
                    select(OutboxMessage).where(OutboxMessage.key.like("attestation:remind:%"))
                )
            ).all()
        )
        assert count == 2
        assert len((await session.scalars(select(AttestationInvitation))).all()) == 2
    # Léa left her chat with the bot meanwhile: said so, no reminder into it (explorer EF9).
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(ChatIdentity)
            .where(ChatIdentity.chat_id == "lea")
            .values(blocked_at=datetime(2026, 11, 27, 9, tzinfo=UTC))
        )
    clock.advance(hours=1)  # long enough since the last relance: not asked again
    await trainer.presses("Inviter ou relancer")
    assert "Rappel envoyé directement" not in trainer.all_text
    assert (
        "Léa Martin a quitté la conversation avec moi : je ne peux plus lui écrire. Prévenez "
        "cette personne autrement, ou choisissez « Nouveau lien pour un participant »."
    ) in trainer.all_text
    # Hugo's link, given twice, works (after the bilan: the attestation is asked).
    hugo = person("hugo")
    await hugo.says(f"/start {first['Hugo Moreau']}")
    assert "vous invite à confirmer votre participation" in hugo.all_text
    assert "nom complet" in hugo.last


async def test_a_new_link_only_when_asked_and_the_old_one_says_it_was_replaced(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await schedule_bilan(trainer)
    first = codes(trainer.replies)
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien pour un participant")
    await trainer.presses("Hugo Moreau")
    assert "Nouveau lien prêt pour Hugo Moreau" in trainer.all_text
    renewed = codes(trainer.replies)
    assert set(renewed) == {"Hugo Moreau"} and renewed["Hugo Moreau"] != first["Hugo Moreau"]
    hugo = person("hugo")
    await hugo.says(f"/start {first['Hugo Moreau']}")
    # Whoever holds the old link, never opened, learns no name.
    assert hugo.last == (
        "Ce lien a été remplacé par un nouveau : "
        "demandez-le à la personne qui vous a transmis celui-ci."
    )
    await hugo.says(f"/start {renewed['Hugo Moreau']}")
    assert "Le bilan a lieu le" in hugo.all_text
    async with db.sessions() as session:
        rows = (
            await session.scalars(select(AttestationInvitation).order_by(AttestationInvitation.id))
        ).all()
        hugo_rows = [r for r in rows if r.code_hash != code_hash(first["Léa Martin"])]
        assert [r.revoked_at is not None for r in hugo_rows] == [True, False]


async def test_an_on_site_participant_is_accounted_for_by_the_signed_sheet(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    await trainer.says("/attestations")
    assert "incomplet, il manque le justificatif d'Hugo Moreau" in trainer.last
    await trainer.presses("Déposer la feuille")
    # A remote bilan: the sheet proves only who came to the premises (explorer AU2, 000 §III).
    assert trainer.last.startswith(
        "Ce bilan s'est tenu à distance : pour la Région, la feuille d'émargement ne prouve "
        "la présence que des personnes venues dans vos locaux"
    )
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Terminé")
    assert "photo ou le PDF" in trainer.last
    scan = b"%PDF-1.4 feuille signee"
    await trainer.sends_file("emargement.pdf", "application/pdf", scan)
    assert "Feuille d'émargement enregistrée, avec 1 participant coché" in trainer.all_text
    assert "📋 Hugo Moreau" in trainer.last and "Dossier de preuves : complet" in trainer.last
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    files, manifest = open_zip(zipped.content)
    assert files["emargement-1.pdf"] == scan
    assert manifest["feuilles"][0]["sha256"] == sha(scan)
    entry = {p["nom"]: p for p in manifest["participants"]}["Hugo Moreau"]
    assert (
        entry["état"] == "sur la feuille d'émargement"
        and entry["sur_feuille"] == "emargement-1.pdf"
    )
    assert manifest["complet"] is True
    assert bilan_id == manifest["bilan"]["id"]


async def lea_attests_hugo_declines(
    trainer: Talker, person: Callable[..., Talker], clock: Clock, *, reason: str | None
) -> None:
    """A bilan held: Léa attests, Hugo answers he was not there (« Passer »: no reason)."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    for who, name in (("lea", "Léa Martin"), ("hugo", "Hugo Moreau")):
        talker = person(who)
        await talker.says(f"/start {invited[name]}")
        await talker.says(name)
        await talker.presses("Je représente les stagiaires")
        if who == "lea":
            await talker.presses("Je l'atteste")
            continue
        await talker.presses("Je n'ai pas participé")
        if reason is None:
            await talker.presses("Passer")
        else:
            await talker.says(reason)
            if "Si votre réponse parle de santé" in talker.last:
                await talker.says(reason)  # kept all the same


async def test_a_decline_without_reason_is_an_answer_the_bundle_counts(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer BB2: told the reason was optional, Hugo then made the dossier « incomplet,
    il manque Hugo Moreau (refus sans raison donnée) », sent so to the Région."""
    await lea_attests_hugo_declines(trainer, person, clock, reason=None)
    await trainer.says("/attestations")
    assert "déclare ne pas avoir participé" in trainer.last
    assert "sans raison donnée" in trainer.last
    assert "refus" not in trainer.last and "incomplet" not in trainer.last


async def test_a_declared_absence_ticked_on_the_sheet_is_to_verify(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer J: « je n'ai pas participé » (her sworn answer) was silently outweighed by
    the trainer's tick on the sheet: the dossier said « complet », the PDF « présente »."""
    await lea_attests_hugo_declines(trainer, person, clock, reason="Arrêt maladie ce jour-là")
    await trainer.says("/attestations")
    await trainer.presses("Déposer la feuille")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Terminé")
    await trainer.sends_file("emargement.pdf", "application/pdf", b"%PDF-1.4 feuille")
    status = trainer.last
    assert "❔ Hugo Moreau" in status
    assert "déclare ne pas avoir participé (réponse du" in status
    assert "« Arrêt maladie ce jour-là »), mais figure sur la feuille d'émargement" in status
    assert "Dossier de preuves : complet" not in status
    await trainer.presses("Recevoir le dossier")
    (zipped,) = [r.document for r in trainer.replies if r.document is not None]
    _, manifest = open_zip(zipped.content)
    entry = {p["nom"]: p for p in manifest["participants"]}["Hugo Moreau"]
    assert entry["état"].startswith("à vérifier : déclare ne pas avoir participé")
    assert manifest["complet"] is False
    # « à vérifier » in its état, so in the lists meant for what is to check (explorer AH9).
    said = "déclare ne pas avoir participé, mais figure sur la feuille d'émargement"
    assert entry["à_vérifier"] == [said]
    assert [(f["nom"], f["motifs"]) for f in manifest["à_vérifier"]] == [("Hugo Moreau", [said])]


def test_export_of_an_unknown_bilan_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    assert cli.main(["migrate"]) == 0  # a base, with no bilan
    out = tmp_path / "x.zip"
    assert cli.main(["export", "attestations", "--bilan", "999", "--out", str(out)]) == 1
    said = capsys.readouterr().err
    assert "Bilan inconnu : 999. Aucun bilan n'est programmé." in said
    assert "/attestations" not in said  # the chat never shows a bilan's id
    assert not out.exists()
    assert cli.main(["export", "attestations", "--out", str(out)]) == 1
    assert "--bilan" in capsys.readouterr().err


async def test_a_bilan_missing_from_the_export_lists_those_to_choose_from(
    trainer: Talker, db: Database, tmp_path: Path
) -> None:
    """The outside test: told « l'identifiant est donné par /attestations », which shows none.
    Its data folder a temporary one: ``None`` is ``data/`` where the tests run, left there
    with a signing key in it (fixer KD)."""
    bilan_id = await schedule_bilan(trainer)
    for given in (None, 999):
        args = argparse.Namespace(bilan=given, organisation=None, data_dir=tmp_path)
        async with db.sessions() as session:
            with pytest.raises(LookupError) as said:
                await attestations_bundle(session, args)
        assert "Les bilans, du plus récent au plus ancien :" in str(said.value)
        assert f"  {bilan_id} : Agent de restauration (démo), jeudi 26 novembre 2026" in str(
            said.value
        )


async def test_a_bilan_moved_while_the_text_is_shown_is_shown_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    assert "de 14 h 00 à 16 h 00" in lea.last
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        bilan.starts_at -= timedelta(hours=1)
        bilan.ends_at -= timedelta(hours=1)
        bilan.sequence += 1
    await lea.presses("Je l'atteste")
    assert "modifié entre-temps" in lea.last and "de 13 h 00 à 15 h 00" in lea.last
    assert await answers(db) == []
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert "de 13 h 00 à 15 h 00" in answer.text


async def test_participants_who_opened_their_link_are_told_when_the_bilan_is_over(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, settings: Settings
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await person("lea").says(f"/start {invited['Léa Martin']}")  # opened, too early

    async def tick() -> list[OutboxMessage]:
        async with db.sessions() as session, session.begin():
            await tell_participants_the_bilan_is_over(session, clock.now, settings)
        async with db.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(OutboxMessage).where(OutboxMessage.key.like("attestation:over:%"))
                    )
                ).all()
            )

    assert await tick() == []  # the bilan has not ended
    clock.advance(days=3, hours=6, minutes=5)
    (notice,) = await tick()
    assert (notice.platform, notice.chat_id) == ("console", "lea")
    assert "/attestation" in notice.payload["text"] and "est terminé" in notice.payload["text"]
    assert len(await tick()) == 1  # exactly once
    # Hugo opens his link after the end: greeted with the questions, no notice after them
    # (explorer AL9: « répondez à la question ci-dessus » a second after the question).
    await person("hugo").says(f"/start {invited['Hugo Moreau']}")
    assert len(await tick()) == 1
    # Hugo never opened his link: the bot cannot write to him (the trainer relances).
    assert bilan_id


async def test_the_end_of_the_bilan_told_while_her_questions_wait_points_to_them(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, settings: Settings
) -> None:
    """Explorer AC3: « envoyez /attestation » came between « À quel titre … ? » and her
    answer, when the group had just been told to confirm at the visio's end."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")  # opened before the end
    clock.advance(days=3, hours=6, minutes=5)
    await lea.says("/attestation")
    await lea.says("Léa Martin")
    assert "À quel titre" in lea.last
    async with db.sessions() as session, session.begin():
        await tell_participants_the_bilan_is_over(session, clock.now, settings)
    async with db.sessions() as session:
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("attestation:over:%"))
        )
    assert notice is not None and notice.chat_id == "lea"
    assert notice.payload["text"].endswith(
        "est terminé : pour confirmer votre participation, répondez à la question ci-dessus, "
        "cela prend une minute."
    )
    assert "/attestation" not in notice.payload["text"]
    async with db.sessions() as session:
        assert await answered_since(session, [notice], clock.now) == set()  # still to send
    # Her link replaced meanwhile: not sent either (explorer DB10), and back again for the rest.
    async with db.sessions() as session, session.begin():
        invitation = await session.scalar(
            select(AttestationInvitation).where(AttestationInvitation.redeemed_chat_id == "lea")
        )
        assert invitation is not None
        invitation.revoked_at = clock.now
    async with db.sessions() as session:
        assert await answered_since(session, [notice], clock.now) == {notice.id}
    async with db.sessions() as session, session.begin():
        invitation = await session.get(AttestationInvitation, invitation.id)
        assert invitation is not None
        invitation.revoked_at = None
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.all_text
    # Not sent after her « Merci ! » (explorer AJ3: it came two seconds later, pointing at a
    # question no longer there): the sender's second look cancels it.
    async with db.sessions() as session:
        assert await answered_since(session, [notice], clock.now) == {notice.id}


async def test_a_cancelled_bilan_has_nothing_to_attest(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler")
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    assert "Ce bilan a été annulé" in hugo.last
    await trainer.says("/attestations")
    assert "Aucun bilan programmé" in trainer.last


async def test_a_participant_who_opened_the_link_hears_that_the_bilan_moved(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await person("lea").says(f"/start {invited['Léa Martin']}")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("jeudi 3 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    async with db.sessions() as session:
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like(f"bilan:{bilan_id}:moved:%"))
            )
        ).all()
        assert [(n.platform, n.chat_id) for n in notices] == [("console", "lea")]


async def answers(db: Database) -> list[Attestation]:
    async with db.sessions() as session:
        return list((await session.scalars(select(Attestation))).all())


async def test_the_round_on_sqlite_and_postgresql(
    store: Database, settings: Settings, clock: Clock, tmp_path: Path
) -> None:
    from bot import demo
    from bot.app import build_engine
    from bot.attestations.bundle import build
    from bot.attestations.keys import signing_key

    async with store.sessions() as session, session.begin():
        await demo.fill(session, today=clock.now.date())
    engine = build_engine(store, settings, clock=clock)
    trainer = Talker(engine, "formateur")
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    lea = Talker(engine, "lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    assert "enregistrée" in lea.all_text
    await trainer.says("/attestations")
    await trainer.presses("Déposer la feuille")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Terminé")
    await trainer.sends_file("f.png", "image/png", b"\x89PNG\r\n\x1a\n....")
    async with store.sessions() as session, session.begin():
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
        await tell_participants_the_bilan_is_over(session, clock.now, settings)
    files, manifest = open_zip(bundle.content)
    assert manifest["complet"] is True and "emargement-1.png" in files
    (answer,) = await answers(store)
    assert files["attestation-01-lea-martin.pdf"] == answer.pdf


def test_the_sworn_text_agrees_with_no_organisation_name() -> None:
    """Explorer AI11: « organisé par Association Élan Formation, représenté par Camille
    Durand … suivie … par sa personne chargée de mission »: the name bare, the participle
    agreeing with it, and a wording nobody writes when the chargée de mission is unnamed."""
    from bot.texts import render_document

    text = render_document(
        "documents/attestation.txt.j2",
        name="Léa Martin",
        role="delegate",
        structure="",
        formation="Agent de restauration",
        action="",
        funder="Région Normandie",
        kind="bilan d'étape",
        remote=True,
        day="jeudi 26 novembre 2026",
        start="14 h 00",
        end="16 h 00",
        zone="heure de Paris",
        organisation="Association Élan Formation",
        trainer="Camille Durand",
        cm_name=None,
    )
    assert (
        "Ce bilan était organisé par l'organisme de formation « Association Élan Formation », en"
        " la personne de Camille Durand ; la formation est suivie, pour la Région Normandie, par"
        " la personne chargée de mission."
    ) in " ".join(text.split())
    assert "représenté" not in text and "sa personne" not in text


PROPRETE = "Titre professionnel Agent de propreté et d'hygiène"


async def test_the_bilans_whose_attestations_are_due_come_first(
    trainer: Talker, db: Database
) -> None:
    """Explorer BF6: forty formations, the bilans still to come listed first, those held, whose
    attestations are due, began on page 3 of 4. Held ones first, the latest first, then those
    to come, the soonest first."""
    await add_bilan(db, start=BILAN_START + timedelta(days=6))
    await add_bilan(db, start=BILAN_START + timedelta(days=9))
    await add_bilan(db, start=BILAN_START - timedelta(days=14), kind="fin")
    await add_bilan(db, start=BILAN_START - timedelta(days=7), kind="fin")
    await trainer.says("/attestations")
    assert [label[:10] for label in trainer.buttons] == [
        "19/11/2026",
        "12/11/2026",
        "02/12/2026",
        "05/12/2026",
    ], trainer.buttons


async def test_two_bilans_of_long_titles_read_apart_among_the_bilans(
    trainer: Talker, db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer BF1: forty formations, two bilans of « Titre professionnel Agent de propreté et
    d'hygiène » and its « – session 2 » the same day both read « 12/12/2026 – bilan de fin de
    formation – Titre professionnel Agent de propreté et d'hygièn », cut inside a word (« –
    Orlé » for another); on Telegram the transport cut them in their middle again. Each is
    fitted as /bilans fits them, the kind said short, every line listed whole where one is
    cut, so the numbers run on (GE7)."""
    await add_bilan(db, start=BILAN_START + timedelta(days=6))  # the demo's, short
    for title in (PROPRETE, f"{PROPRETE} – session 2"):
        await add_formation(db, title=title)
        await add_bilan(db, formation_title=title, kind="fin")
    await trainer.says("/attestations")
    whole = f"03/12/2026 – bilan de fin de formation – {PROPRETE} – session 2"
    fitted = f"03/12/2026 – fin – {PROPRETE} – session 2"
    short = "02/12/2026 – bilan d'étape – Agent de restauration (démo)"
    assert trainer.buttons == [short, f"03/12/2026 – fin – {PROPRETE}", fitted]
    assert trainer.replies[-1].choices[2].detail == whole
    async with db.sessions() as session, session.begin():
        await link_to_telegram(session, 555)
    phone = person("555", Platform.TELEGRAM)
    await phone.says("/attestations")
    shown = phone.buttons
    assert len(set(shown)) == 3 and all(len(label) <= 64 for label in shown)
    assert all(label.startswith("03/12/2026 – fin – Titre professionnel") for label in shown[1:])
    assert shown[2].endswith("– session 2")
    assert [c.detail for c in phone.replies[-1].choices] == [
        short,
        f"03/12/2026 – bilan de fin de formation – {PROPRETE}",
        whole,
    ]


async def test_the_sworn_text_of_an_overseas_organisation_names_its_hour_in_french(
    trainer: Talker, person: Callable[..., Talker], clock: Clock, db: Database
) -> None:
    """Explorer CF5: an organisation at La Réunion had its participants swear to a bilan
    held « de 14 h 00 à 16 h 00 (heure locale, Indian/Reunion) », the zone's code in English
    in the sworn text, its PDF and the summary the Région reads."""
    async with db.sessions() as session, session.begin():
        await session.execute(update(Organisation).values(timezone="Indian/Reunion"))
    lea = await lea_at_the_text(trainer, person, clock)
    assert "de 14 h 00 à 16 h 00 (heure de La Réunion)." in lea.all_text
    assert "Indian" not in lea.all_text


async def test_a_new_link_replacing_a_colleague_s_says_whose_it_was(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer KC6: Camille made Hugo's link (scheduling, or her own « Nouveau lien ») and
    may have forwarded it; Bruno's « Nouveau lien » a minute later replaced it, and neither
    was told: Hugo's link from Camille answered « remplacé »."""
    await second_admin(db)
    await schedule_bilan(trainer)
    bruno = person("bruno")
    await bruno.says("/attestations")
    await bruno.presses("Nouveau lien pour un participant")
    await bruno.presses("Hugo Moreau")
    assert (
        "Nouveau lien prêt pour Hugo Moreau ; l'ancien ne fonctionne plus (il répond qu'il a été "
        "remplacé). Cet ancien lien avait été préparé par Camille Durand le "
    ) in bruno.all_text
    assert "si Camille Durand l'a déjà transmis, dites-lui qu'il ne fonctionne plus." in (
        bruno.all_text
    )
    clock.advance(minutes=1)
    await bruno.says("/attestations")
    await bruno.presses("Nouveau lien pour un participant")
    await bruno.presses("Hugo Moreau")  # his own link replaced: nothing to tell
    assert "Cet ancien lien" not in bruno.all_text
