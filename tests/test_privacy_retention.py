"""Retention (bot/privacy/retention.py): the purge, its line in the digest, the setting in
/reglages, abandoned conversations and sent messages forgotten."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.deadlines.digest import send_digests
from bot.privacy.retention import (
    forget_abandoned_conversations,
    forget_sent_messages,
    purge_expired,
    years_before,
)
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation
from bot.storage.privacy import RetentionPurge
from bot.storage.state import ConversationState
from tests.auxil.absences import set_org_settings
from tests.auxil.attestations import insert_other_organisation
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_TEXT, step_of, survives
from tests.auxil.privacy import NOTE, everywhere, fill_demo, matrix_welcome, traces
from tests.auxil.statements import counting
from tests.test_reglages import pick

RETENTION = "Conservation des données d'une formation"


async def ended(db: Database, title: str, end: date) -> int:
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).where(Formation.title == title))
        assert formation is not None
        formation.start_date = end - timedelta(days=90)
        formation.end_date = end
        return formation.id


async def purge(db: Database, settings: Settings, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        await purge_expired(session, clock.now, settings)


async def test_a_formation_past_retention_goes_with_everything_and_the_digest_says_so(
    store: Database, clock: Clock, settings: Settings
) -> None:
    db = store
    await fill_demo(db, clock.now.date())
    placed = await everywhere(db, "Karim Benali", at=clock.now)
    three_years_ago = years_before(clock.now.date(), 3)
    formation_id = await ended(db, "Agent de restauration (démo)", three_years_ago)
    await purge(db, settings, clock)  # ended exactly three years ago: still kept
    async with db.sessions() as session:
        assert await session.get(Formation, formation_id) is not None

    await ended(db, "Agent de restauration (démo)", three_years_ago - timedelta(days=1))
    await purge(db, settings, clock)
    words = (*placed.words, "Léa Martin", "Brasserie du Port", "Hugo Moreau", "Agent de restau")
    assert await traces(db, words) == []  # no exception: the evidence goes too
    async with db.sessions() as session:
        left = (await session.scalars(select(Trainee.full_name))).all()
        assert sorted(left) == ["Inès Garnier", "Nadia Roux", "Thomas Fabre"]
        [row] = (await session.scalars(select(RetentionPurge))).all()
        assert (row.formation_id, row.trainees, row.reported_at) == (formation_id, 4, None)
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "purge_retention")
        )
        assert entry is not None and entry.entity_id == formation_id
    await purge(db, settings, clock)  # again: nothing more, nothing twice
    async with db.sessions() as session:
        assert len((await session.scalars(select(RetentionPurge))).all()) == 1

    clock.now = clock.now.replace(hour=8)  # 9 h in Paris, after the digest hour
    async with db.sessions() as session, session.begin():
        await send_digests(session, clock.now, settings)
    async with db.sessions() as session:
        digests = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("digest:%")))
        ).all()
        said = [m.payload["text"] for m in digests]
        assert said and all(
            "1 formation terminée depuis plus de 3 ans a été effacée, avec les données de "
            "4 stagiaires" in text
            for text in said
        )
        [row] = (await session.scalars(select(RetentionPurge))).all()
        assert row.reported_at == clock.now


async def test_several_formations_of_several_organisations_in_one_run(
    store: Database, clock: Clock, settings: Settings
) -> None:
    db = store
    await fill_demo(db, clock.now.date())
    await insert_other_organisation(db)
    long_ago = years_before(clock.now.date(), 4)
    async with db.sessions() as session, session.begin():
        for formation in (await session.scalars(select(Formation))).all():
            formation.start_date = long_ago - timedelta(days=30)
            formation.end_date = long_ago
    await purge(db, settings, clock)
    async with db.sessions() as session:
        assert (await session.scalars(select(Formation))).all() == []
        purged = (await session.scalars(select(RetentionPurge))).all()
        assert len(purged) == 3 and len({p.organisation_id for p in purged}) == 2


async def test_the_retention_is_the_organisations_setting(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    await set_org_settings(db, retention_years=5)
    formation_id = await ended(db, "Projet professionnel (démo)", years_before(clock.now.date(), 4))
    await purge(db, settings, clock)
    async with db.sessions() as session:
        assert await session.get(Formation, formation_id) is not None
    await set_org_settings(db, retention_years="n'importe quoi")  # unusable: the default, 3
    await purge(db, settings, clock)
    async with db.sessions() as session:
        assert await session.get(Formation, formation_id) is None


async def test_retention_in_reglages_with_hostile_input(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    await trainer.says("/reglages")
    await pick(trainer, RETENTION)
    text = trainer.last
    assert "Trois ans par défaut : la durée pendant laquelle les financeurs" in text
    assert "entre 1 et 10" in text
    await survives(db, trainer, FOR_TEXT)
    for wrong in ("0", "11", "-3", "trois"):
        await trainer.says(wrong)
        assert await step_of(db, trainer) == ("reglages", "value")
    await trainer.says("4")
    assert f"4 pour « {RETENTION} (années après sa fin) »" in trainer.last
    async with db.sessions() as session:
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None and organisation.settings["retention_years"] == 4
    await trainer.says("/reglages")
    await pick(trainer, RETENTION)
    await trainer.presses("Valeur par défaut")
    async with db.sessions() as session:
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None and "retention_years" not in organisation.settings


async def test_an_abandoned_conversation_loses_what_was_typed_when_it_expires(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("karim")
    await trainer.says("hier")
    await trainer.presses("Oui")
    await trainer.presses("Oui, l'enregistrer")  # a Sunday, asked once
    await trainer.presses("Le matin")
    await trainer.presses("Oui")
    await trainer.says(f"rendez-vous {NOTE}")
    assert await step_of(db, trainer) == ("absence", "proof")

    async def state() -> ConversationState:
        async with db.sessions() as session:
            found = await session.scalar(
                select(ConversationState).where(ConversationState.user_id == "formateur")
            )
            assert found is not None
            return found

    async def forget() -> None:
        async with db.sessions() as session, session.begin():
            await forget_abandoned_conversations(session, clock.now, settings)

    clock.advance(hours=23)
    await forget()
    assert NOTE in str((await state()).data)  # not expired yet: kept
    clock.advance(hours=2)
    await forget()
    expired = await state()
    assert (expired.flow, expired.step) == ("absence", None)
    assert set(expired.data) == {"_q"}
    assert await traces(db, (NOTE,)) == []
    await trainer.says("un justificatif ?")
    assert "Sans réponse depuis un moment, j'ai refermé « noter une absence" in trainer.last
    assert "rien de ce qui n'avait pas été validé n'est enregistré" in trainer.last


async def test_the_text_of_a_sent_message_is_forgotten_a_day_later(
    store: Database, clock: Clock, settings: Settings
) -> None:
    db = store
    async with db.sessions() as session, session.begin():
        for status in ("sent", "pending", "failed"):
            session.add(
                OutboxMessage(
                    key=f"test:{status}",
                    platform="console",
                    chat_id="formateur",
                    payload={"text": f"Rappel pour Karim Benali ({status})"},
                    status=status,
                    sent_at=clock.now if status == "sent" else None,
                )
            )
        session.add(matrix_welcome(1, clock.now))

    async def forget() -> dict[str, dict[str, str]]:
        async with db.sessions() as session, session.begin():
            await forget_sent_messages(session, clock.now, settings)
        async with db.sessions() as session:
            rows = (await session.scalars(select(OutboxMessage))).all()
            welcomes = (await session.scalars(select(MatrixWelcome))).all()
            return {r.key: r.payload for r in [*rows, *welcomes]}

    assert (await forget())["test:sent"] != {}
    clock.advance(hours=25)
    payloads = await forget()
    assert payloads["test:sent"] == {} and payloads["welcome:1"] == {}  # the rows stay
    assert payloads["test:pending"] == {"text": "Rappel pour Karim Benali (pending)"}
    assert payloads["test:failed"] == {"text": "Rappel pour Karim Benali (failed)"}


async def test_each_sweep_reads_from_where_the_last_committed_one_stopped(
    db: Database, clock: Clock, settings: Settings
) -> None:
    """Issue 14: a minute's sweep reads only the rows after the last one it erased (not the
    last days' every minute); one rolled back leaves its rows to the next."""

    async def sent(key: str) -> None:
        async with db.sessions() as session, session.begin():
            session.add(
                OutboxMessage(
                    key=key,
                    platform="console",
                    chat_id="formateur",
                    payload={"text": "Rappel pour Karim Benali"},
                    status="sent",
                    sent_at=clock.now,
                )
            )

    async def payloads() -> dict[str, object]:
        async with db.sessions() as session:
            return {r.key: r.payload for r in (await session.scalars(select(OutboxMessage))).all()}

    await sent("test:first")
    clock.advance(hours=25)
    async with db.sessions() as session, session.begin():
        await forget_sent_messages(session, clock.now, settings)
    await sent("test:early")
    clock.advance(hours=25)
    with pytest.raises(RuntimeError):
        async with db.sessions() as session, session.begin():
            await forget_sent_messages(session, clock.now, settings)
            raise RuntimeError("the tick failed after the sweep")
    assert (await payloads())["test:early"] != {}
    await sent("test:late")
    clock.advance(minutes=1)
    with counting(db) as statements:
        async with db.sessions() as session, session.begin():
            await forget_sent_messages(session, clock.now, settings)
    assert (await payloads()) == {
        "test:first": {},
        "test:early": {},
        "test:late": {"text": "Rappel pour Karim Benali"},
    }
    walks = [s for s in statements if s.startswith("SELECT outbox.sent_at, outbox.id")]
    assert walks and all("outbox.sent_at >= " in walk for walk in walks)  # from its place
    [erase] = [s for s in statements if s.startswith("UPDATE outbox")]
    assert "outbox.sent_at >= " in erase  # the rows after the last one erased, not the first


