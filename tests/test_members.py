"""``/membres``: the administration given or taken back, a member removed and her formations
handed over (explorer AP1, AP2: only SQL could end a membership, and the one removed so
still got reminders naming her trainees)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from bot.messages import Reply
from bot.outbox import enqueue
from bot.outbox_payload import payload_to_reply
from bot.people.membership import issue_invitation
from bot.privacy.journal_rows import members_of
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Membership, Person
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.auxil.organisations import add_organisations
from tests.test_onboarding import CODE, first_admin


async def joins(admin: Talker, who: Talker, name: str, form: str) -> None:
    await admin.says("/inviter")
    await admin.presses("Formateur")
    code = CODE.search(admin.last)
    assert code, admin.last
    await who.says(f"/start {code[1]}")
    await who.says(name)
    await who.presses(form)


async def organisation(person: Callable[..., Talker]) -> tuple[Talker, Talker, Talker]:
    """Claire (admin), Bruno and Chloé (formateurs); Bruno in charge of one formation."""
    claire, bruno, chloe = person("claire"), person("bruno"), person("chloe")
    await first_admin(claire)
    await joins(claire, bruno, "Bruno Lefèvre", "Au masculin")
    await joins(claire, chloe, "Chloé Durand", "Au féminin")
    await bruno.says("/formation")
    await bruno.says("Agent de restauration")
    return claire, bruno, chloe


async def owned(db: Database, name: str) -> int:
    async with db.sessions() as session:
        person = await session.scalar(select(Person).where(Person.display_name == name))
        assert person is not None
        return person.id


async def gives_cariste(db: Database, owner_id: int) -> None:
    """A formation « Cariste » of the organisation, in charge of ``owner_id``."""
    async with db.sessions() as session, session.begin():
        session.add(
            Formation(
                organisation_id=(await session.scalar(select(Membership.organisation_id))),
                owner_id=owner_id,
                title="Cariste",
                funder="autre",
                start_date=date(2026, 12, 1),
                end_date=date(2027, 3, 1),
            )
        )


async def told(db: Database, chat: str) -> list[str]:
    async with db.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("membres:%"), OutboxMessage.chat_id == chat)
                .order_by(OutboxMessage.id)
            )
        ).all()
    return [payload_to_reply(r.payload).text for r in rows]


async def test_a_member_removed_hands_her_formations_to_another(
    db: Database, person: Callable[..., Talker]
) -> None:
    claire, bruno, _chloe = await organisation(person)
    bruno_id = await owned(db, "Bruno Lefèvre")
    await gives_cariste(db, bruno_id)
    async with db.sessions() as session, session.begin():  # a reminder waiting for him
        await enqueue(
            session,
            key="rappel:test:bruno",
            platform="console",
            chat_id="bruno",
            reply=Reply(text="⏰ Rappel : Contacter la personne et son entreprise – Karim Benali"),
            organisation_id=await session.scalar(select(Membership.organisation_id)),
        )
    await claire.says("/membres")
    assert "Bruno Lefèvre (formateur, 1 formation)" in claire.buttons
    assert "Chloé Durand (formatrice)" in claire.buttons
    assert "Claire Martin (administratrice)" in claire.buttons
    await claire.presses("Bruno Lefèvre")
    assert claire.last.startswith("Bruno Lefèvre, formateur depuis le ")
    assert "en charge de 1 formation : « Cariste »" in claire.last
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Retirer de l'organisme")
    assert (
        "À qui confier la formation de Bruno Lefèvre (« Cariste ») ? Ses échéances, ses rappels "
        "et les réponses des participants iront à cette personne."  # not « Leurs » (DE6)
    ) in claire.last
    assert "Bruno Lefèvre" not in claire.buttons
    await claire.presses("Chloé Durand")
    assert claire.last.startswith(
        "Retirer Bruno Lefèvre de l'organisme ? Sa formation passe à Chloé Durand."
    )
    await claire.presses("Oui, confirmer")
    assert claire.last.startswith(
        "C'est fait : Bruno Lefèvre ne fait plus partie de l'organisme. Sa formation est "
        "désormais confiée à Chloé Durand."
    )
    chloe_id = await owned(db, "Chloé Durand")
    async with db.sessions() as session:
        roles = {
            p.display_name: m.role
            for m, p in (
                await session.execute(
                    select(Membership, Person).join(Person, Person.id == Membership.person_id)
                )
            ).all()
        }
        owners = {f.title: f.owner_id for f in await session.scalars(select(Formation))}
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "remove_member"))
    assert roles == {"Claire Martin": "admin", "Chloé Durand": "formateur"}
    assert owners["Cariste"] == chloe_id
    assert entry is not None and entry.details["formations"] == 1
    assert "Bruno" not in str(entry.details)
    async with db.sessions() as session:  # not sent after he left (explorer AX8)
        waiting = await session.scalar(
            select(OutboxMessage.status).where(OutboxMessage.key == "rappel:test:bruno")
        )
    assert waiting == "cancelled"
    (to_bruno,) = await told(db, "bruno")
    assert to_bruno.startswith(
        "Claire Martin a mis fin à votre participation à l'organisme Forma Plus"
    )
    (to_chloe,) = await told(db, "chloe")
    assert to_chloe.startswith("Claire Martin vous confie la formation de Bruno Lefèvre")
    await bruno.says("/formations")
    assert "Cariste" not in bruno.all_text
    # The members' export says what he is now (explorer AP4: « personne invitée à un bilan »).
    async with db.sessions() as session:
        listed = {row["nom"]: row["rôle"] for row in await members_of(session, None)}
    assert listed["Bruno Lefèvre"] == "ne fait plus partie de l'organisme"
    # Told he is no longer a member, not sent to an attestation (explorer AP3).
    assert bruno.last.startswith(
        "Re-bonjour Bruno Lefèvre ! Vous ne faites plus partie d'aucun organisme"
    )
    await bruno.says("bonjour")  # plain text too, not the stranger's greeting (AX9)
    assert bruno.last.startswith("Re-bonjour Bruno Lefèvre !")
    await bruno.says("/aide")  # his help too, not the stranger's (explorer BD10)
    assert bruno.last.startswith(
        "Re-bonjour Bruno Lefèvre ! Vous ne faites plus partie d'aucun organisme sur formabot"
    )


async def test_the_administration_given_and_taken_back_never_from_the_last_admin(
    db: Database, person: Callable[..., Talker]
) -> None:
    claire, bruno, _chloe = await organisation(person)
    await claire.says("/membres")
    await claire.presses("Claire Martin")
    assert "Retirer de l'organisme" not in claire.buttons  # not herself
    await claire.presses("Retirer de l'administration")
    # Refused before any confirmation, to her (explorer BE6: « Retirer l'administration à
    # Claire Martin ? … Oui, confirmer », then refused in the third person).
    assert claire.all_text == (
        "Vous êtes la seule personne à administrer l'organisme : nommez d'abord une autre "
        "personne à l'administration (/membres), ou invitez-en une (/inviter). Rien n'a changé."
    )
    assert await step_of(db, claire) == (None, None)
    await claire.says("/membres")
    await claire.presses("Bruno Lefèvre")
    await claire.presses("Nommer à l'administration")
    assert "Confier l'administration de l'organisme à Bruno Lefèvre ?" in claire.last
    await claire.presses("Oui, confirmer")
    assert claire.last.startswith("C'est fait : Bruno Lefèvre administre désormais l'organisme.")
    (to_bruno,) = await told(db, "bruno")
    assert "vous a confié l'administration de l'organisme Forma Plus" in to_bruno
    await bruno.says("/membres")
    await bruno.presses("Bruno Lefèvre")
    await bruno.presses("Retirer de l'administration")  # himself, another admin left: asked
    assert bruno.last.startswith("Quitter l'administration de l'organisme ? Vous resterez membre")
    await bruno.presses("Non")
    await bruno.says("/membres")
    await bruno.presses("Claire Martin")
    await bruno.presses("Retirer de l'administration")
    await bruno.presses("Non")
    assert claire.last  # nothing asked of her
    assert bruno.last.startswith("Rien n'a changé")
    assert await step_of(db, bruno) == (None, None)


async def test_an_administrator_demoted_mid_dialogue_is_told_why(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer AZ11: Chloé, demoted while removing Bruno, read « vous ne faites plus partie de
    l'organisme concerné (il a peut-être été retiré entre-temps) », still a member."""
    claire, _bruno, chloe = await organisation(person)
    await claire.says("/membres")
    await claire.presses("Chloé Durand")
    await claire.presses("Nommer à l'administration")
    await claire.presses("Oui, confirmer")
    await chloe.says("/membres")
    await chloe.presses("Bruno Lefèvre")
    await chloe.presses("Retirer de l'organisme")
    await claire.says("/membres")
    await claire.presses("Chloé Durand")
    await claire.presses("Retirer de l'administration")
    await claire.presses("Oui, confirmer")
    await chloe.presses(chloe.buttons[0])
    assert chloe.last.startswith(
        "J'ai refermé « nommer à l'administration, ou retirer un membre de l'organisme » : vous "
        "n'administrez plus l'organisme, et cette commande est réservée à son administration."
    )


