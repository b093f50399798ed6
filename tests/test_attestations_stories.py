"""Issue 13, section 7, replayed end to end on the console: evidence that proved less than
it said.  A refusal turned into an attestation by another chat account, a bilan moved after
the answers, a cancelled bilan, a partner signing as a delegate (issue 11, item 3) and a
sent bundle gone stale (issue 11, item 9): each is said in the status, the summary and the
manifest, and none makes the bundle "complet"; every bundle is signed and checked by
``formabot verifier``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli
from bot.attestations.mail import proof_key
from bot.attestations.sending import request_sending
from bot.attestations.service import Author, Chat
from bot.bilans.view import view_of
from bot.config import Settings
from bot.deadlines.service import refresh_deadlines
from bot.storage.attestations import AttestationReview, ProofSending
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.attestations import codes, open_zip, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words

TRAINER_CHAT = Chat("console", "formateur", "formateur")


async def answer(
    who: Talker,
    code: str,
    name: str,
    *,
    role: str = "Je représente les stagiaires",
    attest: bool = True,
    reason: str = "",
) -> None:
    await who.says(f"/start {code}")
    if "Corriger ma réponse" in who.buttons:  # the participant has an answer already
        await who.presses("Corriger ma réponse")
    await who.says(name)
    await who.presses(role)
    if role.startswith("Partenaire"):
        await who.says("France Travail")
    if attest:
        await who.presses("Je l'atteste")
        assert "Votre attestation est enregistrée" in who.all_text, who.all_text
    else:
        await who.presses("Je n'ai pas participé")
        await who.says(reason or "Passer")


async def queued(db: Database, key: str) -> list[str]:
    """The texts queued to be sent whose key is like ``key``, in the order queued."""
    async with db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.key.like(key)).order_by(OutboxMessage.id)
        )
        return [row.payload["text"] for row in rows]


async def set_aside_by_another_account(
    trainer: Talker, person: Callable[..., Talker], name: str
) -> None:
    """A new link for ``name``, answered from another account, and the trainer's « Ne pas
    la valider »: an answer set aside."""
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien")
    await trainer.presses(name)
    await answer(person("intrus"), codes(trainer.replies)[name], name)
    await trainer.says("/attestations")
    await trainer.presses("Examiner une réponse signalée")
    await trainer.presses("Ne pas la valider")


def bundle_of(trainer: Talker) -> bytes:
    zipped = [r.document for r in trainer.replies if r.document is not None]
    return zipped[-1].content


def verifier(
    path: Path, settings: Settings, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    args = cli.parse(["verifier", str(path), *extra])
    code = cli.cmd_verifier(settings, args)
    return code, capsys.readouterr().out


@pytest.fixture
def after_bilan(clock: Clock) -> Callable[[], None]:
    return lambda: clock.advance(days=3, hours=7, minutes=30)  # Thursday 17 h 30 in Paris


async def test_a_refusal_turned_into_an_attestation_by_another_account_is_not_complete(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    settings: Settings,
    after_bilan: Callable[[], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    # Léa says she did not take part.
    await answer(
        person("lea"), invited["Léa Martin"], "Léa Martin", attest=False, reason="Je n'étais pas là"
    )
    # The trainer issues a "Nouveau lien"; another account opens it, types her name, attests.
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien")
    await trainer.presses("Léa Martin")
    fresh = codes(trainer.replies)["Léa Martin"]
    assert fresh != invited["Léa Martin"]
    await answer(person("intrus"), fresh, "Léa Martin")

    # Flagged to the trainer, as soon as it happens.
    notices = await queued(db, "attestation:answer:%")
    assert "vient d'un autre compte de messagerie" in notices[-1]

    await trainer.says("/attestations")
    status = trainer.last
    assert "Léa Martin" in status and "à examiner, elle ne compte pas encore" in status
    assert "⚠ réponse donnée depuis un autre compte" in status
    assert "Dossier de preuves : incomplet, il manque le justificatif de Léa Martin" in status
    assert "Examiner une réponse signalée" in trainer.buttons

    await trainer.presses("Recevoir le dossier")
    assert "Réponse à examiner : Léa Martin." in trainer.all_text  # one: singular (AI24)
    data = bundle_of(trainer)
    files, manifest = open_zip(data)
    assert manifest["complet"] is False and manifest["état"] == "incomplet"
    assert manifest["manquants"] == ["Léa Martin"]
    (flag,) = manifest["à_vérifier"]
    assert flag["nom"] == "Léa Martin" and "autre compte" in flag["motifs"][0]
    assert flag["motifs"][1] == "attestation donnée après une déclaration de non-participation"
    lea = {p["nom"]: p for p in manifest["participants"]}["Léa Martin"]
    assert lea["état"] == "réponse à vérifier par l'organisme de formation"
    assert lea["justifié"] is False
    assert lea["réponse"]["compte"] == "intrus"
    assert [v["compte"] for v in manifest["versions_remplacées"]] == ["lea"]
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "Réponses à vérifier par l'organisme de formation" in recap and "autre compte" in recap
    assert "formateur" not in recap  # the trainer may be a formatrice
    # The bundle itself is genuine: the verifier says so, and repeats what is flagged.
    path = tmp_path / "dossier.zip"
    path.write_bytes(data)
    code, out = verifier(path, settings, capsys)
    assert code == 0, out
    assert "Dossier intact" in out and "État déclaré : incomplet" in out
    assert "À vérifier : Léa Martin" in out

    # The trainer calls Léa: it was her, on her other phone.  Validated, the bundle is complete.
    await trainer.presses("Examiner une réponse signalée")
    assert "compte intrus" in trainer.last and "avait déjà répondu" not in trainer.last
    assert "quelqu'un d'autre a peut-être répondu à sa place" in trainer.last
    await trainer.presses("Valider cette réponse")
    assert "la réponse de Léa Martin est validée" in trainer.all_text
    assert "Dossier de preuves : complet." in trainer.last
    assert "Examiner une réponse signalée" not in trainer.buttons
    async with db.sessions() as session:
        reviews = (await session.scalars(select(AttestationReview))).all()
        # Another account, and an attestation after her refusal (explorer W, W5).
        assert sorted((r.concern, r.decision) for r in reviews) == [
            ("identity", "validated"),
            ("reversal", "validated"),
        ]


async def test_a_new_link_merely_opened_by_another_account_flags_no_earlier_answer(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    after_bilan: Callable[[], None],
) -> None:
    """Explorer O: Hugo answered from his own account; a « Nouveau lien » opened by someone
    else, who answered nothing, flagged Hugo's answer « depuis un autre compte » and the
    complete dossier became incomplete.  An answer given with it is still flagged."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin")
    await trainer.says("/attestations")
    assert "Dossier de preuves : complet" in trainer.last
    await trainer.presses("Nouveau lien")
    await trainer.presses("Hugo Moreau")
    fresh = codes(trainer.replies)["Hugo Moreau"]
    clock.advance(minutes=5)
    await person("curieux").says(f"/start {fresh}")
    await trainer.says("/attestations")
    assert "autre compte" not in trainer.last
    assert "Dossier de preuves : complet" in trainer.last
    clock.advance(minutes=5)
    await answer(person("curieux"), fresh, "Hugo Moreau")  # an answer from it: flagged
    await trainer.says("/attestations")
    assert "⚠ réponse donnée depuis un autre compte" in trainer.last


