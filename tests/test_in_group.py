"""``/start`` in a group: a code the whole group saw is voided, its maker told (explorer ID4)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.outbox_payload import payload_to_reply
from bot.privacy.audit_words import DETAIL_KEYS
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Invitation, Membership
from tests.auxil.dialogue import Person
from tests.test_onboarding import first_admin, invite


async def test_a_code_typed_in_a_group_is_voided_and_its_maker_told(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer ID4: « /start CODE » in a group was refused with « les données des
    stagiaires » to a newcomer who has none, and the code the whole group saw stayed good."""
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    zoe = person("zoe", chat="equipe", is_group=True)
    await zoe.says(f"/start {code}")
    assert zoe.last == (
        "Ce code d'invitation est personnel, et tout le groupe vient de le voir : je l'ai "
        "annulé, pour que personne d'autre ne s'en serve. Demandez-en un nouveau à la "
        "personne qui vous l'a envoyé, puis envoyez-le-moi en message privé."
    )
    async with db.sessions() as session:
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.endswith(":shown_in_group"))
        )
        stored = await session.scalar(select(Invitation))
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "revoke"))
    assert stored is not None and stored.revoked_at is not None
    # In the journal, by nobody, saying why, in words its export has a French name for.
    assert entry is not None and entry.actor_id is None
    assert entry.details == {"how": "code montré dans un groupe"} and "how" in DETAIL_KEYS
    assert told is not None
    assert payload_to_reply(told.payload).text == (
        "Le code de l'invitation n° 1, que vous avez créée le lundi 23 novembre 2026 à "
        "10 h 00, a été tapé dans un groupe, où tout le monde l'a vu : je l'ai annulé. "
        "Pour inviter cette personne, créez un nouveau code avec /inviter et demandez-lui "
        "de me l'envoyer en message privé."
    )
    alone = person("zoe")
    await alone.says(f"/start {code}")
    assert "révoqué" in alone.last  # voided for everyone, its holder too
    await zoe.says(f"/start {code}")  # a used, revoked or unknown one: no second notice
    assert (
        zoe.last == "Ce code est personnel : envoyez-le-moi en message privé, pas dans un groupe."
    )
    await zoe.says("/start")
    assert "écrivez-moi en message privé" in zoe.last and "stagiaires" not in zoe.last
    async with db.sessions() as session:
        notices = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.key.endswith(":shown_in_group"))
        )
        assert len(notices.all()) == 1
        assert len((await session.scalars(select(Membership))).all()) == 1


async def test_a_member_typing_her_own_code_in_a_group_voids_it_too(
    db: Database, person: Callable[..., Person]
) -> None:
    """The admin pasting the code in the team's group by mistake: voided all the same, and
    told in her own chat which one (the notice is hers)."""
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    in_group = person("claire", chat="equipe", is_group=True)
    await in_group.says(f"/start {code}")
    assert "je l'ai annulé" in in_group.last
    await in_group.says("/start")
    assert in_group.last.startswith("Pour protéger les données des stagiaires")
    async with db.sessions() as session:
        stored = await session.scalar(select(Invitation))
    assert stored is not None and stored.revoked_at is not None
