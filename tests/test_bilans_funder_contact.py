"""What the funder's contact is told of a bilan: here, its cancellation when the bot
cannot write to them itself (no Matrix ID, no e-mail sending)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.app import build_engine
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity
from bot.storage.people import Person as Someone
from tests.auxil.dialogue import Clock, Person
from tests.test_bilan import move_bilan, schedule


async def test_a_cancellation_the_bot_cannot_send_is_given_to_forward(trainer: Person) -> None:
    """Explorer F: promised the bilan pédagogique and the proofs, Mme Sophie Leroy was
    neither named in « Prévenez vous-même » nor given anything when the bilan was called off."""
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    [draft] = [
        r.document
        for r in trainer.replies
        if r.document is not None
        and r.document.filename.startswith("message-charge-de-mission-annulation-")
    ]
    assert draft.mime_type == "text/plain"
    assert draft.caption.startswith(  # explorer AI20
        "Prévenez aussi Mme Sophie Leroy, qui suit la formation à la Région et attendait ce bilan"
    )
    text = draft.content.decode()
    assert text.startswith("Objet : ")
    assert "annulé" in text and "jeudi 26 novembre 2026" in text
    # Camille sends it from her own mailbox (explorer W, W11).
    assert "envoyé par formabot" not in text
    # Signed as the confirmation she forwarded was (explorer CF13: it ended on the .ics line,
    # no one's name, no organisation).
    assert text.endswith(
        "L'annulation pour votre agenda est jointe : ouvrez-la pour retirer le rendez-vous.\n\n"
        "Bien cordialement,\nCamille Durand\nOrganisme de démonstration\n"
    )


def draft_for_the_charge_de_mission(trainer: Person) -> str:
    """The last message to forward to the chargée de mission (no Matrix, no e-mail here)."""
    drafts = [
        r.document.content.decode()
        for r in trainer.replies
        if r.document is not None and r.document.filename.startswith("message-charge-de-mission-")
    ]
    return drafts[-1]


async def test_a_moved_bilan_s_draft_says_it_moved_and_from_when(trainer: Person) -> None:
    """Explorer W, W4: the draft the trainer forwards read « Je vous confirme le bilan … »
    with the new date alone, a second bilan to its reader; the e-mail the bot sends said
    « déplacé »."""
    await schedule(trainer)
    assert draft_for_the_charge_de_mission(trainer).startswith("Objet : Bilan de fin de formation")
    await move_bilan(trainer, "26/11/2026", "jeudi 3 décembre à 10 h")
    text = draft_for_the_charge_de_mission(trainer)
    assert text.startswith("Objet : Bilan déplacé – Bilan de fin de formation")
    assert (
        "est déplacé : il aura lieu le jeudi 3 décembre 2026 de 10 h 00 à 12 h 00, au lieu du "
        "jeudi 26 novembre 2026 à 14 h 00. L'invitation ci-jointe remplace la précédente."
    ) in text


async def test_an_on_site_bilan_s_letter_promises_nothing_no_deadline_follows(
    trainer: Person,
) -> None:
    """Explorer AA, AA3: the letter for an on-site Normandie bilan promised the bilan
    pédagogique « avant le bilan », a date no deadline reminded anyone of; it is brought
    on the day."""
    await trainer.says("/bilan")
    for label in ("Agent de restauration", "Programmer le bilan de fin", "Sur place"):
        await trainer.presses(label)
    await trainer.says("jeudi 26 novembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("2 heures")
    await trainer.says("Salle 2, Caen")
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")
    await trainer.presses("Programmer le bilan")
    text = draft_for_the_charge_de_mission(trainer)
    assert "- le jour du bilan, sur place : le bilan pédagogique complété ;" in text
    assert "avant le bilan" not in text


async def test_after_a_move_the_trainer_is_told_to_warn_the_charge_de_mission(
    trainer: Person,
) -> None:
    """Explorer GE3: after a move the letter came captioned as at scheduling (« ce qui sera
    envoyé, et quand »), and nothing said that Mme Sophie Leroy, whom the bot cannot
    reach (no Matrix, no e-mail sending), still had the old date; the cancel says it."""
    await schedule(trainer)
    await move_bilan(trainer, "26/11/2026", "jeudi 3 décembre à 10 h")
    [draft] = [
        r.document
        for r in trainer.replies
        if r.document is not None and r.document.filename.startswith("message-charge-de-mission-")
    ][-1:]
    assert draft.caption == (
        # Not « Mme Sophie Leroy, personne chargée de mission, » (explorer AI20).
        "Prévenez aussi Mme Sophie Leroy, qui suit la formation à la Région et attend ce bilan : je"
        " ne peux lui écrire ni dans une conversation ni par e-mail. Voici le message annonçant"
        " la nouvelle date, à lui transmettre avec l'invitation mise à jour et l'ordre du jour"
        " ci-dessus."
    )


async def test_on_matrix_a_chat_she_writes_from_is_not_said_opened_for_the_invitation(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer DB2: invited to a second formation's bilan, the chargée de mission got it in
    the chat she already had with the bot, and the trainer read « j'ouvre la conversation et
    elle en sera le premier message »."""
    sophie = "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent de restauration"))
        )
        assert formation is not None
        formation.cm_matrix = sophie
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    await schedule(trainer)
    assert "j'ouvre la conversation et elle en sera le premier message" in trainer.all_text
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    async with db.sessions() as session, session.begin():
        person = Someone(display_name="Sophie Leroy")
        session.add(person)
        await session.flush()
        session.add(
            ChatIdentity(person_id=person.id, platform="matrix", user_id=sophie, chat_id="!dm:ex")
        )
    await schedule(trainer)
    said = (
        "J'envoie moi-même l'invitation à Mme Sophie Leroy sur Matrix "
        f"({sophie}), avec le fichier agenda, dans la conversation où je lui écris déjà."
    )
    assert said in trainer.all_text
    assert "premier message" not in trainer.all_text
