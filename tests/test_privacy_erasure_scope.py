"""An erasure in one organisation leaves another's chats and accounts alone (explorer AI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.privacy.erasure import erase_trainee
from bot.storage.attestations import AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Person
from tests.auxil.attestations import demo_author
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import step_of
from tests.auxil.organisations import add_organisations
from tests.auxil.privacy import everywhere, fill_demo


async def test_another_organisation_s_namesake_its_dialogue_its_messages_and_its_account_stay(
    db: Database, clock: Clock, person: Callable[..., Talker]
) -> None:
    """AI2: Béatrice, of another organisme, typing an absence for her own Karim Benali was
    told « les données … viennent d'être effacées » and lost it, her messages rewritten to
    « Personne effacée »; AI1: the account Karim answered the other's bilan with was
    deleted, and that organisme's journal then named no one."""
    await fill_demo(db, clock.now.date())
    placed = await everywhere(db, "Karim Benali", at=clock.now)
    [other] = await add_organisations(db, 1, clock.now.date(), first=2)
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.organisation_id == other)
        )
        assert formation is not None
        bilan = Bilan(
            organisation_id=other,
            formation_id=formation.id,
            kind="fin",
            starts_at=clock.now,
            ends_at=clock.now + timedelta(hours=2),
        )
        session.add(bilan)
        await session.flush()
        theirs = BilanParticipant(bilan_id=bilan.id, kind="trainee", name="Karim Benali")
        session.add(theirs)
        await session.flush()
        session.add(  # the same chat account opened the other organisme's link too
            AttestationInvitation(
                organisation_id=other,
                bilan_id=bilan.id,
                participant_id=theirs.id,
                code_hash="f" * 64,
                expires_at=clock.now + timedelta(days=7),
                redeemed_person_id=placed.person_id,
                redeemed_at=clock.now,
            )
        )
        session.add(
            OutboxMessage(
                key="other:reminder",
                organisation_id=other,
                platform="console",
                chat_id="admin-2",
                payload={"text": "Pensez à appeler Karim Benali"},
            )
        )
    beatrice = person("admin-2")
    await beatrice.says("/absence karim")  # her own trainee of that name: not the demo's
    asked = await step_of(db, beatrice)
    assert asked[0] == "absence"

    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        assert await erase_trainee(session, org, placed.trainee_id, admin, clock.now)

    assert await step_of(db, beatrice) == asked  # her dialogue goes on
    await beatrice.says("/annuler")
    assert "viennent d'être effacées" not in beatrice.all_text
    async with db.sessions() as session:
        kept = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == "other:reminder")
        )
        assert kept is not None and kept.payload["text"] == "Pensez à appeler Karim Benali"
        account = await session.get(Person, placed.person_id)
        assert account is not None  # still the other organisme's participant
        assert await session.scalar(
            select(ChatIdentity.id).where(ChatIdentity.person_id == placed.person_id)
        )
