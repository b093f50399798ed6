"""Getting in: the first admin, invitations, strangers kept out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import invitations, texts
from bot.app import build_engine
from bot.config import Settings
from bot.messages import ROOM_NAME, ROOM_TOPIC, Platform
from bot.outbox_payload import payload_to_reply
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Invitation, Membership, Organisation
from bot.storage.people import Person as P
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, step_of, survives

CODE = re.compile(r"/start ([A-Za-z0-9_-]{16,})")


async def first_admin(who: Person, zone: str = "Métropole") -> None:
    await who.says("/start")
    await who.says("Forma Plus")
    await who.presses(zone)
    await who.says("Claire Martin")
    await who.presses("Au féminin")


async def test_the_first_person_creates_the_organisation_and_becomes_admin(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await claire.says("/start")
    assert "Bienvenue" in claire.all_text and "nom de votre organisme" in claire.last
    await claire.says("Forma Plus")
    await claire.presses("Réunion")
    await claire.says("Claire Martin")
    assert "Comment dois-je parler de vous" in claire.last
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Au féminin")
    assert (
        "C'est fait : l'organisme Forma Plus est créé et vous en êtes l'administratrice."
        in claire.last
    )
    # Explorer AC7: the zone, on which every hour depends, said back.
    assert "Ses heures sont celles de : La Réunion (Indian/Reunion)." in claire.last
    async with db.sessions() as session:
        assert [p.address_form for p in await session.scalars(select(P))] == ["f"]
    async with db.sessions() as session:
        org = await session.scalar(select(Organisation))
        assert org is not None and (org.name, org.timezone) == ("Forma Plus", "Indian/Reunion")
        membership = await session.scalar(select(Membership))
        assert membership is not None and membership.role == "admin"
        identity = await session.scalar(select(ChatIdentity))
        assert identity is not None and (identity.platform, identity.user_id) == (
            "console",
            "claire",
        )


async def test_a_command_before_the_last_answer_waits_for_it(
    db: Database, person: Callable[..., Person]
) -> None:
    """Creating the organisation, one question left: « Je ne vous connais pas » would be untrue."""
    claire = person("claire")
    await claire.says("/start")
    await claire.says("Forma Plus")
    await claire.presses("Métropole")
    await claire.says("Claire Martin")
    await claire.says("/formation")
    assert "Je ne vous connais pas" not in claire.all_text
    assert claire.replies[0].text == (
        "Encore un instant : répondez d'abord à cette question ; ensuite, tapez /formation "
        "de nouveau."
    )
    assert "Comment dois-je parler de vous" in claire.last
    await claire.presses("Au féminin")
    assert "vous en êtes l'administratrice" in claire.last
    await claire.says("/formation")
    assert "Quel est son intitulé" in claire.last


async def test_onboarding_steps_survive_bad_input(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await claire.says("/start")
    await survives(db, claire, FOR_NAMES)
    await claire.says("Forma Plus")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Métropole")
    await survives(db, claire, FOR_NAMES)
    await claire.says("Claire Martin")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Ni l'un ni l'autre")
    async with db.sessions() as session:
        assert [o.name for o in await session.scalars(select(Organisation))] == ["Forma Plus"]


async def test_a_stranger_gets_a_polite_explanation_and_nothing_else(
    db: Database, person: Callable[..., Person]
) -> None:
    await first_admin(person("claire"))
    stranger = person("inconnu")
    await stranger.says("/start")
    assert "invitation" in stranger.last
    for command in ("/formation", "/formations", "/inviter"):
        await stranger.says(command)
        assert "Je ne vous connais pas" in stranger.last
    await stranger.says("bonjour")
    assert "invitation" in stranger.last
    # Where a trainee waiting for an attestation goes, and no « envoyez /start » alone
    # (explorer J: /start without a code is refused once an organisation exists).
    await stranger.says("/aide")
    assert "demandez-lui une invitation, puis envoyez /start suivi du code reçu" in (stranger.last)
    assert "Ouvrez le lien personnel que votre formateur ou votre formatrice" in stranger.last
    assert "Pour commencer, envoyez /start." not in stranger.last
    # On Matrix the invitation is a message to send back, never a link (explorer DC5).
    on_matrix = person("@lea.martin:example.org", Platform.MATRIX)
    await on_matrix.says("Bonjour, Camille m'a dit de vous écrire pour le bilan")
    assert (
        "Envoyez-moi ici le message « /start … » que votre formateur ou votre formatrice vous a "
        "transmis."
    ) in on_matrix.last
    assert "lien personnel" not in on_matrix.last
    # Nor in the console (explorer QB9); on Telegram, the link the invitation carries.
    await stranger.says("c'est pour le bilan")
    assert "Envoyez-moi ici le message « /start … »" in stranger.last
    on_telegram = person("777", Platform.TELEGRAM)
    await on_telegram.says("Bonjour, Camille m'a dit de vous écrire pour le bilan")
    assert "Ouvrez le lien personnel que votre formateur ou votre formatrice" in on_telegram.last
    async with db.sessions() as session:
        assert len((await session.scalars(select(P))).all()) == 1


async def test_the_first_comer_on_an_empty_bot_is_told_to_send_start(
    db: Database, person: Callable[..., Person]
) -> None:
    """Nobody uses the bot yet: there is no invitation to ask for, /start creates the organisation."""
    claire = person("claire")
    for typed in ("bonjour", "?", "/aide", "/absence", "Karim absent hier"):
        await claire.says(typed)
        assert "Aucun organisme de formation n'utilise encore cet assistant" in claire.last, typed
        assert "envoyez /start pour créer le vôtre" in claire.last, typed
        assert "invitation" not in claire.all_text, typed
    await first_admin(claire)
    assert "vous en êtes l'administratrice" in claire.last
    stranger = person("inconnu")
    await stranger.says("bonjour")
    assert "invitation" in stranger.last
    assert "Aucun organisme" not in stranger.last
    async with db.sessions() as session:
        assert len((await session.scalars(select(Organisation))).all()) == 1


async def test_the_admin_is_told_of_a_newcomer_in_her_own_time(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer AC4: the notice was written in the newcomer's time (Paris, no organisation
    yet): « créée … à 10 h 00 » for a code the admin made at 5 h in Martinique."""
    claire = person("claire")
    await first_admin(claire, "Guadeloupe, Martinique")
    await claire.says("/inviter")
    await claire.presses("Formateur")
    code = CODE.search(claire.last)
    assert code, claire.last
    bruno = person("bruno")
    await bruno.says(f"/start {code[1]}")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    async with db.sessions() as session:
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.endswith(":joined"))
        )
    assert told is not None
    assert payload_to_reply(told.payload).text.endswith(
        "que vous avez créée le lundi 23 novembre 2026 à 5 h 00."
    )