async def test_a_shorter_retention_that_purges_is_confirmed_first(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    """Explorer J: 1 typed in /reglages (for 10?) purged a formation ended 20 months ago
    within a minute, the confirmation saying « Aucune échéance n'en change »."""
    formation_id = await ended(db, "Projet professionnel (démo)", date(2025, 3, 28))
    await trainer.says("/reglages")
    await pick(trainer, RETENTION)
    await trainer.says("1")
    said = trainer.last
    assert (
        "Avec 1 an de conservation, une formation terminée avant le dimanche 23 novembre 2025 "
        "sera effacée définitivement d'ici quelques minutes"
    ) in said
    assert "· « Projet professionnel (démo) » (fin le vendredi 28 mars 2025)" in said
    assert await step_of(db, trainer) == ("reglages", "confirm_purge")
    await survives(db, trainer, FOR_CHOICES)  # re-asked, nothing saved (coverage AR)
    await trainer.presses("Non, ne rien changer")
    assert "Rien n'a changé" in trainer.last
    await purge(db, settings, clock)
    async with db.sessions() as session:
        assert await session.get(Formation, formation_id) is not None
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None and "retention_years" not in organisation.settings
    await trainer.says("/reglages")
    await pick(trainer, RETENTION)
    await trainer.says("2")  # purges nothing more: saved at once
    assert f"2 pour « {RETENTION} (années après sa fin) »" in trainer.last
    await trainer.says("/reglages")
    await pick(trainer, RETENTION)
    await trainer.says("1")
    await trainer.presses("Oui, réduire et effacer")
    assert f"1 pour « {RETENTION} (années après sa fin) »" in trainer.last
    await purge(db, settings, clock)
    async with db.sessions() as session:
        assert await session.get(Formation, formation_id) is None