async def test_a_formateur_cannot_manage_members(
    db: Database, person: Callable[..., Talker]
) -> None:
    _claire, bruno, _chloe = await organisation(person)
    await bruno.says("/membres")
    assert "réservée à l'administration" in bruno.all_text


async def test_a_member_s_formations_in_french_order_and_told_apart(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorers ED3 and ED4: « Électricien » came after « Prépa », and two groups of one
    title read alike in the member's card and in the question of her successor."""
    claire, _bruno, _chloe = await organisation(person)
    bruno_id = await owned(db, "Bruno Lefèvre")
    await gives_cariste(db, bruno_id)
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Membership.organisation_id))
        for title, start in (
            ("Prépa compétences", date(2026, 9, 7)),
            ("Électricien du bâtiment", date(2026, 10, 5)),
            ("Cariste", date(2027, 1, 4)),
        ):
            session.add(
                Formation(
                    organisation_id=org,
                    owner_id=bruno_id,
                    title=title,
                    funder="autre",
                    start_date=start,
                    end_date=start + timedelta(days=90),
                )
            )
    await claire.says("/membres")
    await claire.presses("Bruno Lefèvre")
    assert (
        "en charge de 4 formations : « Cariste (mardi 1er décembre 2026) », « Cariste (lundi 4 "
        "janvier 2027) », « Électricien du bâtiment », « Prépa compétences »"
    ) in claire.last


