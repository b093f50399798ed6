"""What the funder's contact is told of a bilan: here, its cancellation when the bot
cannot write to them itself (no Matrix ID, no e-mail sending)."""

from __future__ import annotations

from tests.auxil.dialogue import Person
from tests.test_bilan import schedule


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
    assert draft.caption.startswith("Prévenez aussi Mme Sophie Leroy, personne chargée de mission")
    text = draft.content.decode()
    assert text.startswith("Objet : ")
    assert "annulé" in text and "jeudi 26 novembre 2026" in text