async def test_an_admin_invites_a_formateur_with_a_one_time_code(
    db: Database, person: Callable[..., Person], clock: Clock
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await claire.says("/inviter")
    await claire.presses("Formateur")
    code = CODE.search(claire.last)
    assert code, claire.last
    assert claire.replies[-1].extras["invite_code"] == code[1]
    # A message to forward as it is (explorer J: a colleague who never used a bot got a code).
    forward = claire.replies[-1].text
    assert forward.startswith("Bonjour,\nClaire Martin vous invite sur formabot, l'assistant")
    # One word for the program, the French one (explorer AI10: « bot » here, « assistant »
    # in the same message).
    assert f"Envoyez à l'assistant formabot : <code>/start {code[1]}</code>" in forward
    async with db.sessions() as session:
        stored = await session.scalar(select(Invitation))
        assert stored is not None and code[1] not in stored.code_hash
        assert len(stored.code_hash) == 64

    bruno = person("bruno")
    await bruno.says(f"/start {code[1]}")
    assert "Forma Plus" in bruno.all_text
    await bruno.says("Bruno Lefèvre")
    assert "Comment dois-je parler de vous" in bruno.last
    await bruno.presses("Au masculin")
    assert "C'est fait" in bruno.last
    # What comes to a formateur by itself, and what does not (explorer J).
    assert "Je vous rappellerai chaque échéance de vos formations la veille" in bruno.last
    # The admin who made the code is told who used it (explorer J: nothing was).
    async with db.sessions() as session:
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.endswith(":joined"))
        )
    assert told is not None and told.chat_id == "claire"
    assert payload_to_reply(told.payload).text.startswith(
        "Bruno Lefèvre a rejoint l'organisme comme formateur, avec l'invitation n° 1"
    )
    async with db.sessions() as session:
        forms = {p.display_name: p.address_form for p in await session.scalars(select(P))}
        assert forms == {"Claire Martin": "f", "Bruno Lefèvre": "m"}
    await bruno.says("/aide")
    assert "/formation" in bruno.last and "/inviter" not in bruno.last
    await bruno.says("/inviter")
    assert "réservée à l'administration" in bruno.last

    chloe = person("chloe")
    await chloe.says(f"/start {code[1]}")
    assert "déjà servi" in chloe.last
    async with db.sessions() as session:
        roles = sorted(m.role for m in await session.scalars(select(Membership)))
        assert roles == ["admin", "formateur"]

    # An administrator's code sent by a formateur makes them one (explorer J: refused as
    # « déjà membre »: no second admin could ever be added).
    await bruno.says(f"/start {code[1]}")  # his own formateur code again: nothing changes
    assert "déjà" in bruno.last
    await claire.says("/inviter")
    await claire.presses("Administrateur")
    admin_code = CODE.search(claire.last)
    assert admin_code, claire.last
    await bruno.says(f"/start {admin_code[1]}")
    assert bruno.last.startswith("C'est fait : vous administrez maintenant l'organisme")
    # What now comes to an administrator by itself (explorer AP7: the digest, unsaid).
    assert "Vous recevrez chaque matin le récapitulatif des échéances" in bruno.last
    # The admin who made the code is told, as of a newcomer (explorer AI3).
    async with db.sessions() as session:
        promoted = await session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.key.endswith(":joined"))
            .order_by(OutboxMessage.id.desc())
        )
    assert promoted is not None and promoted.chat_id == "claire"
    assert payload_to_reply(promoted.payload).text.startswith(
        "Bruno Lefèvre est désormais administrateur de l'organisme, avec l'invitation n° 2"
    )
    await bruno.says("/inviter")
    assert "réservée à l'administration" not in bruno.last
    await bruno.says("/annuler")
    async with db.sessions() as session:
        roles = sorted(m.role for m in await session.scalars(select(Membership)))
        assert roles == ["admin", "admin"]
    await bruno.says(f"/start {admin_code[1]}")  # used up
    assert "déjà" in bruno.last