@pytest.mark.parametrize(
    ("started", "summary"),
    [
        (
            ("/effacer Karim Benali",),
            "effacer les données personnelles d'une personne en formation",
        ),
        (("/absence", "Karim", "hier"), "noter une absence ou un retard"),
    ],
)
async def test_a_conversation_set_aside_in_an_organisation_left_is_not_taken_up_in_another(
    trainer: Talker,
    db: Database,
    clock: Clock,
    started: tuple[str, ...],
    summary: str,
) -> None:
    """Explorer AF1: Camille set a dialogue about the demo's trainee aside, was removed from
    the demo and joined Organisme 1; /reprendre took it up there, the demo's trainee named, and
    its last answer refused with an untrue reason (« … supprimée, retirée ou effacée
    entre-temps », « Je ne trouve plus cette personne »). It is dropped, the true reason said."""
    for line in started:
        await trainer.says(line)
    await trainer.says("/echeances")
    assert "Je mets de côté" in trainer.all_text, trainer.all_text
    [other] = await add_organisations(db, 1, clock.now.date())
    async with db.sessions() as session, session.begin():
        membership = await session.scalar(select(Membership))
        assert membership is not None
        membership.organisation_id = other  # removed from the demo, joined Organisme 1
    await trainer.says("/reprendre")
    assert trainer.last.startswith(
        f"J'ai refermé « {summary} » : vous ne faites plus partie de l'organisme concerné"
    ), trainer.last
    assert "Karim" not in trainer.all_text
    await trainer.says("/reprendre")
    assert "Karim" not in trainer.all_text and "Je reprends" not in trainer.all_text


async def test_a_conversation_under_way_in_an_organisation_left_is_closed_in_another(
    trainer: Talker, db: Database, clock: Clock
) -> None:
    """Explorer AF1: the same for the conversation waiting for her answer: « Effacer
    définitivement », pressed after she moved to Organisme 1, answered « Je ne trouve plus
    cette personne », untrue."""
    await trainer.says("/effacer Karim Benali")
    [other] = await add_organisations(db, 1, clock.now.date())
    async with db.sessions() as session, session.begin():
        membership = await session.scalar(select(Membership))
        assert membership is not None
        membership.organisation_id = other
    await trainer.presses("Effacer définitivement")
    assert trainer.last.startswith(
        "J'ai refermé « effacer les données personnelles d'une personne en formation » : "
        "vous ne faites plus partie de l'organisme concerné"
    ), trainer.last


