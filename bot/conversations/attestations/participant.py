"""The participant's side: confirming one's participation in a bilan, in one's own chat.

Delegates and partners have never used the bot; their trainer forwarded a
personal link (``/start CODE``).  They are not members of the organisation:
they get a person and a chat identity, no membership.

    Bot  Bonjour ! Je suis formabot, l'assistant de Forma Plus. Camille Durand
         vous invite à confirmer votre participation au bilan de fin de
         formation de « Agent de restauration », le jeudi 26 novembre 2026 …
    Bot  Pour commencer, quel est votre nom complet ?
    You  Léa Martin
    Bot  À quel titre participez-vous à ce bilan ?  [Délégué(e) des stagiaires] [Partenaire]
    Bot  Voici le texte de votre attestation … « atteste sur l'honneur avoir participé … »
         [Je l'atteste sur l'honneur] [Je n'ai pas participé] [Corriger mon nom]
    Bot  Merci ! Votre attestation est enregistrée.  📄 attestation.pdf

The code binds to the first chat identity that uses it; the same person
comes back with the link again or ``/attestation`` (also before the bilan
has started, when the bot explains when to return).  What is confirmed is
frozen (:mod:`bot.attestations.evidence`); a correction adds a version.
"""

from __future__ import annotations

from sqlalchemy import select

from bot import dates
from bot.answers import Invalid, clean_line
from bot.attestations import service
from bot.attestations.evidence import attestation_pdf, attestation_text, text_sha256
from bot.attestations.service import BilanInfo, visible, when_words
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome, Retry, Step, Switch
from bot.conversations.kit.steps import Option, Pick, Text
from bot.documents.bundle import sha256_hex
from bot.messages import Document, Reply
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.bilans import BilanParticipant
from bot.storage.people import ChatIdentity, Person

ANSWERS = (
    ("attest", "Je l'atteste sur l'honneur"),
    ("decline", "Je n'ai pas participé"),
    ("fix", "Corriger mon nom"),
)
ANSWER_SYNONYMS = {
    "oui": "attest",
    "j atteste": "attest",
    "je l atteste": "attest",
    "je confirme": "attest",
    "non": "decline",
    "corriger": "fix",
}

Loaded = tuple[AttestationInvitation, BilanInfo, BilanParticipant]


def _identity(ctx: Context) -> tuple[str, str]:
    return ctx.incoming.platform.value, ctx.incoming.user


# --- /start CODE -------------------------------------------------------------------------


