"""Getting in: the first admin creates the organisation, admins invite formateurs.

Vous /start                      (nobody uses the bot yet)
Bot  Bienvenue ! … Quel est le nom de votre organisme de formation ?
Vous Forma Plus
Bot  Dans quel fuseau horaire travaillez-vous ?  [Métropole (Europe/Paris)] …
Vous Métropole
Bot  Et vous, quel est votre nom, tel que vos collègues le connaissent ?
Vous Claire Martin
Bot  Comment dois-je parler de vous ? « administratrice » ou « administrateur » …
     [Au féminin : formatrice, administratrice] [Au masculin : …] [Ni l'un ni l'autre]
Vous Au féminin : formatrice, administratrice
Bot  C'est fait : l'organisme Forma Plus est créé et vous en êtes l'administratrice.

Admin     /inviter → Qui invitez-vous ? [Formateur ou formatrice] [Administrateur ou administratrice (…)]
Bot       Voici l'invitation : /start CODE (a deep link on Telegram), valable 7 jours.
Admin     /inviter                  (with invitations not used yet)
Bot       Invitations en attente : · formateur ou formatrice, créée par Claire Martin
          le lundi 23 novembre 2026 à 10 h 00, valable jusqu'au … Que voulez-vous faire ?
          [Nouvelle invitation] [Révoquer une invitation] [Terminé]
Admin     Révoquer une invitation → Laquelle ? [Formateur ou formatrice, Claire Martin, …]
Bot       Révoquer cette invitation ? Son code ne permettra plus d'entrer.  [Révoquer] [Garder]
Admin     Révoquer
Bot       C'est fait : l'invitation est révoquée. (its code now answers "révoqué")
Admin     /inviter @bruno.lefevre:tchap.example → the same question, then
Bot       J'ouvre une conversation avec @bruno.lefevre:tchap.example sur Matrix …
          (the bot opens the direct chat; the code is its first message there)
Newcomer  /start CODE
Bot       Bienvenue ! Forma Plus vous invite à utiliser formabot. … Votre nom ?
Newcomer  Bruno Lefèvre
Bot       Comment dois-je parler de vous ? …   (the same question, once)
Newcomer  Au masculin : formateur, administrateur
Bot       C'est fait, Bruno Lefèvre : vous faites partie de l'organisme.

The form ("f", "m", "n": :mod:`bot.people.address`) is kept on the person;
with "Ni l'un ni l'autre" the bot writes forms that need no agreement
("vous administrez l'organisme").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import invitations, texts
from bot.answers import Invalid, typed_matrix_id
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome, Switch
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.conversations.people.in_group import started_in_group
from bot.conversations.people.told import tell
from bot.formations.labels import full_name_given
from bot.invocation import command_on_this_base
from bot.matrix_room import to_join
from bot.messages import Reply
from bot.people import membership, names
from bot.people.address import remember_address_form, role_word
from bot.people.organisations import ChatAddress, create_first_organisation, has_organisation
from bot.people.zones import ZONES
from bot.storage.people import Invitation, Organisation, Person, Role, only_the_demo, zone_of

TIMEZONES = [Option(label, zone) for zone, label in ZONES.items()]
ADDRESS_FORMS = [
    Option("Au féminin : formatrice, administratrice", "f", ("femme", "une femme", "madame")),
    Option("Au masculin : formateur, administrateur", "m", ("homme", "un homme", "monsieur")),
    Option("Ni l'un ni l'autre", "n"),
]
"""The words people answer with too (explorer Z, Z10: « homme » was « pas reconnu »)."""
ROLES = [
    Option(
        "Formateur ou formatrice",
        Role.FORMATEUR.value,
        ("un formateur", "une formatrice", "formateur", "formatrice"),
    ),
    Option("Administrateur ou administratrice (qualité, coordination)", Role.ADMIN.value),
]


async def parse_org_name(ctx: Context, text: str) -> str | Invalid:
    return names.organisation_name(text)


FORM_OF_CIVILITY = {"Mme": "f", "M.": "m"}
"""How to speak of someone who gave her name with « Mme » or his with « M. »."""


async def parse_person_name(ctx: Context, text: str) -> str | Invalid:
    """The name of the person typing, first name and surname: it signs the invitations and
    names them in the journal (explorer Z, Z10: « Marc » alone was taken).

    A civility typed before it is not kept (« Mme Zoé Durand vous invite » signed her
    invitations, explorer AD17; a trainee's loses it too) but answers the next question:
    how to speak of her."""
    name = names.person_name(text, example="Claire Martin")
    if isinstance(name, Invalid):
        return name
    if not full_name_given(name):
        return Invalid(ctx.render("onboarding.name_one_word", typed=name[:40]))
    civility, _, rest = name.partition(" ")
    if civility in FORM_OF_CIVILITY:
        ctx.data["address_form"] = FORM_OF_CIVILITY[civility]
        return rest
    return name


async def guided(ctx: Context) -> bool:
    """Someone who is no member (a bilan's participant, the chargée de mission) is told where
    they stand (their feature's guide)."""
    for guide in ctx.features.guides:
        if await guide(ctx):
            return True
    return False


def address(ctx: Context) -> ChatAddress:
    incoming = ctx.incoming
    return ChatAddress(incoming.platform.value, incoming.user, incoming.chat)


# --- /start --------------------------------------------------------------------


async def start(ctx: Context) -> Outcome | None:
    # « /start CODE. » or « /start « CODE » »: the code without what a copy-paste added.
    code = invitations.pasted(ctx.incoming.argument)
    if ctx.incoming.is_group:
        return await started_in_group(ctx, code)
    if code:
        for handler in ctx.features.start_codes:
            outcome = await handler(ctx, code)
            if outcome is not None:
                return outcome
        ctx.wrong_guess()
        ctx.say("onboarding.unknown_code")
        if ctx.actor is not None and not ctx.actor.is_member:
            # A participant's own invitation still stands: said, with the way back to her
            # attestation (explorer AG11: a code pasted cut ended it without a word).
            await guided(ctx)
        return Leave()
    if ctx.actor is not None and ctx.actor.is_member:
        ctx.say("onboarding.welcome_back", waiting=ctx.in_dialogue)  # its question next (GD5)
        return Leave()
    if await has_organisation(ctx.session):
        # A bilan's participant, the Région's chargée de mission: where they stand. Someone
        # known and none of these was a member (explorer Y, Y8: a former demo member was
        # sent to an attestation they never had).
        if not await guided(ctx):
            ctx.say("common.stranger" if ctx.actor is None else "onboarding.no_longer_member")
            if ctx.actor is None and await only_the_demo(ctx.session):
                # The owner's own /start on a base `make run` filled with the demo (explorer
                # BC3, BC15: told to ask her organisation for an invitation).
                ctx.say("onboarding.demo_only", command=command_on_this_base())
        return Leave()
    # Nobody uses the bot (the demo removed, say): anyone creates the organisation, a person
    # known from the demo too (their chat is bound to the new admin).
    ctx.say("onboarding.first_welcome")
    return None


async def create_organisation(ctx: Context) -> None:
    created = await create_first_organisation(
        ctx.session,
        name=ctx.data["org_name"],
        timezone=ctx.data["timezone"],
        admin_name=ctx.data["your_name"],
        address=address(ctx),
    )
    # None: someone else created the organisation meanwhile (the schema lets one win).
    if created:
        await remember_form(ctx)
    # The zone said back (explorer AC7: a « 2 » typed for Martinique went unsaid, and every
    # hour of the organisation follows it).
    zone = ZONES.get(ctx.data["timezone"], "")
    ctx.say(
        "onboarding.organisation_created" if created else "onboarding.organisation_taken",
        zone=zone,
    )


async def remember_form(ctx: Context) -> None:
    """The answer to "Comment dois-je parler de vous ?", kept on the person just made."""
    await remember_address_form(
        ctx.session,
        platform=ctx.incoming.platform.value,
        user_id=ctx.incoming.user,
        form=ctx.data.get("address_form", "n"),
    )


async def role_values(ctx: Context) -> dict[str, str]:
    """The role the person will hold: the question's example is a word they will meet
    (explorer HB11: « vous en êtes l'administratrice » to someone joining as a trainer)."""
    invitation_id = ctx.data.get("invitation_id")
    invitation = await ctx.session.get(Invitation, invitation_id) if invitation_id else None
    return {"role": invitation.role if invitation is not None else Role.ADMIN.value}


def address_step() -> Pick:
    return Pick(
        "address_form",
        ask="onboarding.ask_address_form",
        options=ADDRESS_FORMS,
        values=role_values,
        unless_known=True,
    )


START = Flow(
    "start",
    # Its command, /aide line and who may use it: bot/features/people.py.
    start=start,
    steps=[
        Text("org_name", ask="onboarding.ask_org_name", parse=parse_org_name),
        Pick("timezone", ask="onboarding.ask_timezone", options=TIMEZONES),
        Text("your_name", ask="onboarding.ask_your_name", parse=parse_person_name),
        address_step(),
    ],
    finish=create_organisation,
)


# --- joining with a formateur invitation -------------------------------------------


def _member_of(ctx: Context) -> int | None:
    return ctx.actor.organisation_id if ctx.actor is not None else None


async def join_with_invitation(ctx: Context, code: str) -> Outcome | None:
    """The ``/start CODE`` handler of formateur invitations (``None``: not one of ours)."""
    invitation = await membership.find_invitation(ctx.session, code)
    if invitation is None:
        return None
    refused = membership.refusal(invitation, now=ctx.now, member_of=_member_of(ctx))
    member = ctx.actor.person_id if ctx.actor is not None else None
    promoted = (  # an admin's code sent by a formateur of its organisation
        refused == "already_member"
        and member is not None
        and await membership.promote(ctx.session, invitation, member, now=ctx.now)
    )
    if promoted and member is not None:
        ctx.say("onboarding.promoted")
        # Told to whom made the code, as a newcomer is (explorer AI3: an admin made
        # without a word, who may now erase data).
        person = await ctx.session.get(Person, member)
        joined = membership.Joined(person_id=member, role=Role.ADMIN.value)
        await tell_inviter(ctx, invitation.id, joined, who=person)
        return Leave()
    if refused is not None:
        ctx.say(f"onboarding.{refused}")
        return Leave()
    organisation = await membership.organisation_of(ctx.session, invitation)
    ctx.say("onboarding.invited_welcome", organisation=organisation.name)
    return Switch("join", {"invitation_id": invitation.id})


async def finish_joining(ctx: Context) -> None:
    joined = await membership.redeem_invitation(
        ctx.session,
        ctx.data["invitation_id"],
        name=ctx.data["name"],
        address=address(ctx),
        person_id=ctx.actor.person_id if ctx.actor is not None else None,
        member_of=_member_of(ctx),
        now=ctx.now,
    )
    if isinstance(joined, str):
        ctx.say(f"onboarding.{joined}")
        return
    await remember_form(ctx)
    ctx.say("onboarding.joined", role=joined.role)
    await tell_inviter(ctx, ctx.data["invitation_id"], joined)


async def tell_inviter(
    ctx: Context, invitation_id: int, joined: membership.Joined, *, who: Person | None = None
) -> None:
    """Who used the code, told to whom created it (explorer J: nothing told the admin that
    the code reached the right person); ``who``: a member it made admin."""
    invitation = await ctx.session.get(Invitation, invitation_id)
    if invitation is None or invitation.created_by == joined.person_id:
        return
    numbers = await membership.invitation_numbers(ctx.session, invitation.organisation_id)
    form = who.address_form if who is not None else ctx.data.get("address_form")
    await tell(
        ctx,
        invitation.created_by,
        "onboarding.inviter_told",
        key=f"invitation:{invitation.id}:joined",
        organisation_id=invitation.organisation_id,
        prefer=ctx.incoming.platform.value,
        name=who.display_name if who is not None else ctx.data["name"],
        promoted=who is not None,
        number=numbers[invitation.id],
        role=role_word(joined.role, form),
        # The admin's time, not the newcomer's (explorer AC4: « à 12 h 40 » in Paris for a
        # code made at 7 h 40 in Martinique).
        created=invitation.created_at.astimezone(
            zone_of(await ctx.session.get(Organisation, invitation.organisation_id))
        ),
    )


JOIN = Flow(
    "join",
    summary="rejoindre votre organisme",
    steps=[
        Text("name", ask="onboarding.ask_your_name", parse=parse_person_name),
        address_step(),
    ],
    finish=finish_joining,
)


# --- /inviter ------------------------------------------------------------------


ACTIONS = [
    Option("Nouvelle invitation", "new"),
    Option("Révoquer une invitation", "revoke"),
    Option("Terminé", "done"),
]


async def invitee_on_matrix(ctx: Context) -> Outcome | None:
    """``/inviter @nom:serveur``: the bot will open the direct chat itself.

    Without an argument and with invitations pending, the admin first sees
    them and chooses between a new one and revoking one.
    """
    typed = ctx.incoming.argument
    if not typed:
        if not await membership.pending_invitations(ctx.session, ctx.organisation_id, now=ctx.now):
            ctx.data["action"] = "new"
        return None
    found = typed_matrix_id(typed)  # « @Bruno.Lefevre:… » as Matrix writes it (JB4)
    if found is None:
        ctx.say("onboarding.invite_argument_unclear")
        return Leave()
    if not ctx.settings.has_matrix:
        ctx.say("onboarding.no_matrix_here")
        return Leave()
    ctx.data["matrix_user"] = found
    ctx.data["action"] = "new"
    return None


async def pending_values(ctx: Context) -> dict[str, object]:
    """The invitations not used yet, in the organisation's time (never their codes)."""
    pending = await membership.pending_invitations(ctx.session, ctx.organisation_id, now=ctx.now)
    return {"pending": [_local(ctx, p) for p in pending]}


def _local(ctx: Context, pending: membership.Pending) -> membership.Pending:
    return replace(
        pending,
        created_at=pending.created_at.astimezone(ctx.tz),
        expires_at=pending.expires_at.astimezone(ctx.tz),
    )


async def after_action(ctx: Context, picked: str) -> Outcome:
    if picked == "new":
        return Next("role")
    if picked == "revoke":
        if await membership.pending_invitations(ctx.session, ctx.organisation_id, now=ctx.now):
            return Next("revoke")
        ctx.say("onboarding.nothing_pending")  # used or expired since the list was shown
        return Leave()
    ctx.say("onboarding.invitations_unchanged")
    return Leave()


async def pending_options(ctx: Context) -> list[Option]:
    pending = await membership.pending_invitations(ctx.session, ctx.organisation_id, now=ctx.now)
    return [
        Option(texts.plain(ctx.render("onboarding.pending_label", p=_local(ctx, p))), str(p.id))
        for p in pending
    ]


async def picked_revoke(ctx: Context, picked: str) -> Outcome:
    """Remember the invitation as it was listed, for the confirmation."""
    labels = {value: label for label, value in ctx.data.get("_options") or []}
    ctx.data["revoke_label"] = labels.get(picked, "")
    return Next("revoke_confirm")


async def confirm_revoke(ctx: Context) -> Outcome:
    return Finish()


async def keep_invitation(ctx: Context) -> Outcome:
    """Not this one after all: back to the list."""
    for key in ("action", "revoke", "revoke_label"):
        ctx.data.pop(key, None)
    return Next("action")


async def issue_invitation(ctx: Context) -> None:
    if ctx.data.get("action") == "revoke":
        await revoke(ctx)
        return
    invitation, code = await membership.issue_invitation(
        ctx.session,
        organisation_id=ctx.organisation_id,
        by=ctx.person_id,
        role=ctx.data["role"],
        now=ctx.now,
        valid_for=timedelta(days=ctx.settings.invitation_ttl_days),
    )
    numbers = await membership.invitation_numbers(ctx.session, ctx.organisation_id)
    ctx.send(
        Reply(
            text=ctx.render(
                "onboarding.invitation_ready",
                number=numbers[invitation.id],
                code=code,
                expires=invitation.expires_at.astimezone(ctx.tz),
                role=ctx.data["role"],
            ),
            extras={"invite_code": code},
        )
    )
    # A text a colleague who never used a bot can follow (explorer J: a bare code); it holds
    # the code too, so it is sealed as the first (bot.privacy.replies).
    forward = ctx.render(
        "onboarding.invitation_to_forward",
        code=code,
        role=ctx.data["role"],
        expires=invitation.expires_at.astimezone(ctx.tz),
        organisation=ctx.actor.organisation_name if ctx.actor else "",
        inviter=ctx.actor.name if ctx.actor else "",
        telegram=ctx.settings.telegram_username if ctx.settings.telegram_token else "",
        matrix=ctx.settings.matrix_user_id if ctx.settings.has_matrix else "",
    )
    ctx.send(Reply(text=forward, extras={"invite_code": code}))
    matrix_user = ctx.data.get("matrix_user")
    if matrix_user:
        welcome = ctx.render(
            "onboarding.matrix_invitation",
            code=code,
            expires=invitation.expires_at.astimezone(ctx.tz),
            organisation=ctx.actor.organisation_name if ctx.actor else "",
            inviter=ctx.actor.name if ctx.actor else "",
        )
        await membership.invite_on_matrix(
            ctx.session, invitation, matrix_user=matrix_user, welcome=to_join(ctx.actor, welcome)
        )
        ctx.say("onboarding.matrix_invitation_sent", matrix_user=matrix_user)


async def revoke(ctx: Context) -> None:
    invitation_id = int(ctx.data["revoke"])
    outcome = await membership.revoke_invitation(
        ctx.session, ctx.organisation_id, invitation_id, by=ctx.person_id, now=ctx.now
    )
    numbers = await membership.invitation_numbers(ctx.session, ctx.organisation_id)
    ctx.say(f"onboarding.revoke_{outcome}", number=numbers.get(invitation_id))


INVITE = Flow(
    "inviter",
    # Its command, /aide line and who may use it: bot/features/people.py.
    start=invitee_on_matrix,
    steps=[
        Pick(
            "action",
            ask="onboarding.ask_invite_action",
            options=ACTIONS,
            values=pending_values,
            unless_known=True,
            then=after_action,
        ),
        Pick("role", ask="onboarding.ask_invite_role", options=ROLES),
    ],
    branches=[
        Pick(
            "revoke",
            ask="onboarding.ask_revoke_which",
            options=pending_options,
            then=picked_revoke,
        ),
        Confirm(
            "revoke_confirm",
            ask="onboarding.ask_revoke_confirm",
            yes=confirm_revoke,
            no=keep_invitation,
            yes_label="Révoquer",
            no_label="Garder",
        ),
    ],
    finish=issue_invitation,
)


FLOWS = [START, JOIN, INVITE]