@pytest.mark.parametrize(
    ("role", "said", "example"),
    [
        ("Formateur", "votre nom et comment vous désigner (formatrice ou formateur)", "formatrice"),
        (
            "Administrateur",
            "votre nom et comment vous désigner (administratrice ou administrateur)",
            "l'administratrice",
        ),
    ],
)
async def test_the_invitation_to_forward_names_both_questions_and_the_second_fits_the_role(
    db: Database, person: Callable[..., Person], role: str, said: str, example: str
) -> None:
    """Explorer HB11: « Le bot vous demande ensuite votre nom, et c'est tout », then a second
    question came, its example « vous en êtes l'administratrice » to someone joining as a
    trainer."""
    claire = person("claire")
    await first_admin(claire)
    await claire.says("/inviter")
    await claire.presses(role)
    code = CODE.search(claire.last)
    assert code, claire.last
    assert f"L'assistant vous demande ensuite {said}, rien de plus." in claire.last
    assert "et c'est tout" not in claire.last
    sam = person("sam")
    await sam.says(f"/start {code[1]}")
    await sam.says("Sam Girard")
    assert sam.last.startswith("Comment dois-je parler de vous")
    assert example in sam.last
    if role == "Formateur":
        assert "administr" not in sam.last.split("\n")[0]