async def redeem(ctx: Context, code: str) -> Outcome | None:
    """A participant's code: bind it to this chat identity (first use) and open the flow."""
    invitation = await service.find_code(ctx.session, code)
    if invitation is None:
        return None
    info = await service.bilan_info(ctx.session, invitation.bilan_id)
    participant = info.participant(invitation.participant_id) if info else None
    if info is None or participant is None:
        return None
    platform, user = _identity(ctx)
    if invitation.revoked_at is not None:
        ctx.say("attestation.code_revoked")
        return Leave()
    if invitation.redeemed_at is not None and not service.redeemed_by(invitation, platform, user):
        ctx.say("attestation.not_for_you")
        return Leave()
    if ctx.actor is not None and ctx.actor.organisation_id == info.bilan.organisation_id:
        ctx.say("attestation.for_trainer")
        return Leave()
    if info.bilan.cancelled_at is not None:
        ctx.say("attestation.bilan_cancelled")
        return Leave()
    if ctx.now > service.expiry(invitation, info):
        ctx.say("attestation.code_expired")
        return Leave()
    if invitation.redeemed_at is None:
        other = await ctx.session.scalar(
            select(AttestationInvitation.id).where(
                AttestationInvitation.bilan_id == invitation.bilan_id,
                AttestationInvitation.participant_id != invitation.participant_id,
                AttestationInvitation.redeemed_platform == platform,
                AttestationInvitation.redeemed_user_id == user,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
        if other is not None:
            ctx.say("attestation.other_participant")
            return Leave()
        invitation.redeemed_at = ctx.now
        invitation.redeemed_platform = platform
        invitation.redeemed_user_id = user
        invitation.redeemed_chat_id = ctx.incoming.chat
        invitation.redeemed_person_id = await _person_for(ctx, participant)
        await ctx.session.flush()
        ctx.audit("redeem", "attestation_invitation", invitation.id, bilan_id=info.bilan.id)
    return Switch("attestation", {"invitation_id": invitation.id})


async def _person_for(ctx: Context, participant: BilanParticipant) -> int:
    """The person behind this chat, created on first contact (no membership)."""
    if ctx.actor is not None:
        return ctx.actor.person_id
    person = Person(display_name=(visible(participant.name) or "Participant")[:200])
    ctx.session.add(person)
    await ctx.session.flush()
    platform, user = _identity(ctx)
    identity = await ctx.session.scalar(
        select(ChatIdentity).where(ChatIdentity.platform == platform, ChatIdentity.user_id == user)
    )
    if identity is None:
        ctx.session.add(
            ChatIdentity(
                person_id=person.id, platform=platform, user_id=user, chat_id=ctx.incoming.chat
            )
        )
    else:
        identity.person_id = person.id
    await ctx.session.flush()
    return person.id


# --- loading and checking, at every step ------------------------------------------------------


async def load(ctx: Context) -> Loaded | str:
    """The invitation of this conversation, still usable by this chat; else why not."""
    try:
        invitation_id = int(ctx.data.get("invitation_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "attestation.invitation_gone"
    invitation = await ctx.session.get(AttestationInvitation, invitation_id)
    platform, user = _identity(ctx)
    if invitation is None or not service.redeemed_by(invitation, platform, user):
        return "attestation.invitation_gone"
    if invitation.revoked_at is not None:
        return "attestation.code_revoked"
    info = await service.bilan_info(ctx.session, invitation.bilan_id)
    participant = info.participant(invitation.participant_id) if info else None
    if info is None or participant is None:
        return "attestation.invitation_gone"
    if info.bilan.cancelled_at is not None:
        return "attestation.bilan_cancelled"
    if ctx.now > service.expiry(invitation, info):
        return "attestation.code_expired"
    return invitation, info, participant


async def route(ctx: Context, *, greet: bool) -> Outcome:
    """Where a participant starts: greeting, then the wait, the questions, or their answer."""
    found = await load(ctx)
    if isinstance(found, str):
        ctx.say(found)
        return Leave()
    invitation, info, participant = found
    if greet:
        inviter = await ctx.session.get(Person, invitation.created_by or 0)
        ctx.say(
            "attestation.greeting",
            inviter=visible(inviter.display_name) if inviter else info.trainer,
            **when_words(info),
        )
    if await service.current_answer(ctx.session, participant.id) is not None:
        return Next("after")
    return begin(ctx, info)


def begin(ctx: Context, info: BilanInfo) -> Outcome:
    for key in ("name", "role", "structure", "text", "text_sha256", "answer", "reason"):
        ctx.data.pop(key, None)
    if ctx.now < info.bilan.starts_at:
        return Next("wait")
    return Next("name")


async def participant_start(ctx: Context) -> Outcome | None:
    if "invitation_id" in ctx.data:
        return await route(ctx, greet=True)
    held = await service.held_by(ctx.session, *_identity(ctx))
    if not held:
        ctx.say("attestation.no_invitation")
        return Leave()
    if len(held) == 1:
        ctx.data["invitation_id"] = held[0].id
        return await route(ctx, greet=True)
    return None


async def invitation_options(ctx: Context) -> list[Option]:
    options = []
    for invitation in await service.held_by(ctx.session, *_identity(ctx)):
        info = await service.bilan_info(ctx.session, invitation.bilan_id)
        if info is not None:
            words = when_words(info)
            label = f"{words['kind']} du {words['day']} – {words['formation']}"
            options.append(Option(label[:90], str(invitation.id)))
    return options


async def pick_invitation(ctx: Context, picked: str) -> Outcome:
    held = {str(i.id) for i in await service.held_by(ctx.session, *_identity(ctx))}
    if picked not in held:
        return Retry(ctx.render("common.forged_choice"))
    ctx.data["invitation_id"] = int(picked)
    return await route(ctx, greet=True)


# --- the steps ---------------------------------------------------------------------------------


class WaitForBilan(Step):
    """Before the bilan has started: say when to come back; any message checks again."""

    async def ask(self, ctx: Context) -> Reply:
        found = await load(ctx)
        if isinstance(found, str):
            return Reply(text=ctx.render(found))
        return Reply(text=ctx.render("attestation.wait", **when_words(found[1])))

    async def take(self, ctx: Context) -> Outcome:
        found = await load(ctx)
        if isinstance(found, str):
            ctx.say(found)
            return Leave()
        if ctx.now >= found[1].bilan.starts_at:
            ctx.say("attestation.started")
            return Next("name")
        return Retry(ctx.render("attestation.still_waiting"))


async def parse_name(ctx: Context, text: str) -> str | Invalid:
    name = clean_line(text, limit=100)
    if isinstance(name, Invalid):
        return name
    if sum(ch.isalpha() for ch in name) < 2:
        return Invalid("Un nom s'écrit avec des lettres : par exemple « Claire Dubois ».")
    return name


async def parse_structure(ctx: Context, text: str) -> str | Invalid:
    structure = clean_line(text, limit=150)
    if isinstance(structure, Invalid):
        return structure
    if sum(ch.isalpha() for ch in structure) < 2:
        return Invalid("Le nom de la structure, avec des lettres : par exemple « France Travail ».")
    return structure


async def parse_reason(ctx: Context, text: str) -> str | Invalid:
    return clean_line(text, limit=500)


async def role_options(ctx: Context) -> list[Option]:
    options = [
        Option("Délégué(e) des stagiaires", "delegate"),
        Option("Partenaire (structure qui oriente ou accompagne)", "partner"),
    ]
    found = await load(ctx)
    if not isinstance(found, str) and found[2].kind == "trainee":
        options.insert(1, Option("Stagiaire de la formation", "trainee"))
    return options


def freeze_text(ctx: Context, info: BilanInfo) -> str:
    """Render the attestation for the answers given, and keep it as shown."""
    text = attestation_text(
        info,
        name=str(ctx.data.get("name", "")),
        role=str(ctx.data.get("role", "delegate")),
        structure=ctx.data.get("structure"),
    )
    ctx.data["text"] = text
    ctx.data["text_sha256"] = text_sha256(text)
    return text


class ConfirmText(Step):
    """The full text and the three answers; the text shown is the one stored."""

    async def ask(self, ctx: Context) -> Reply:
        if "text" not in ctx.data:
            found = await load(ctx)
            if isinstance(found, str):
                return Reply(text=ctx.render(found))
            freeze_text(ctx, found[1])
        return Reply(
            text=ctx.render("attestation.show_text", text=ctx.data["text"]),
            choices=tuple(ctx.choice(label, value) for value, label in ANSWERS),
        )

    async def take(self, ctx: Context) -> Outcome:
        picked = ctx.chosen(
            [value for value, _ in ANSWERS],
            labels=dict(ANSWERS),
            synonyms=ANSWER_SYNONYMS,
        )
        if picked is None:
            return Retry(ctx.render("attestation.pick_answer"))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        found = await load(ctx)
        if isinstance(found, str):
            ctx.say(found)
            return Leave()
        info = found[1]
        if picked == "fix":
            ctx.data.pop("text", None)
            return Next("name")
        shown = ctx.data.get("text")
        if shown != attestation_text(
            info,
            name=str(ctx.data.get("name", "")),
            role=str(ctx.data.get("role", "delegate")),
            structure=ctx.data.get("structure"),
        ):
            freeze_text(ctx, info)
            return Retry(ctx.render("attestation.text_changed"))
        if ctx.now < info.bilan.starts_at:
            return Next("wait")
        if picked == "attest":
            ctx.data["answer"] = "attested"
            return Finish()
        ctx.data["answer"] = "declined"
        return Next("reason")


async def after_options(ctx: Context) -> list[Option]:
    options = [Option("Corriger ma réponse", "fix"), Option("C'est tout", "done")]
    found = await load(ctx)
    if not isinstance(found, str):
        answer = await service.current_answer(ctx.session, found[2].id)
        if answer is not None and answer.pdf is not None:
            options.insert(0, Option("Recevoir à nouveau mon attestation (PDF)", "pdf"))
    return options


class AfterAnswer(Pick):
    """Someone who already answered comes back: their answer, and what they can do."""

    async def ask(self, ctx: Context) -> Reply:
        found = await load(ctx)
        if isinstance(found, str):
            return Reply(text=ctx.render(found))
        answer = await service.current_answer(ctx.session, found[2].id)
        if answer is None:
            return Reply(text=ctx.render("attestation.invitation_gone"))
        info = found[1]
        ctx.data["_already"] = {
            "when": dates.spell_datetime(answer.answered_at.astimezone(info.tz)),
            "attested": answer.answer == "attested",
            "kind": info.kind_label,
            "day": dates.spell_date(info.start),
        }
        return await super().ask(ctx)


async def after_answer(ctx: Context, picked: str) -> Outcome:
    found = await load(ctx)
    if isinstance(found, str):
        ctx.say(found)
        return Leave()
    _, info, participant = found
    if picked == "pdf":
        answer = await service.current_answer(ctx.session, participant.id)
        if answer is not None and answer.pdf is not None:
            ctx.send(Reply(text=ctx.render("attestation.here_again"), document=_document(answer)))
        return Leave()
    if picked == "fix":
        ctx.say("attestation.correction")
        return begin(ctx, info)
    ctx.say("attestation.bye")
    return Leave()


def _document(answer: Attestation) -> Document:
    """The participant's PDF; no caption of its own, so the reply's text becomes it."""
    assert answer.pdf is not None
    return Document(
        filename=f"attestation-sur-l-honneur-v{answer.version}.pdf",
        mime_type="application/pdf",
        content=answer.pdf,
    )


# --- saving the answer -----------------------------------------------------------------------


async def save_answer(ctx: Context) -> None:
    found = await load(ctx)
    if isinstance(found, str):
        ctx.say(found)
        return
    invitation, info, participant = found
    text = str(ctx.data.get("text", ""))
    if not text or ctx.data.get("text_sha256") != text_sha256(text):
        ctx.say("attestation.invitation_gone")
        return
    previous = await service.current_answer(ctx.session, participant.id)
    role = str(ctx.data.get("role", "delegate"))
    typed = str(ctx.data.get("name", ""))
    answered = ctx.data.get("answer") == "attested"
    reason = ctx.data.get("reason") if not answered else None
    answer = Attestation(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        participant_id=participant.id,
        invitation_id=invitation.id,
        version=(previous.version + 1) if previous else 1,
        answer="attested" if answered else "declined",
        typed_name=typed,
        role=role,
        structure=ctx.data.get("structure") if role == "partner" else None,
        reason=reason,
        name_matches=service.same_name(typed, participant.name),
        role_matches=role == participant.kind,
        text=text,
        text_sha256=text_sha256(text),
        answered_at=ctx.now,
        platform=ctx.incoming.platform.value,
        chat_user_id=ctx.incoming.user,
        chat_id=ctx.incoming.chat,
        person_id=ctx.actor.person_id if ctx.actor else invitation.redeemed_person_id,
    )
    if answered:
        answer.pdf = attestation_pdf(answer, info)
        answer.pdf_sha256 = sha256_hex(answer.pdf)
    ctx.session.add(answer)
    await ctx.session.flush()
    if invitation.redeemed_person_id is not None and not (ctx.actor and ctx.actor.is_member):
        # A participant's person is named as they signed (a formateur's name is theirs).
        person = await ctx.session.get(Person, invitation.redeemed_person_id)
        if person is not None:
            person.display_name = typed[:200]
    ctx.audit(
        "attest" if answered else "decline",
        "attestation",
        answer.id,
        bilan_id=info.bilan.id,
        version=answer.version,
    )
    await tell_trainer(ctx, info, participant, answer)
    when = dates.spell_datetime(answer.answered_at.astimezone(info.tz))
    organisation = visible(info.organisation.name)
    if answered:
        ctx.send(
            Reply(
                text=ctx.render("attestation.thanks", when=when, organisation=organisation),
                document=_document(answer),
            )
        )
    else:
        ctx.say("attestation.declined_thanks", when=when, organisation=organisation)


async def tell_trainer(
    ctx: Context, info: BilanInfo, participant: BilanParticipant, answer: Attestation
) -> None:
    """The formation's trainer hears of each answer (exactly once, through the outbox)."""
    where = await service.chat_of_person(
        ctx.session, info.formation.owner_id, prefer=ctx.incoming.platform.value
    )
    if where is None:
        return
    await ctx.notify(
        key=f"attestation:answer:{answer.id}",
        platform=where[0],
        chat_id=where[1],
        organisation_id=info.bilan.organisation_id,
        reply=Reply(
            text=ctx.render(
                "attestations.notice_answer",
                name=visible(participant.name),
                a=answer,
                reason=visible(answer.reason),
                **when_words(info),
            )
        ),
    )


FLOW = Flow(
    "attestation",
    command="attestation",
    summary="confirmer votre participation à un bilan",
    start=participant_start,
    steps=[
        Pick(
            "which",
            ask="attestation.ask_which",
            options=invitation_options,
            then=pick_invitation,
            when=lambda c: "invitation_id" not in c.data,
        ),
        WaitForBilan("wait", when=lambda c: False),
        Text("name", ask="attestation.ask_name", parse=parse_name, help="attestation.help_name"),
        Pick(
            "role", ask="attestation.ask_role", options=role_options, help="attestation.help_role"
        ),
        Text(
            "structure",
            ask="attestation.ask_structure",
            parse=parse_structure,
            when=lambda c: c.data.get("role") == "partner",
        ),
        ConfirmText("text", help="attestation.help_text"),
        Text(
            "reason",
            ask="attestation.ask_reason",
            parse=parse_reason,
            skip_label="Passer",
            when=lambda c: c.data.get("answer") == "declined",
        ),
        AfterAnswer(
            "after",
            ask="attestation.already",
            options=after_options,
            then=after_answer,
            when=lambda c: False,
        ),
    ],
    finish=save_answer,
)

FLOWS = [FLOW]
