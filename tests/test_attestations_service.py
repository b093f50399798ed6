"""bot.attestations.service on its own: which bilans a trainer sees, a bilan's words, the
audit helper, and the completeness of the proofs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.attestations import invitations, service
from bot.attestations.service import Author, Viewer
from bot.bilans.queries import visible_bilans
from bot.bilans.view import view_of
from bot.storage.attestations import Attestation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.attestations import (
    BILAN_START,
    add_bilan,
    add_colleague,
    demo_author,
    insert_other_organisation,
    on_signed_sheet,
)
from tests.auxil.dialogue import Clock


async def test_an_admin_sees_every_bilan_of_the_organisation_upcoming_first(
    db: Database, demo: None, clock: Clock
) -> None:
    past = await add_bilan(db, start=clock.now - timedelta(days=10))
    later = await add_bilan(db, start=clock.now + timedelta(days=20))
    sooner = await add_bilan(db, start=clock.now + timedelta(days=2))
    _, colleague_bilan = await add_colleague(db)
    cancelled = await add_bilan(db, start=clock.now + timedelta(days=3))
    other = await insert_other_organisation(db)
    async with db.sessions() as session, session.begin():
        (await session.get_one(Bilan, cancelled)).cancelled_at = clock.now
        person_id, organisation_id = await demo_author(session)
        admin = Viewer(person_id, organisation_id, is_admin=True)
        seen = await visible_bilans(session, admin.member, clock.now)
        assert [b.id for b, _ in seen] == [sooner, colleague_bilan, later, past]
        assert {f.title for _, f in seen} == {"Agent de restauration (démo)", "Cuisine (collègue)"}
        assert other.bilan_id not in [b.id for b, _ in seen]


async def test_a_formateur_sees_only_the_bilans_of_their_formations(
    db: Database, demo: None, clock: Clock
) -> None:
    mine = await add_bilan(db)
    colleague_id, colleague_bilan = await add_colleague(db)
    async with db.sessions() as session:
        _, organisation_id = await demo_author(session)
        colleague = Viewer(colleague_id, organisation_id, is_admin=False)
        assert [b.id for b, _ in await visible_bilans(session, colleague.member, clock.now)] == [
            colleague_bilan
        ]
        assert await service.bilan_for(session, colleague, mine) is None
        info = await service.bilan_for(session, colleague, str(colleague_bilan))
        assert info is not None and info.formation.title == "Cuisine (collègue)"


async def test_bilan_for_gives_the_same_none_for_anything_not_to_be_seen(
    db: Database, demo: None, clock: Clock
) -> None:
    mine = await add_bilan(db)
    other = await insert_other_organisation(db)
    async with db.sessions() as session, session.begin():
        person_id, organisation_id = await demo_author(session)
        admin = Viewer(person_id, organisation_id, is_admin=True)
        for wanted in (other.bilan_id, 987654, "abc", None, "1; DROP TABLE bilans"):
            assert await service.bilan_for(session, admin, wanted) is None
        info = await service.bilan_for(session, admin, mine)
        assert info is not None and info.trainer == "Camille Durand"
        assert str(info.tz) == "Europe/Paris"
        (await session.get_one(Bilan, mine)).cancelled_at = clock.now
        assert await service.bilan_for(session, admin, mine) is None


async def test_the_words_of_a_bilan_are_in_the_organisation_zone(db: Database, demo: None) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START, kind="fin")
    async with db.sessions() as session:
        info = await view_of(session, bilan_id)
        assert info is not None
        words = service.when_words(info)
        assert words["day"] == "jeudi 26 novembre 2026"
        assert (words["start"], words["end"]) == ("14 h 00", "16 h 00")
        assert words["kind"] == "bilan de fin de formation"
        assert words["organisation"] == "Organisme de démonstration"


async def test_the_audit_names_the_author_and_ids_only(db: Database, demo: None) -> None:
    async with db.sessions() as session, session.begin():
        service.audit(
            session, Author(None, None), "redeem", "attestation_invitation", 7, bilan_id=3
        )
    async with db.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "redeem"))
        assert entry is not None
        assert (entry.organisation_id, entry.actor_id, entry.entity_id) == (None, None, 7)
        assert entry.details == {"bilan_id": 3}


async def test_progress_accounts_for_answers_sheets_and_invitations(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(
        db,
        participants=(
            ("delegate", "Léa Martin", None),
            ("delegate", "Hugo Moreau", None),
            ("partner", "Marc Partenaire", "Mission locale"),
            ("delegate", "Zoé Sansnouvelles", None),
        ),
    )
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        lea, hugo, marc, zoe = info.bilan.participants
        assert not (await service.progress(session, info, now=clock.now)).complete
        invitation, _ = await invitations.issue(session, info, lea, by=None, now=clock.now)
        await invitations.issue(session, info, zoe, by=None, now=clock.now)
        session.add(
            Attestation(
                organisation_id=info.bilan.organisation_id,
                bilan_id=bilan_id,
                participant_id=lea.id,
                invitation_id=invitation.id,
                version=1,
                answer="attested",
                typed_name="Léa Martin",
                role="delegate",
                name_matches=True,
                role_matches=True,
                text="texte",
                text_sha256="0" * 64,
                answered_at=clock.now,
                platform="console",
                chat_user_id="lea",
                chat_id="lea",
            )
        )
        await on_signed_sheet(session, info.bilan, hugo.id, at=clock.now)
        prog = await service.progress(session, info, now=clock.now)
        states = {r.participant.name: r.state for r in prog.rows}
        assert states == {
            "Léa Martin": "attested",
            "Hugo Moreau": "on_sheet",
            "Marc Partenaire": "not_invited",
            "Zoé Sansnouvelles": "invited",
        }
        # As the documents list them: those for the trainees, then the partners (CF11).
        assert [p.name for p in prog.missing] == ["Zoé Sansnouvelles", "Marc Partenaire"]
        assert not prog.complete and len(prog.sheets) == 1
        assert marc.structure == "Mission locale"


def test_a_name_is_the_same_name_whatever_the_accents_case_civility_and_order() -> None:
    assert service.same_name("MARTIN lea", "Léa Martin")
    assert service.same_name("Mme Léa Martin", "Léa Martin")
    assert not service.same_name("Lea Martinez", "Léa Martin")
    assert not service.same_name("", "Léa Martin")


def test_visible_drops_what_could_disturb_a_chat() -> None:
    assert service.visible("Hu\x00go\u202e <i>Moreau</i>\x1b[31m") == "Hugo <i>Moreau</i>"
    assert service.visible(None) == ""


def test_a_role_is_said_beside_a_name_without_guessing_a_gender() -> None:
    assert service.ROLE_LABELS["delegate"] == "pour les stagiaires"
    assert all("(e)" not in words for words in service.ROLE_LABELS.values())
