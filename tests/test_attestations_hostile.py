"""Bad input at every step of both attestation conversations: a French re-ask, the
same step, nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import func, select, update

from bot.config import Settings
from bot.storage.attestations import AttendanceSheet, Attestation
from bot.storage.db import Database
from bot.storage.state import ConversationState
from tests.auxil.attestations import add_bilan, codes, issue_code, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import (
    A_FILE,
    BROKEN,
    EMOJI,
    FOR_CHOICES,
    FOR_NAMES,
    FOR_TEXT,
    FORGED,
    FORGED_RAW,
    MARKUP,
    ONLY_EMOJI,
    TOO_LONG,
    Bad,
    step_of,
    survives,
    survives_outside,
)

NOVICE = Bad("a novice's question", "je comprends pas, c quoi ce truc ?")
SENTENCE = Bad("a sentence", "Je suis arrivé en retard")


async def saved(db: Database) -> tuple[int, int]:
    async with db.sessions() as session:
        answers = await session.scalar(select(func.count(Attestation.id)))
        sheets = await session.scalar(select(func.count(AttendanceSheet.id)))
        return int(answers or 0), int(sheets or 0)


async def test_every_step_of_the_participant_conversation(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")

    await lea.says(f"/start {invited['Léa Martin']}")
    assert await step_of(db, lea) == (None, None)  # nothing to answer before the end
    await survives_outside(db, lea, FOR_CHOICES)

    clock.advance(days=3, hours=3)  # Thursday 12 h UTC, an hour before the bilan
    await lea.says("/attestation")
    assert await step_of(db, lea) == (None, None)
    assert "Rien à faire pour l'instant" in lea.last
    clock.advance(hours=3)  # it has ended: she is told how to confirm
    await lea.says("me voici")
    assert "envoyez /attestation" in lea.last and await step_of(db, lea) == (None, None)
    await lea.says("/attestation")
    assert await step_of(db, lea) == ("attestation", "name")
    await survives(db, lea, (*FOR_NAMES, NOVICE))
    await lea.says("Léa Martine")  # not the invited name: confirmed first
    assert await step_of(db, lea) == ("attestation", "check_name")
    await survives(db, lea, (*FOR_CHOICES, NOVICE))
    await lea.presses("Oui, je suis Léa Martin")
    assert await step_of(db, lea) == ("attestation", "role")
    await survives(db, lea, FOR_CHOICES)
    await lea.presses("Stagiaire de la formation")
    assert await step_of(db, lea) == ("attestation", "text")
    await survives(db, lea, FOR_CHOICES)
    await lea.presses("Je n'ai pas participé")
    assert await step_of(db, lea) == ("attestation", "reason")
    await survives(db, lea, FOR_TEXT)
    assert await saved(db) == (0, 0)
    await lea.presses("Passer")
    assert await saved(db) == (1, 0)

    await lea.says("/attestation")
    assert await step_of(db, lea) == ("attestation", "after")
    await survives(db, lea, FOR_CHOICES)

    # Two bilans held by one chat: the choice of the bilan.
    second = await add_bilan(db, start=clock.now)
    await lea.says(f"/start {await issue_code(db, second, 'Léa Martin', at=clock.now)}")
    await lea.says("/attestation")
    assert await step_of(db, lea) == ("attestation", "which")
    await survives(db, lea, FOR_CHOICES)
    assert await saved(db) == (1, 0)


async def test_the_partner_s_structure_proposed_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """``trainer`` loads the demo, whose formation the bilan is in."""
    bilan_id = await add_bilan(
        db, start=clock.now, participants=(("partner", "Jean Dupuis", "Mission locale de Caen"),)
    )
    jean = person("jean")
    await jean.says(f"/start {await issue_code(db, bilan_id, 'Jean Dupuis', at=clock.now)}")
    clock.advance(hours=3)
    await jean.says("/attestation")
    await jean.says("Jean Dupuis")  # a partner: no role to choose (explorer AE2)
    assert await step_of(db, jean) == ("attestation", "structure_known")
    await survives(db, jean, (*FOR_NAMES, SENTENCE, Bad("no", "non")))
    assert await saved(db) == (0, 0)


async def test_the_structure_asked_of_a_partner_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """A partner has no role to choose (explorer AE2): the structure is asked at once."""
    bilan_id = await add_bilan(
        db, start=clock.now, participants=(("partner", "Julie Vasseur", None),)
    )
    julie = person("julie")
    await julie.says(f"/start {await issue_code(db, bilan_id, 'Julie Vasseur', at=clock.now)}")
    clock.advance(hours=3)
    await julie.says("/attestation")
    await julie.says("Julie Vasseur")
    assert await step_of(db, julie) == ("attestation", "structure")
    await survives(db, julie, (*FOR_NAMES, SENTENCE, Bad("a role", "déléguée")))
    assert await saved(db) == (0, 0)
    await julie.says("Mission locale")
    assert await step_of(db, julie) == ("attestation", "text")


async def test_every_step_of_the_trainer_conversation(
    trainer: Talker, db: Database, clock: Clock, settings: Settings
) -> None:
    trainer.engine.settings = replace(
        settings, smtp_host="127.0.0.1", smtp_port=2, smtp_from="formabot@example.org"
    )
    await schedule_bilan(trainer)
    await add_bilan(db)
    clock.advance(days=3, hours=6)

    await trainer.says("/attestations")
    assert await step_of(db, trainer) == ("attestations", "bilan")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("26/11/2026")
    assert await step_of(db, trainer) == ("attestations", "menu")
    await survives(db, trainer, FOR_CHOICES)

    await trainer.presses("Nouveau lien")
    assert await step_of(db, trainer) == ("attestations_reissue", "reissue")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Retour")

    await trainer.presses("Déposer la feuille")
    assert await step_of(db, trainer) == ("attestations_sheet", "sheet_who")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Terminé")  # nobody ticked yet: refused, same step
    assert await step_of(db, trainer) == ("attestations_sheet", "sheet_who")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Terminé")
    assert await step_of(db, trainer) == ("attestations_sheet", "sheet_file")
    words = tuple(b for b in (*FOR_TEXT, MARKUP, ONLY_EMOJI) if b is not A_FILE)
    await survives(db, trainer, words)
    for name, mime, content in (
        ("notes.txt", "text/plain", b"pas une feuille"),
        ("faux.pdf", "application/pdf", b"\xff\xd8\xff pas un pdf"),
        ("vide.jpg", "image/jpeg", b""),
        ("script.svg", "image/svg+xml", b"<svg onload=alert(1)>"),
        (EMOJI + ".png", "image/png", b"GIF89a"),
    ):
        await trainer.sends_file(name, mime, content)
        assert "feuille" in trainer.last or "fichier" in trainer.last
        assert await step_of(db, trainer) == ("attestations_sheet", "sheet_file")
    assert await saved(db) == (0, 0)
    await trainer.presses("Annuler le dépôt")
    assert await step_of(db, trainer) == ("attestations", "menu")

    await trainer.presses("Envoyer à la personne chargée de mission")
    assert await step_of(db, trainer) == ("attestations_send", "send")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Pas maintenant")
    assert await step_of(db, trainer) == ("attestations", "menu")
    assert await saved(db) == (0, 0)


async def test_a_conversation_stored_at_the_former_wait_question_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """The ``wait`` step is only reached by a conversation stored before it ended at once: any
    words there are read as someone coming back (the greeting, the name asked). What no step
    reads (a file, a forged button, 10 000 characters, broken characters) is refused there
    and saves nothing; after the bilan's end, the refusal's question no longer says « Rien à
    faire pour l'instant : revenez après le bilan » (coverage BC3: it did, answers open)."""
    await schedule_bilan(trainer)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    clock.advance(days=3, hours=6)  # the bilan has ended
    await lea.says("/attestation")
    assert await step_of(db, lea) == ("attestation", "name")
    async with db.sessions() as session, session.begin():
        await session.execute(update(ConversationState).values(step="wait"))
    refused_there = (TOO_LONG, *BROKEN, FORGED, FORGED_RAW, A_FILE)
    await survives(db, lea, refused_there)
    assert "Rien à faire pour l'instant" not in lea.all_text, lea.all_text
    assert "Pour confirmer votre participation" in lea.all_text
    assert await saved(db) == (0, 0)
    await lea.says("   ")  # words, even none: someone coming back, asked their name
    assert await step_of(db, lea) == ("attestation", "name")
    assert lea.last.startswith("Pour commencer, quel est votre nom complet")
    assert await saved(db) == (0, 0)