async def test_reprendre_while_joining_another_organisation_asks_the_question_again(
    trainer: Talker, db: Database, clock: Clock
) -> None:
    """Explorer AF2: removed from the demo, Camille joins Organisme 1 with its invitation and,
    at « Quel est votre nom … ? », types /reprendre: she read that the command was for the
    organisations' teams and to send /attestation, though she never had a bilan to attest."""
    await trainer.says("/absence")
    await trainer.says("Karim")
    await trainer.says("/echeances")
    [other] = await add_organisations(db, 1, clock.now.date())
    async with db.sessions() as session, session.begin():
        await session.execute(delete(Membership))
        admin = await session.scalar(select(Person.id).where(Person.display_name == "Admin 1"))
        assert admin is not None
        session.add(Membership(organisation_id=other, person_id=admin, role="admin"))
        _, code = await issue_invitation(
            session,
            organisation_id=other,
            by=admin,
            role="formateur",
            now=clock.now,
            valid_for=timedelta(days=7),
        )
    await trainer.says(f"/start {code}")
    asked = trainer.last
    assert "nom" in asked, asked
    await trainer.says("/reprendre")
    assert "/attestation" not in trainer.all_text, trainer.all_text
    assert trainer.last == asked


@pytest.mark.parametrize("at", ["action", "confirmation"])
async def test_a_member_removed_meanwhile_by_another_admin_is_said_not_just_listed(
    db: Database, person: Callable[..., Talker], at: str
) -> None:
    """Explorer AF6: Claire opened Bruno's entry; Chloé, administrator too, removed him; Claire
    pressed « Nommer à l'administration » and got the list back without a word. Explorer
    BB12: at the confirmation, « Oui, confirmer » read « Cette personne ne fait plus partie
    de l'organisme : rien n'a changé. », neither who nor by whom."""
    claire, _, chloe = await organisation(person)
    async with db.sessions() as session, session.begin():
        chloe_id = await owned(db, "Chloé Durand")
        row = await session.scalar(select(Membership).where(Membership.person_id == chloe_id))
        assert row is not None
        row.role = "admin"
    await claire.says("/membres")
    await claire.presses("Bruno Lefèvre")
    if at == "confirmation":
        await claire.presses("Nommer à l'administration")
    await chloe.says("/membres")
    await chloe.presses("Bruno Lefèvre")
    await chloe.presses("Retirer de l'organisme")
    await chloe.presses("Oui, confirmer")
    assert chloe.last.startswith("C'est fait : Bruno Lefèvre ne fait plus partie"), chloe.last
    await claire.presses("Oui, confirmer" if at == "confirmation" else "Nommer à l'administration")
    said = claire.replies[0].text
    assert said.startswith(
        "Bruno Lefèvre ne fait plus partie de l'organisme : Chloé Durand a mis fin à sa "
        "participation le "
    ), said
    assert said.endswith(". Rien n'a changé."), said
    assert "Bruno Lefèvre" not in claire.buttons
    async with db.sessions() as session:
        roles = {m.person_id: m.role for m in await session.scalars(select(Membership))}
    assert await owned(db, "Bruno Lefèvre") not in roles


async def test_every_step_of_membres_survives_bad_input(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Every step of /membres (the member, the successor, the confirmation) re-asks on wrong,
    empty, huge or hostile input and changes no membership (coverage AR)."""
    claire, bruno, _chloe = await organisation(person)
    await gives_cariste(db, await owned(db, "Bruno Lefèvre"))

    async def memberships() -> list[tuple[int, str]]:
        async with db.sessions() as session:
            rows = (await session.scalars(select(Membership).order_by(Membership.id))).all()
            return [(m.person_id, m.role) for m in rows]

    before = await memberships()
    await claire.says("/membres")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Bruno Lefèvre")
    await claire.presses("Retirer de l'organisme")
    assert await step_of(db, claire) == ("membres", "successor")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Chloé Durand")
    assert await step_of(db, claire) == ("membres", "confirm")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Non")
    assert bruno.last is not None
    assert await memberships() == before
