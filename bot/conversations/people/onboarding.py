"""Getting in: the first admin creates the organisation, admins invite formateurs.

Bot  (empty database) Bienvenue ! Quel est le nom de votre organisme ?
You  Forma Plus
Bot  Dans quel fuseau horaire travaillez-vous ?  [Europe/Paris] …
Bot  Et votre nom, tel que vos collègues le connaissent ?
…
Admin  /inviter         → a one-time code (a deep link on Telegram)
Newcomer  /start CODE   → formateur of the organisation
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import invitations
from bot.answers import Invalid, clean_line
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome, Switch
from bot.conversations.kit.steps import Option, Pick, Text
from bot.messages import Reply
from bot.storage.people import ChatIdentity, Invitation, Membership, Organisation, Person, Role

TIMEZONES = [
    Option("Métropole (Europe/Paris)", "Europe/Paris"),
    Option("Guadeloupe, Martinique (America/Martinique)", "America/Martinique"),
    Option("Guyane (America/Cayenne)", "America/Cayenne"),
    Option("La Réunion (Indian/Reunion)", "Indian/Reunion"),
    Option("Mayotte (Indian/Mayotte)", "Indian/Mayotte"),
    Option("Nouvelle-Calédonie (Pacific/Noumea)", "Pacific/Noumea"),
    Option("Polynésie (Pacific/Tahiti)", "Pacific/Tahiti"),
]


async def parse_org_name(ctx: Context, text: str) -> str | Invalid:
    name = clean_line(text, limit=120)
    if isinstance(name, Invalid):
        return name
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return Invalid("Un nom d'au moins deux caractères, avec des lettres, s'il vous plaît.")
    return name


async def parse_person_name(ctx: Context, text: str) -> str | Invalid:
    name = clean_line(text, limit=100)
    if isinstance(name, Invalid):
        return name
    if not any(ch.isalpha() for ch in name):
        return Invalid("Un nom s'écrit avec des lettres : par exemple « Claire Martin ».")
    return name


# --- /start --------------------------------------------------------------------


async def start(ctx: Context) -> Outcome | None:
    code = ctx.incoming.argument
    if code:
        for handler in ctx.features.start_codes:
            outcome = await handler(ctx, code)
            if outcome is not None:
                return outcome
        ctx.say("onboarding.unknown_code")
        return Leave()
    if ctx.actor is not None and ctx.actor.is_member:
        ctx.say("onboarding.welcome_back")
        return Leave()
    if ctx.actor is not None:
        # A participant invited to a bilan: they came with a link once already.
        ctx.say("onboarding.participant_back")
        return Leave()
    organisations = await ctx.session.scalar(select(func.count(Organisation.id)))
    if organisations:
        ctx.say("common.stranger")
        return Leave()
    ctx.say("onboarding.first_welcome")
    return None


async def create_organisation(ctx: Context) -> None:
    if await ctx.session.scalar(select(func.count(Organisation.id))):
        # Someone else created the first organisation meanwhile.
        ctx.say("common.stranger")
        return
    organisation = Organisation(name=ctx.data["org_name"], timezone=ctx.data["timezone"])
    person = Person(display_name=ctx.data["your_name"])
    ctx.session.add_all([organisation, person])
    await ctx.session.flush()
    await _attach_identity(ctx, person)
    ctx.session.add(
        Membership(organisation_id=organisation.id, person_id=person.id, role=Role.ADMIN.value)
    )
    await ctx.session.flush()
    ctx.audit("create", "organisation", organisation.id)
    ctx.say("onboarding.organisation_created")


async def _attach_identity(ctx: Context, person: Person) -> None:
    incoming = ctx.incoming
    identity = await ctx.session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == incoming.platform.value,
            ChatIdentity.user_id == incoming.user,
        )
    )
    if identity is None:
        ctx.session.add(
            ChatIdentity(
                person_id=person.id,
                platform=incoming.platform.value,
                user_id=incoming.user,
                chat_id=incoming.chat,
            )
        )
    else:
        identity.person_id = person.id
    await ctx.session.flush()


START = Flow(
    "start",
    command="start",
    summary="commencer",
    start=start,
    steps=[
        Text("org_name", ask="onboarding.ask_org_name", parse=parse_org_name),
        Pick("timezone", ask="onboarding.ask_timezone", options=TIMEZONES),
        Text("your_name", ask="onboarding.ask_your_name", parse=parse_person_name),
    ],
    finish=create_organisation,
)


# --- joining with a formateur invitation -------------------------------------------


async def join_with_invitation(ctx: Context, code: str) -> Outcome | None:
    if not invitations.looks_like_code(code):
        return None
    invitation = await ctx.session.scalar(
        select(Invitation).where(Invitation.code_hash == invitations.code_hash(code))
    )
    if invitation is None:
        return None
    if ctx.actor is not None and ctx.actor.organisation_id == invitation.organisation_id:
        ctx.say("onboarding.already_member")
        return Leave()
    if invitation.used_at is not None or invitation.revoked_at is not None:
        ctx.say("onboarding.code_used")
        return Leave()
    if invitation.expires_at < ctx.now:
        ctx.say("onboarding.code_expired")
        return Leave()
    if ctx.actor is not None and ctx.actor.is_member:
        ctx.say("onboarding.other_organisation")
        return Leave()
    organisation = await ctx.session.get(Organisation, invitation.organisation_id)
    assert organisation is not None
    ctx.say("onboarding.invited_welcome", organisation=organisation.name)
    return Switch("join", {"invitation_id": invitation.id})


async def finish_joining(ctx: Context) -> None:
    invitation = await ctx.session.get(Invitation, ctx.data["invitation_id"])
    if invitation is None or invitation.used_at is not None or invitation.revoked_at is not None:
        ctx.say("onboarding.code_used")
        return
    if invitation.expires_at < ctx.now:
        ctx.say("onboarding.code_expired")
        return
    if ctx.actor is not None:
        person = await ctx.session.get(Person, ctx.actor.person_id)
        assert person is not None
        person.display_name = ctx.data["name"]
    else:
        person = Person(display_name=ctx.data["name"])
        ctx.session.add(person)
        await ctx.session.flush()
        await _attach_identity(ctx, person)
    ctx.session.add(
        Membership(
            organisation_id=invitation.organisation_id, person_id=person.id, role=invitation.role
        )
    )
    invitation.used_at = ctx.now
    invitation.used_by = person.id
    await ctx.session.flush()
    ctx.audit("join", "invitation", invitation.id, role=invitation.role)
    ctx.say("onboarding.joined", role=invitation.role)


JOIN = Flow(
    "join",
    summary="rejoindre votre organisme",
    steps=[Text("name", ask="onboarding.ask_your_name", parse=parse_person_name)],
    finish=finish_joining,
)


# --- /inviter ------------------------------------------------------------------


async def issue_invitation(ctx: Context) -> None:
    code = invitations.new_code()
    days = ctx.settings.invitation_ttl_days
    invitation = Invitation(
        organisation_id=ctx.organisation_id,
        code_hash=invitations.code_hash(code),
        role=ctx.data["role"],
        created_by=ctx.person_id,
        expires_at=ctx.now + timedelta(days=days),
    )
    ctx.session.add(invitation)
    await ctx.session.flush()
    ctx.audit("invite", "invitation", invitation.id, role=ctx.data["role"])
    ctx.send(
        Reply(
            text=ctx.render(
                "onboarding.invitation_ready",
                code=code,
                expires=invitation.expires_at.astimezone(ctx.tz),
                role=ctx.data["role"],
            ),
            extras={"invite_code": code},
        )
    )


INVITE = Flow(
    "inviter",
    command="inviter",
    menu="Inviter un formateur (administrateurs)",
    role=Role.ADMIN,
    summary="inviter un formateur ou une formatrice",
    steps=[
        Pick(
            "role",
            ask="onboarding.ask_invite_role",
            options=[
                Option("Formateur ou formatrice", Role.FORMATEUR.value),
                Option("Administrateur (référent qualité, coordination)", Role.ADMIN.value),
            ],
        )
    ],
    finish=issue_invitation,
)


FLOWS = [START, JOIN, INVITE]