async def test_a_name_other_than_the_invited_one_keeps_the_bundle_incomplete_until_checked(
    trainer: Talker,
    person: Callable[..., Talker],
    settings: Settings,
    after_bilan: Callable[[], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Outside test C, defect 1: « c quoi ce truc » signed as a name, and the bundle still
    « complet ».  The bot refuses it; a name kept after « Vous êtes bien … ? » is checked."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("c quoi ce truc")
    assert "Je n'ai pas compris" in lea.last and "nom complet" in lea.last
    await lea.says("Léa Martine")
    assert "Vous êtes bien Léa Martin ?" in lea.last
    await lea.presses("Garder « Léa Martine »")
    await lea.presses("Je représente les stagiaires")
    assert "Moi, Léa Martine," in lea.last
    await lea.presses("Je l'atteste")
    told = await queued(trainer.engine.db, "attestation:answer:%")
    # Hugo's counts (✅); Léa's, to be examined, does not yet (❔), not a ✅ then a ⚠.
    assert sorted(t[0] for t in told) == ["✅", "❔"]

    await trainer.says("/attestations")
    status = trainer.last
    assert "Léa Martin (pour les stagiaires) : réponse du" in status
    assert "⚠ nom tapé : « Léa Martine », différent de celui de l'invitation" in status
    assert "Dossier de preuves : incomplet, il manque le justificatif de Léa Martin" in status
    await trainer.presses("Recevoir le dossier")
    data = bundle_of(trainer)
    files, manifest = open_zip(data)
    assert manifest["complet"] is False and manifest["état"] == "incomplet"
    motif = "nom tapé « Léa Martine », différent de celui de l'invitation"
    assert manifest["à_vérifier"] == [
        {
            "participant_id": manifest["à_vérifier"][0]["participant_id"],
            "nom": "Léa Martin",
            "motifs": [motif],
        }
    ]
    lea_entry = {p["nom"]: p for p in manifest["participants"]}["Léa Martin"]
    assert lea_entry["invité_comme"] == "pour les stagiaires"
    assert lea_entry["à_vérifier"] == [motif] and lea_entry["justifié"] is False
    assert lea_entry["réponse"]["nom_conforme"] is False
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "Réponses à vérifier par l'organisme de formation" in recap and motif in recap
    assert "délégation" not in recap and "formateur" not in recap
    path = tmp_path / "dossier.zip"
    path.write_bytes(data)
    code, out = verifier(path, settings, capsys)
    assert code == 0 and "À vérifier : Léa Martin" in out, out

    # The trainer knows Léa spells it so: validated, it counts.
    await trainer.presses("Examiner une réponse signalée")
    assert "Nom tapé « Léa Martine », différent de celui de l'invitation (Léa Martin)" in (
        trainer.last
    )
    await trainer.presses("Valider cette réponse")
    assert "Dossier de preuves : complet." in trainer.last


async def test_an_answer_not_validated_gets_a_new_link_and_the_account_is_not_held_against_her(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    after_bilan: Callable[[], None],
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin", attest=False, reason="Absente")
    await set_aside_by_another_account(trainer, person, "Léa Martin")
    assert "Réponse de Léa Martin écartée" in trainer.all_text
    # The account that answered is told (explorer G G12: it never was).
    [told] = await queued(db, "attestation:rejected:%")
    assert (
        "n'a pas retenu votre réponse à l'attestation du <b>bilan de fin de formation</b>" in told
    )
    assert "demandez à l'organisme le nouveau lien" in told
    again = codes(trainer.replies)["Léa Martin"]
    status = trainer.last
    assert "écartée, un nouveau lien lui est destiné" in status and "incomplet" in status
    # The intruder's link is dead; Léa, with the new link from her own account, corrects.
    intruder = person("intrus")
    await intruder.says("/attestation")
    assert "Votre attestation est enregistrée" not in intruder.last
    lea = person("lea")
    await lea.says(f"/start {again}")
    # The answer set aside is no one's: her own asked, not « Vous avez déjà répondu » (AL5).
    assert "Vous avez déjà répondu" not in lea.all_text
    assert "depuis un autre compte" not in lea.all_text
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    await trainer.says("/attestations")
    # Her own account, but after her « Absente » (explorer W, W5): seen before it counts.
    assert "⚠ avait d'abord déclaré ne pas avoir participé" in trainer.last
    await trainer.presses("Examiner une réponse signalée")
    await trainer.presses("Valider cette réponse")
    assert "Dossier de preuves : complet." in trainer.last


async def test_a_bilan_moved_after_the_answers_is_said_and_answers_are_asked_again(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    after_bilan: Callable[[], None],
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    lea, hugo = person("lea"), person("hugo")
    await answer(lea, invited["Léa Martin"], "Léa Martin")
    await answer(hugo, invited["Hugo Moreau"], "Hugo Moreau")
    await trainer.says("/attestations")
    assert "Dossier de preuves : complet." in trainer.last
    await trainer.presses("Terminé")

    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("jeudi 3 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    # Held already, with sworn answers: said before it moves (explorer X).
    assert "⚠ Ce bilan a déjà eu lieu." in trainer.last
    assert "les attestations déjà confirmées ne vaudront plus" in trainer.last
    await trainer.presses("Oui, déplacer")
    assert "C'est déplacé" in trainer.all_text
    # Those who answered are told their answer named the old date (explorer C, F9).
    moved = await queued(db, "bilan:%:moved:%")
    assert len(moved) == 2
    assert all(
        "Votre réponse à l'attestation, donnée pour le bilan du jeudi 26 novembre 2026 à "
        "14 h 00, ne vaut plus : après le nouveau bilan, à partir du jeudi 3 décembre 2026 à "
        "16 h 00, envoyez /attestation pour répondre de nouveau."
        in m
        and "Le lien de la visio ne change pas : https://visio.example.org/bilan" in m  # (O)
        for m in moved
    )
    await lea.says("/attestation")
    assert (
        "pour le bilan de fin de formation prévu le jeudi 26 novembre 2026 : vous avez attesté "
        "sur l'honneur votre participation. Ce bilan a été déplacé au jeudi 3 décembre 2026 : "
        "cette réponse ne vaut plus." in lea.last
    )
    assert "\nPour rejoindre la visio : https://visio.example.org/bilan" in lea.last  # (O)
    assert "du jeudi 3 décembre 2026" not in lea.last.split("ne vaut plus")[0]
    await lea.presses("C'est tout")

    await trainer.says("/attestations")
    status = trainer.last
    assert "pour le bilan prévu le jeudi 26 novembre 2026 à 14 h 00, avant son déplacement" in (
        status
    )
    assert "incomplet" in status
    await trainer.presses("Recevoir le dossier")
    files, manifest = open_zip(bundle_of(trainer))
    assert manifest["complet"] is False
    assert manifest["bilan"]["déplacé_après_des_réponses"] is True
    assert manifest["bilan"]["début"] == "2026-12-03T13:00:00Z"
    lea_entry = {p["nom"]: p for p in manifest["participants"]}["Léa Martin"]
    assert lea_entry["ancienne_date"] is True
    assert lea_entry["réponse"]["bilan_du"] == "2026-11-26T13:00:00Z"
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "Bilan déplacé après des réponses" in recap and "avant son déplacement" in recap

    # Reminded in their chat; Léa confirms for the new date.
    await trainer.presses("Inviter ou relancer")
    assert "Rappel envoyé directement à Léa Martin et Hugo Moreau" in trainer.all_text
    reminders = await queued(db, "attestation:remind:%")
    assert len(reminders) == 2
    assert all("a été déplacé au jeudi 3 décembre 2026" in r for r in reminders)
    clock.advance(days=7)  # after the bilan, at its new date
    await lea.says("/attestation")
    await lea.presses("Corriger ma réponse")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    assert "le jeudi 3 décembre 2026, de 14 h 00 à 16 h 00" in lea.last
    await lea.presses("Je l'atteste")
    await trainer.says("/attestations")
    # The person as subject, as the sibling lines: no « attesté » after a woman's name (AI8).
    assert (
        "✅ Léa Martin (pour les stagiaires) : a attesté sa participation le jeudi 3 décembre"
        in trainer.last
    )
    assert "il manque le justificatif d'Hugo Moreau" in trainer.last
    assert bilan_id


async def test_a_cancelled_bilan_bundle_is_built_marked_annule_never_complete(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    settings: Settings,
    after_bilan: Callable[[], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin")
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    # Held already, with sworn answers: said before it is cancelled (explorer C, F7).
    assert (
        "⚠ Ce bilan a déjà eu lieu, et 2 participants ont déjà attesté sur l'honneur leur "
        "participation. L'annuler dit qu'il ne s'est pas tenu" in trainer.last
    )
    await trainer.presses("Oui, annuler le bilan")
    assert "C'est annulé" in trainer.all_text
    told = await queued(db, "bilan:%:cancelled:%")
    assert len(told) == 2 and all(
        "Votre réponse à l'attestation n'a plus d'objet" in m for m in told
    )
    # Léa comes back with /attestation: told the bilan was cancelled, not "no invitation".
    lea = person("lea")
    await lea.says("/attestation")
    assert lea.last == "Ce bilan a été annulé : il n'y a rien à confirmer. Merci !"

    out = tmp_path / "annule.zip"
    args = cli.parse(["export", "attestations", "--bilan", str(bilan_id), "--out", str(out)])
    assert await cli.cmd_export(settings, args) == 0
    files, manifest = open_zip(out.read_bytes())
    assert manifest["état"] == "annulé" and manifest["complet"] is False
    assert manifest["bilan"]["annulé_le"] is not None
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "BILAN ANNULÉ le" in recap and "ne justifie la tenue d'aucun bilan" in recap
    code, said = verifier(out, settings, capsys)
    assert code == 0 and "État déclaré : annulé (bilan annulé le" in said
    # The trainer's /attestations no longer offers it.
    await trainer.says("/attestations")
    assert "Aucun bilan programmé" in trainer.last


async def test_a_delegate_signing_as_a_trainee_only_is_flagged_until_the_trainer_decides(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
) -> None:
    """A delegate is a trainee too, so both roles are offered; « stagiaire » alone is the one
    mismatch left (a partner is no longer offered the delegates' role: explorer AE2)."""
    from tests.auxil.attestations import add_bilan, issue_code

    bilan_id = await add_bilan(
        db,
        start=datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
        participants=(("delegate", "Karim Haddad", None),),
    )
    code = await issue_code(db, bilan_id, "Karim Haddad", at=clock.now)
    clock.advance(days=3, hours=7)
    karim = person("karim")
    await karim.says(f"/start {code}")
    await karim.says("Karim Haddad")
    # The question says which role the invitation gives, and offers it first.
    assert "D'après votre invitation, vous y représentez les stagiaires" in karim.last
    assert karim.buttons == ["Je représente les stagiaires", "Je suis stagiaire de la formation"]
    await karim.presses("Stagiaire de la formation")
    await karim.presses("Je l'atteste")
    notice, *_ = await queued(db, "attestation:answer:%")
    assert "Rôle choisi : « stagiaire », alors que l'invitation dit « pour les stagiaires »" in (
        notice
    )
    await trainer.says("/attestations")
    assert "⚠ rôle choisi différent de celui de l'invitation" in trainer.last
    assert "incomplet" in trainer.last
    await trainer.presses("Recevoir le dossier")
    _, manifest = open_zip(bundle_of(trainer))
    assert manifest["complet"] is False
    entry = manifest["participants"][0]
    assert entry["invité_comme"] == "pour les stagiaires"
    assert entry["réponse"]["rôle"] == "stagiaire"
    assert entry["réponse"]["rôle_conforme"] is False
    assert entry["à_vérifier"] == ["rôle choisi différent de celui de l'invitation"]
    await trainer.presses("Examiner une réponse signalée")
    assert "alors que l'invitation dit « pour les stagiaires »" in trainer.last
    # What validating keeps is said (explorer M: the recap said one role, the text another).
    assert "validée, elle compte ainsi, et le récapitulatif du dossier nomme les deux" in (
        trainer.last
    )
    await trainer.presses("Valider cette réponse")
    assert "complet" in trainer.last and "incomplet" not in trainer.last
    # The role sworn still said, as a name typed is (explorer M).
    assert "⚠ a attesté comme « stagiaire » (réponse validée)" in trainer.last


async def test_a_sent_bundle_going_stale_is_told_and_the_new_one_offered(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    settings: Settings,
    clock: Clock,
    after_bilan: Callable[[], None],
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    lea = person("lea")
    await answer(lea, invited["Léa Martin"], "Léa Martin")
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau")
    # The bundle went to the chargée de mission (its delivery is tests/test_attestations_mail).
    smtp = replace(settings, smtp_host="127.0.0.1", smtp_port=2, smtp_from="bot@example.org")
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        sent = await request_sending(
            session, smtp, info, author=Author(), chat=TRAINER_CHAT, now=clock.now
        )
        assert isinstance(sent, ProofSending)
        sent.status, sent.sent_at = "sent", clock.now
        await refresh_deadlines(session, info.formation.id)
        proofs = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.key == proof_key(bilan_id))
        )
        assert proofs is not None
        proofs.status, proofs.done_at = "done", clock.now  # as the sending's outcome marks it
    await trainer.says("/attestations")
    assert "n'est plus à jour" not in trainer.last
    await trainer.presses("Terminé")

    # Afterwards, Léa withdraws: she says she did not take part after all.
    clock.advance(hours=1)
    await lea.says("/attestation")
    await lea.presses("Corriger ma réponse")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je n'ai pas participé")
    await lea.says("Je me suis trompée de bilan")
    async with db.sessions() as session:
        stale = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:stale:%"))
            )
        ).all()
    (notice,) = stale
    assert notice.chat_id == "formateur"
    text = notice.payload["text"]
    assert "envoyé à sophie.leroy@example.org" in text and "n'est plus à jour" in text
    assert "Léa Martin déclare maintenant ne pas avoir participé" in text
    # The deadline to send the proofs is to do again (explorer AL7: it stayed « faite »).
    assert "L'échéance d'envoi des justificatifs est de nouveau à faire" in text
    async with db.sessions() as session:
        reopened = await session.scalar(
            select(StoredDeadline.status).where(StoredDeadline.key == proof_key(bilan_id))
        )
    assert reopened == "open"
    # The trainer is offered the new bundle, and sending it clears the warning.
    trainer.engine.settings = smtp
    await trainer.says("/attestations")
    assert "Ce dossier envoyé n'est plus à jour" in trainer.last
    assert "Envoyer le nouveau dossier à la personne chargée de mission" in trainer.buttons
    assert "Envoyer à la personne chargée de mission" not in trainer.buttons
    await trainer.presses("Envoyer le nouveau dossier")
    await trainer.presses("Envoyer")
    assert "J'envoie le dossier de preuves à sophie.leroy@example.org" in trainer.all_text
    assert "n'est plus à jour" not in trainer.last


async def test_a_participant_whose_answer_was_set_aside_can_be_said_absent(
    trainer: Talker,
    person: Callable[..., Talker],
    after_bilan: Callable[[], None],
) -> None:
    """Explorer C: after « Ne pas la valider », « Tous les participants ont déjà attesté »
    left the bundle incomplete for good when the person had in fact not come."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin")
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau", attest=False)
    await set_aside_by_another_account(trainer, person, "Hugo Moreau")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Signaler un participant absent")
    assert trainer.buttons == ["Hugo Moreau (pour les stagiaires)"]  # Léa's answer counts
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Oui, le noter")
    await trainer.says("/attestations")
    assert "Dossier de preuves : complet." in trainer.last


async def test_an_answer_set_aside_is_asked_again_from_the_same_account(
    trainer: Talker,
    person: Callable[..., Talker],
    after_bilan: Callable[[], None],
) -> None:
    """Explorer DB3: set aside by the trainer, his answer was shown back to its author as
    standing (« Vous avez déjà répondu … vous avez attesté »), the rejected PDF offered."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    after_bilan()
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Moreau-Durand")  # a name other than the invitation's: flagged
    if "Garder" in " ".join(hugo.buttons):
        await hugo.presses("Garder")
    await hugo.presses("Je représente les stagiaires")
    await hugo.presses("Je l'atteste")
    await trainer.says("/attestations")
    await trainer.presses("Examiner une réponse signalée")
    await trainer.presses("Ne pas la valider")
    await hugo.says(f"/start {codes(trainer.replies)['Hugo Moreau']}")
    assert "Vous avez déjà répondu" not in hugo.all_text
    assert "Recevoir à nouveau mon attestation" not in hugo.buttons
    assert "nom complet" in hugo.last
    await hugo.says("Hugo Moreau")
    await hugo.presses("Je représente les stagiaires")
    await hugo.presses("Je l'atteste")
    # The version set aside says so in the bundle, not as a plain correction (explorer DB4).
    await trainer.says("/attestations")
    await trainer.presses("Recevoir le dossier")
    files, manifest = open_zip(bundle_of(trainer))
    (earlier,) = manifest["versions_remplacées"]
    assert [e["décision"] for e in earlier["examens"]] == ["écartée"]
    assert "Hugo Moreau (version 1) : " in pdf_words(files["recapitulatif.pdf"])