async def test_a_code_pasted_alone_or_with_a_full_stop_is_read_as_start(
    db: Database, person: Callable[..., Person]
) -> None:
    """Outside test (item 15): the code alone got the stranger's answer, and « /start
    CODE. » « Ce code n'est pas valable »."""
    claire = person("claire")
    await first_admin(claire)
    joined = []
    names = ("Bruno Lefèvre", "Inès Garnier", "Paul Roux", "Anne Dubois")
    for n, typed in enumerate(("{}", "/start {}.", "« {} »", "/start  “{}” !")):
        await claire.says("/inviter")
        await claire.presses("Formateur")
        code = CODE.search(claire.last)
        assert code
        newcomer = person(f"nouveau{n}")
        await newcomer.says(typed.format(code[1]))
        assert "Forma Plus vous invite" in newcomer.all_text, typed
        await newcomer.says(names[n])
        await newcomer.presses("Ni l'un ni l'autre")
        joined.append("C'est fait" in newcomer.last)
    assert joined == [True] * 4
    async with db.sessions() as session:
        assert len((await session.scalars(select(Membership))).all()) == 5


async def test_expired_unknown_and_malformed_codes(
    db: Database, person: Callable[..., Person], clock: Clock
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await claire.says("/inviter")
    await claire.presses("Formateur")
    code = CODE.search(claire.last)
    assert code
    clock.advance(days=8)
    late = person("late")
    await late.says(f"/start {code[1]}")
    assert "expiré" in late.last
    await late.says("/start AAAAAAAAAAAAAAAAAAAAAA")
    assert "pas valable" in late.last
    await late.says("/start <script>")
    assert "pas valable" in late.last
    await late.says("/start " + "x" * 10_000)
    assert "pas valable" in late.last
    await late.says("AAAAAAAAAAAAAAAAAAAAAb")  # a code's shape, alone: tried as one
    assert "pas valable" in late.last
    await late.says("/start AAAAAAAAAAAAAAAAAAAAAA.")  # the full stop is no part of it
    assert "pas valable" in late.last
    async with db.sessions() as session:
        assert len((await session.scalars(select(Membership))).all()) == 1


async def test_a_formateur_sees_only_their_organisation(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    # A second organisation, created directly: its formateur must not see the demo's data.
    async with db.sessions() as session, session.begin():
        org = Organisation(name="Autre OF")
        someone = P(display_name="Sam Autre")
        session.add_all([org, someone])
        await session.flush()
        session.add(
            ChatIdentity(person_id=someone.id, platform="console", user_id="sam", chat_id="sam")
        )
        session.add(Membership(organisation_id=org.id, person_id=someone.id, role="admin"))
    sam = person("sam")
    await sam.says("/formations")
    assert "aucune formation" in sam.last
    await trainer.says("/formations")
    assert any("démo" in b for b in trainer.buttons)
    _ = timedelta


async def test_the_invitation_step_survives_bad_input(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await claire.says("/inviter")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Formateur")
    assert CODE.search(claire.last)
    async with db.sessions() as session:
        assert len((await session.scalars(select(Invitation))).all()) == 1


def on_matrix(settings: Settings) -> Settings:
    return replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )


async def test_inviting_someone_by_matrix_id_queues_the_code_for_the_bot_to_deliver(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    admin = Person(build_engine(db, on_matrix(settings), clock=clock), "formateur")
    await admin.says("/inviter @bruno.lefevre:tchap.example")
    await admin.presses("Formateur")
    said = admin.all_text
    assert "J'ouvre une conversation avec @bruno.lefevre:tchap.example sur Matrix" in said
    code = re.search(r"/start (\S+)", said)
    assert code is not None
    async with db.sessions() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
    assert (row.platform, row.chat_id) == ("matrix", "@bruno.lefevre:tchap.example")
    welcome = texts.plain(row.payload["text"])
    assert f"/start {code.group(1)}" in welcome
    assert "Camille Durand vous invite à rejoindre l'organisme de formation « Organisme de démonstration »"  # never bare (BB19) in welcome
    # Explorer DC2: the chat the bot opens says who invites, before it is accepted.
    assert (row.payload["extras"][ROOM_NAME], row.payload["extras"][ROOM_TOPIC]) == (
        "formabot – Organisme de démonstration",
        "Organisme de démonstration (Camille Durand) : invitation à rejoindre l'organisme sur "
        "formabot",
    )


async def test_an_invitation_to_a_matrix_id_with_capitals_goes_to_it_lower_case(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer JB4: « /inviter @Bruno.Lefevre:Tchap.example » was « Je n'ai pas reconnu un
    identifiant Matrix », though a partner's ID so typed is kept lower-case (JA12)."""
    admin = Person(build_engine(db, on_matrix(settings), clock=clock), "formateur")
    await admin.says("/inviter @Bruno.Lefevre:Tchap.example")
    await admin.presses("Formateur")
    assert "J'ouvre une conversation avec @bruno.lefevre:tchap.example sur Matrix" in (
        admin.all_text
    )
    async with db.sessions() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
    assert (row.platform, row.chat_id) == ("matrix", "@bruno.lefevre:tchap.example")


async def test_an_invitation_argument_that_is_no_matrix_id_is_explained(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    admin = Person(build_engine(db, on_matrix(settings), clock=clock), "formateur")
    for typed in ("bruno", "@Bruno Lefèvre", "bruno@tchap.example", "@bruno:"):
        await admin.says(f"/inviter {typed}")
        assert "Je n'ai pas reconnu un identifiant Matrix" in admin.last, typed
    await admin.says("/inviter @\ud800:tchap.example")
    assert "caractères que je ne peux pas lire" in admin.last
    plain = Person(build_engine(db, settings, clock=clock), "formateur")
    await plain.says("/inviter @bruno:tchap.example")
    assert "pas relié à Matrix" in plain.last
    async with db.sessions() as session:
        assert (await session.scalars(select(Invitation))).all() == []
        assert (await session.scalars(select(OutboxMessage))).all() == []


async def test_the_second_person_finishing_start_is_told_someone_was_quicker(
    db: Database, person: Callable[..., Person]
) -> None:
    claire, bruno = person("claire"), person("bruno")
    for who in (claire, bruno):
        await who.says("/start")
        await who.says("Forma Plus")
        await who.presses("Métropole")
    await claire.says("Claire Martin")
    await claire.presses("Au féminin")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    assert "Quelqu'un vient de créer l'organisme de cet assistant juste avant vous" in bruno.last
    assert "code d'invitation" in bruno.last
    async with db.sessions() as session:
        assert [o.name for o in await session.scalars(select(Organisation))] == ["Forma Plus"]
        assert [p.display_name for p in await session.scalars(select(P))] == ["Claire Martin"]
        founding = await session.scalar(select(Organisation.founding))
        assert founding is True


async def invite(admin: Person) -> str:
    await admin.says("/inviter")
    if "Que voulez-vous faire" in admin.last:
        await admin.presses("Nouvelle invitation")
    await admin.presses("Formateur")
    code = CODE.search(admin.last)
    assert code, admin.last
    return code[1]


async def test_inviter_lists_pending_invitations_and_revokes_one(
    db: Database, person: Callable[..., Person], clock: Clock
) -> None:
    claire = person("claire")
    await first_admin(claire)
    first = await invite(claire)
    assert "Voici l'invitation n° 1 (formateur ou formatrice)" in claire.all_text
    clock.advance(hours=1)
    second = await invite(claire)
    assert "Voici l'invitation n° 2 (formateur ou formatrice)" in claire.all_text
    await claire.says("/inviter")
    listed = claire.last
    assert "Invitations en attente" in listed
    # Told apart by the number said with each code (explorer J J15: three identical lines).
    assert "N° 1 : formateur ou formatrice, créée par Claire Martin" in listed
    assert "N° 2 : formateur ou formatrice, créée par Claire Martin" in listed
    assert "le lundi 23 novembre 2026 à 10 h 00, valable jusqu'au lundi 30 novembre 2026" in listed
    assert first not in claire.all_text and second not in claire.all_text  # never shown again
    assert claire.buttons == ["Nouvelle invitation", "Révoquer une invitation", "Terminé"]
    await claire.presses("Révoquer une invitation")
    assert "Quelle invitation révoquer" in claire.last and len(claire.buttons) == 2
    # The number first, the hour whole (explorer O: « 1. N° 2 … à 16… »), « n° 2 » typed.
    assert claire.buttons[1] == (
        "Invitation n° 2 – formateur ou formatrice, créée le 23 novembre à 11 h 00"
    )
    assert "tapez « n° » suivi du numéro" in claire.last
    await claire.says("n° 2")
    assert "Révoquer cette invitation ?" in claire.last and "Invitation n° 2 –" in claire.last
    await claire.presses("Révoquer")
    assert "C'est fait : l'invitation n° 2 est révoquée." in claire.last  # its number (N)
    async with db.sessions() as session:
        revoked = await session.scalar(select(Invitation).where(Invitation.revoked_at.is_not(None)))
        assert revoked is not None and revoked.code_hash == invitations.code_hash(second)

    bruno = person("bruno")
    await bruno.says(f"/start {second}")
    assert "révoqué par votre organisme" in bruno.last
    await bruno.says(f"/start {first}")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    assert "C'est fait" in bruno.last

    await claire.says("/inviter")  # nothing pending any more: straight to a new code
    assert "Qui invitez-vous" in claire.last


async def test_keeping_an_invitation_goes_back_to_the_list_and_done_changes_nothing(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await invite(claire)
    await claire.says("/inviter")
    await claire.presses("Révoquer une invitation")
    await claire.says("1")
    await claire.presses("Garder")
    assert "Que voulez-vous faire" in claire.last
    await claire.presses("Terminé")
    assert "je ne change rien" in claire.last
    async with db.sessions() as session:
        [kept] = (await session.scalars(select(Invitation))).all()
        assert kept.revoked_at is None


async def test_an_invitation_used_while_the_admin_revokes_it_is_not_revoked(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    await claire.says("/inviter")
    await claire.presses("Révoquer une invitation")
    await claire.says("1")
    bruno = person("bruno")
    await bruno.says(f"/start {code}")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    await claire.presses("Révoquer")
    assert "Trop tard : cette invitation vient d'être utilisée" in claire.last
    async with db.sessions() as session:
        [used] = (await session.scalars(select(Invitation))).all()
        assert used.revoked_at is None and used.used_by is not None


async def test_the_revocation_steps_survive_bad_input(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await invite(claire)
    await claire.says("/inviter")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Révoquer une invitation")
    await survives(db, claire, FOR_CHOICES)
    await claire.says("1")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Révoquer")
    assert "révoquée" in claire.last


async def test_only_admins_see_or_revoke_invitations(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    bruno = person("bruno")
    await bruno.says(f"/start {code}")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    await invite(claire)
    await bruno.says("/inviter")
    assert "réservée à l'administration" in bruno.last
    assert "Invitations en attente" not in bruno.all_text


async def test_revoking_when_the_last_invitation_was_used_meanwhile_says_so(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    await claire.says("/inviter")
    bruno = person("bruno")
    await bruno.says(f"/start {code}")
    await bruno.says("Bruno Lefèvre")
    await bruno.presses("Au masculin")
    await claire.presses("Révoquer une invitation")
    assert "plus d'invitation en attente" in claire.last
    async with db.sessions() as session:
        [used] = (await session.scalars(select(Invitation))).all()
        assert used.revoked_at is None and used.used_by is not None


async def test_the_words_people_answer_with_at_the_role_and_the_form(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer Z, Z10: « un formateur » at /inviter's role and « homme » at « Comment dois-je
    parler de vous ? » were « Je n'ai pas reconnu ce choix »."""
    bruno = person("bruno")
    await bruno.says(f"/start {await a_code(person('claire'), 'un formateur')}")
    await bruno.says("Bruno Lefèvre")
    await bruno.says("homme")
    assert "C'est fait" in bruno.last
    async with db.sessions() as session:
        forms = {p.display_name: p.address_form for p in await session.scalars(select(P))}
    assert forms["Bruno Lefèvre"] == "m"


async def test_a_civility_before_one_s_name_says_how_to_speak_of_one_and_is_not_kept(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer AD17: « Mme Zoé Durand » was her name on every invitation she signed (a
    trainee's loses it), and she was asked « au féminin ou au masculin ? » right after."""
    claire = person("claire")
    zoe = person("zoe")
    await zoe.says(f"/start {await a_code(claire, 'Formateur')}")
    await zoe.says("mme zoé durand")
    assert zoe.last.startswith("C'est fait, Zoé Durand : vous faites partie de l'organisme")
    assert "Comment dois-je parler de vous" not in zoe.all_text
    marc = person("marc")
    await marc.says(f"/start {await another_code(claire)}")
    await marc.says("Monsieur Marc Dubois")
    assert marc.last.startswith("C'est fait, Marc Dubois : vous faites partie de l'organisme")
    async with db.sessions() as session:
        forms = {p.display_name: p.address_form for p in await session.scalars(select(P))}
    assert forms == {"Claire Martin": "f", "Zoé Durand": "f", "Marc Dubois": "m"}
    anne = person("anne")
    await anne.says(f"/start {await another_code(claire)}")
    await anne.says("Mme Durand")
    assert anne.last.startswith("« Mme Durand » seul ne suffit pas")


async def test_a_first_name_alone_is_no_member_s_name(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer Z, Z10: « Marc » alone was taken, and signed his invitations so."""
    marc = person("marc")
    await marc.says(f"/start {await a_code(person('claire'), 'Formateur')}")
    await marc.says("Marc")
    assert marc.last.startswith("« Marc » seul ne suffit pas : écrivez votre prénom et votre nom")
    await marc.says("Marc Dubois-Lefèvre")
    assert "Comment dois-je parler de vous" in marc.last


async def test_aide_during_the_creation_says_what_is_under_way(
    person: Callable[..., Person],
) -> None:
    """Explorer Z, Z12: « Vous êtes en train de : commencer. »"""
    nora = person("nora")
    await nora.says("/start")
    await nora.says("/aide")
    assert "En cours : créer votre organisme." in nora.all_text


async def another_code(admin: Person) -> str:
    """A formateur's code from ``admin``, whose organisation exists (no code pending)."""
    await admin.says("/inviter")
    await admin.presses("Formateur")
    code = CODE.search(admin.last)
    assert code, admin.last
    return code[1]


async def a_code(admin: Person, role: str) -> str:
    """The organisation created by ``admin``, who asks /inviter for a code, the role typed."""
    await first_admin(admin)
    await admin.says("/inviter")
    await admin.says(role)
    code = CODE.search(admin.last)
    assert code, admin.last
    return code[1]


async def test_a_choice_typed_as_a_number_word_is_that_number(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer EF1: « un » typed for « 1. Au féminin » was « Ni l'un ni l'autre » (its
    « l'un »), the gender stored neutral without a word; « deux » was « pas reconnu »."""
    claire = person("claire")
    await claire.says("/start")
    await claire.says("Forma Plus")
    await claire.says("un")  # « 1. Métropole »
    await claire.says("Claire Martin")
    await claire.says("un")
    async with db.sessions() as session:
        form = await session.scalar(select(P.address_form).where(P.display_name == "Claire Martin"))
    assert form == "f"


async def test_a_start_mid_dialogue_that_starts_nothing_sets_nothing_aside(
    db: Database, trainer: Person
) -> None:
    """Explorer GD5: a mistyped code (`/start ABCD-EFGH`, a deep link from an expired
    invitation) in the middle of /absence set it aside, abandoned the /formation set aside
    before, and only then said the code was not valid. A code refused, a bare /start (the
    Telegram « Démarrer » button), a participant's link opened by the trainer: said, and the
    question in hand asked again, nothing set aside or lost."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.presses("Une formation")
    await trainer.says("/absence")  # the formation set aside, as designed
    await trainer.says("Karim Benali")
    question = trainer.last
    await trainer.says("/start ABCD-EFGH")
    assert trainer.all_text == (
        "Ce code n'est pas valable. Vérifiez qu'il est complet (copiez-le tel quel), ou "
        f"demandez-en un nouveau à la personne qui vous l'a envoyé.\n{question}"
    )
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("/start")
    assert trainer.all_text == (
        f"Re-bonjour Camille Durand ! Nous en étions à cette question :\n{question}"
    )
    await trainer.says(f"/start {invited['Léa Martin']}")
    assert trainer.all_text.startswith("Ce lien est à transférer à la personne invitée")
    assert "Je mets de côté" not in trainer.all_text and trainer.last == question
    await trainer.says("12 novembre")  # the absence goes on where it stood
    assert "jeudi 12 novembre 2026" in trainer.last
    await trainer.says("/reprendre")  # and the formation is still there
    assert trainer.all_text.startswith("Je reprends « créer une formation » là où vous en étiez")
    assert await step_of(db, trainer) == ("formation", "funder")


async def test_every_step_of_inviter_survives_bad_input(
    db: Database, person: Callable[..., Person]
) -> None:
    """With invitations pending, every step of /inviter (what to do, which to revoke, the
    confirmation) re-asks on wrong, empty, huge or hostile input; none is made or revoked
    (coverage AR)."""
    claire = person("claire")
    await first_admin(claire)
    await invite(claire)
    await invite(claire)
    await claire.says("/inviter")
    assert await step_of(db, claire) == ("inviter", "action")
    await survives(db, claire, FOR_CHOICES)
    await claire.presses("Révoquer une invitation")
    assert await step_of(db, claire) == ("inviter", "revoke")
    await survives(db, claire, FOR_CHOICES)
    await claire.says("n° 2")
    assert await step_of(db, claire) == ("inviter", "revoke_confirm")
    await survives(db, claire, FOR_CHOICES)
    async with db.sessions() as session:
        made = (await session.scalars(select(Invitation))).all()
    assert len(made) == 2 and all(i.revoked_at is None for i in made)


async def test_every_step_of_joining_survives_bad_input(
    db: Database, person: Callable[..., Person]
) -> None:
    """Joining with a code, the name and the form of address re-ask on wrong, empty, huge or
    hostile input; the code is not used and no one joins (coverage AR)."""
    claire = person("claire")
    await first_admin(claire)
    code = await invite(claire)
    bruno = person("bruno")
    await bruno.says(f"/start {code}")
    assert await step_of(db, bruno) == ("join", "name")
    await survives(db, bruno, FOR_NAMES)
    await bruno.says("Bruno Lefèvre")
    assert await step_of(db, bruno) == ("join", "address_form")
    await survives(db, bruno, FOR_CHOICES)
    async with db.sessions() as session:
        assert len((await session.scalars(select(Membership))).all()) == 1
    await bruno.presses("Au masculin")
    assert "C'est fait" in bruno.last
