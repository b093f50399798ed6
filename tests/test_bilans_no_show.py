"""A participant who did not come, recorded after the bilan (issue 11, item 11): the
proof bundle is complete without them and its summary says "n'a pas participé"
(bot/conversations/bilans/no_show.py, bot/bilans/participants.py).

The demo clock says Monday 23 November 2026, 10:00 in Paris; the bilan is scheduled by
``/bilan`` for Thursday 26 at 14 h, remote, with Léa Martin and Hugo Moreau.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.attestations.bundle import build
from bot.attestations.keys import signing_key
from bot.config import Settings
from bot.storage.attestations import Attestation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from tests.auxil.attestations import BILAN_END, codes, open_zip, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, survives
from tests.auxil.pdf import pdf_words
from tests.auxil.race import one_after_the_other, two_processes


async def test_a_no_show_makes_the_bundle_complete_without_them(
    db: Database,
    trainer: Person,
    person: Callable[..., Person],
    clock: Clock,
    settings: Settings,
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)

    # Before the bilan, nobody can be recorded as absent.
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Signaler un participant absent" not in trainer.buttons
    await trainer.presses("Terminé")

    # Thursday evening: Léa attests; Hugo never came.
    clock.advance(days=3, hours=7, minutes=30)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    async with db.sessions() as session:
        before = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    assert not before.complete and before.missing == ["Hugo Moreau"]

    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Ajouter un participant" not in trainer.buttons  # the bilan has taken place
    await trainer.presses("Signaler un participant absent")
    assert trainer.buttons == ["Hugo Moreau (pour les stagiaires)"]  # Léa attested: not offered
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Hugo Moreau")
    assert "Noter qu'Hugo Moreau n'a pas participé au bilan ?" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, le noter")
    assert "C'est noté : Hugo Moreau n'a pas participé au bilan." in trainer.all_text
    assert "N'a pas participé : Hugo Moreau" in trainer.last
    assert "Participants : Léa Martin" in trainer.last

    async with db.sessions() as session:
        hugo = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Hugo Moreau")
        )
        assert hugo is not None and hugo.no_show_at == clock.now and hugo.removed_at is None
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    assert bundle.complete and bundle.missing == []
    files, manifest = open_zip(bundle.content)
    [row] = [p for p in manifest["participants"] if p["nom"] == "Hugo Moreau"]
    assert row["état"] == "n'a pas participé au bilan, selon l'organisme"
    assert row["justifié"] is True
    recap = pdf_words(files["recapitulatif.pdf"])
    assert "n'a pas participé au bilan (noté le jeudi 26 novembre 2026" in recap
    assert "complet" in recap and "incomplet" not in recap
    for wrong in ("absent(e)", "il/elle"):
        assert wrong not in recap

    # Nobody else to record: the entry says so.
    await trainer.presses("Signaler un participant absent")
    assert "il n'y a personne à signaler" in trainer.all_text
    assert "figurent sur la feuille d'émargement déposée" in trainer.all_text  # DB9


async def test_a_no_show_recorded_by_mistake_is_undone(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    bilan_id = await schedule_bilan(trainer)
    clock.advance(days=3, hours=7, minutes=30)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Annuler un signalement d'absence" not in trainer.buttons
    await trainer.presses("Signaler un participant absent")
    await trainer.presses("Léa Martin")
    await trainer.presses("Oui, le noter")
    await trainer.presses("Annuler un signalement d'absence")
    assert trainer.buttons == ["Léa Martin (pour les stagiaires)"]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Léa Martin")
    assert "Léa Martin a bien participé au bilan ?" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, annuler le signalement")
    assert "l'attestation de Léa Martin est de nouveau attendue" in trainer.all_text
    assert "Annuler un signalement d'absence" not in trainer.buttons
    async with db.sessions() as session:
        lea = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Léa Martin")
        )
        assert lea is not None and lea.no_show_at is None and lea.no_show_by is None
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    assert "Léa Martin" in bundle.missing


@pytest.mark.parametrize("opened_before", [True, False])
async def test_a_participant_noted_absent_is_told_so_not_to_ask_for_a_new_link(
    trainer: Person, person: Callable[..., Person], clock: Clock, opened_before: bool
) -> None:
    """Explorer C: Hugo, who had opened his link, was told « Ce lien a été remplacé par un
    nouveau : demandez-le à Camille Durand » once noted absent; there is no new link.
    Explorer W, W3: the same when he opens it for the first time afterwards."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    hugo = person("hugo")
    if opened_before:
        await hugo.says(f"/start {invited['Hugo Moreau']}")  # opened before the bilan
    clock.advance(days=3, hours=7, minutes=30)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Signaler un participant absent")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Oui, le noter")
    said = (
        "Camille Durand a noté que vous n'avez pas participé à ce bilan : vous n'avez rien à "
        "confirmer, et ce lien ne sert plus. Si c'est une erreur, dites-le-lui : un nouveau "
        "lien vous sera transmis."
    )
    # A link never opened binds no chat: only the link itself says it.
    again = ("/attestation", "bonjour") if opened_before else ()
    for typed in (f"/start {invited['Hugo Moreau']}", *again):
        await hugo.says(typed)
        assert hugo.last == said, typed
        assert "remplacé" not in hugo.last
    # The trainer's follow-up says it too, not « ⏳ pas encore d'invitation » (explorer C).
    await trainer.says("/attestations")
    assert (
        "➖ Hugo Moreau (pour les stagiaires) : n'a pas participé au bilan (noté le jeudi "
        "26 novembre 2026 à 17 h 30)" in trainer.last
    )
    assert "pas encore d'invitation" not in trainer.last


@pytest.mark.postgres
async def test_noted_absent_as_she_attests_keeps_only_the_no_show_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD3: Camille confirmed « Léa Martin n'a pas participé » while Léa pressed
    « Je l'atteste » (two processes): both were recorded, her sworn statement contradicting
    the no-show.  Now the no-show holds the bilan's row as an answer does: hers waits,
    reads the bilan again and is told she was noted absent, nothing stored."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        camille, lea = first("formateur"), second("lea")
        bilan_id = await schedule_bilan(camille)
        invited = codes(camille.replies)
        clock.now = BILAN_END + timedelta(minutes=30)
        await lea.says(f"/start {invited['Léa Martin']}")
        await lea.says("Léa Martin")
        await lea.presses("Je représente les stagiaires")
        await camille.says("/bilans")
        for step in ("26/11/2026", "Signaler un participant absent", "Léa Martin"):
            await camille.presses(step)
        await one_after_the_other(
            pg_db,
            Bilan,
            bilan_id,
            camille.presses("Oui, le noter"),
            lea.presses("Je l'atteste"),
        )
    assert camille.all_text.startswith("C'est noté : Léa Martin n'a pas participé au bilan.")
    assert lea.last.startswith(
        "Camille Durand a noté que vous n'avez pas participé à ce bilan : vous n'avez rien à "
        "confirmer, et ce lien ne sert plus."
    )
    async with pg_db.sessions() as session:
        assert (await session.scalars(select(Attestation))).all() == []
