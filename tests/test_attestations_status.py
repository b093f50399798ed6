"""The bilan's status in ``/attestations``' menu (bot/conversations/attestations/status.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.storage.bilans import BilanParticipant
from bot.storage.db import Database
from tests.auxil.attestations import (
    BILAN_START,
    add_bilan,
    after_the_bilan,
    trainer_corrects_name,
)
from tests.auxil.dialogue import Clock, Person


async def test_a_bilan_of_two_hundred_participants_is_summed_up_in_one_message(
    db: Database, trainer: Person
) -> None:
    """Explorer CF8: /attestations of a bilan of 203 participants made one message of 16 KB,
    a line each; Telegram holds 4,096 characters a message. Past what a message holds, the
    counts, and who has not answered yet, as many as fit, « … et N autres », and where the
    whole list is: the bundle's summary."""
    names = [f"Participant Numéro{i:03d} Longuenom" for i in range(203)]
    bilan_id = await add_bilan(
        db,
        participants=tuple(("partner", name, "Structure") for name in names),
        start=BILAN_START - timedelta(days=6),  # held: its answers are due
    )
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(BilanParticipant)
            .where(BilanParticipant.bilan_id == bilan_id, BilanParticipant.name.in_(names[:3]))
            .values(no_show_at=datetime(2026, 11, 20, 17, 0, tzinfo=UTC))
        )
    await trainer.says("/attestations")
    status = trainer.replies[-1].text or ""
    assert len(status) <= 4096, len(status)
    text = trainer.last
    assert text.startswith(
        "Bilan d'étape – Agent de restauration (démo)\n"
        "vendredi 20 novembre 2026, de 14 h 00 à 16 h 00, à distance\n"
        "203 participants :\n"
        "➖ 3 n'ont pas participé au bilan (noté)\n"
        "⏳ 200 n'ont pas encore répondu : Participant Numéro003 Longuenom, Participant "
    ), text
    shown = text.count("Longuenom")
    assert 50 < shown < 200, shown
    assert f"Participant Numéro{shown + 2:03d} Longuenom … et {200 - shown} autres.\n" in text
    assert (
        "La liste complète, avec la réponse de chacun, est dans le récapitulatif du dossier de "
        "preuves : « Recevoir le dossier de preuves (ZIP) ».\n"
        "Dossier de preuves : incomplet, il manque 200 justificatifs."
    ) in text
    assert "(partenaire, Structure)" not in text
    assert "Recevoir le dossier de preuves (ZIP)" in trainer.buttons


async def test_a_bilan_of_a_few_participants_keeps_a_line_each(
    db: Database, trainer: Person
) -> None:
    """Below what a message holds, each participant's line, as before CF8."""
    await add_bilan(
        db,
        participants=(("partner", "Mme Lina Costa", "Structure"), ("delegate", "Léa Martin", None)),
        start=BILAN_START - timedelta(days=6),
    )
    await trainer.says("/attestations")
    assert "⏳ Mme Lina Costa (partenaire, Structure) : pas encore d'invitation" in trainer.last
    assert "participants :" not in trainer.last and "autres" not in trainer.last


async def test_a_name_corrected_is_followed_under_it_and_a_signed_answer_says_both(
    trainer: Person, person: Callable[..., Person], clock: Clock, db: Database
) -> None:
    """Explorer KE2: after « Corriger son nom », the follow-up kept the invited name. Hugo,
    who has not answered, is waited for under his name as corrected; Léa, who signed as
    « Léa Martin », is listed under her name now, her answer valid, the name it was signed
    under said beside it (a signed answer is never rewritten)."""
    invited = await after_the_bilan(trainer, clock)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    await trainer_corrects_name(trainer, "Léa Martin", "Léa Martin-Diallo")
    await trainer_corrects_name(trainer, "Hugo Moreau", "Hugo Moreau-Petit")
    await trainer.says("/attestations")
    text = trainer.last
    assert "✅ Léa Martin-Diallo (pour les stagiaires) : a attesté sa participation" in text
    assert "   réponse signée sous le nom « Léa Martin », avant la correction de son nom\n" in text
    assert "⏳ Hugo Moreau-Petit (pour les stagiaires) : invitation du" in text
    assert "nom tapé" not in text and "À examiner" not in text
    assert "il manque le justificatif d'Hugo Moreau-Petit." in text
