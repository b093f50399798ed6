"""The participant's side: confirming one's participation in a bilan, in one's own chat.

Delegates and partners have never used the bot; their trainer forwarded a
personal link (``/start CODE``).  They are not members of the organisation:
they get a person and a chat identity, no membership.

    Bot   Bonjour ! Je suis formabot, l'assistant qu'utilise Forma Plus. Camille Durand
          vous invite à confirmer votre participation au bilan de fin de
          formation de la formation « Agent de restauration », le jeudi 26 novembre 2026 …
    Bot   Pour commencer, quel est votre nom complet, prénom et nom ?
    Vous  bonjour
    Bot   Je n'ai pas compris : ici, il me faut seulement votre prénom et votre nom … (asked again)
    Vous  Léa Martine
    Bot   Votre invitation est au nom de Léa Martin, et vous avez écrit « Léa Martine ».
          Vous êtes bien Léa Martin ?  [Oui, je suis Léa Martin] [Garder « Léa Martine »] [Corriger mon nom]
    Vous  oui
    Bot   À quel titre participez-vous à ce bilan ? D'après votre invitation, vous y représentez
          les stagiaires …  [Je représente les stagiaires] [Je suis stagiaire de la formation]
    Vous  oui
    Bot   Voici le texte de votre attestation … « j'atteste sur l'honneur avoir participé … »
          [Je l'atteste sur l'honneur] [Je n'ai pas participé] [Corriger mon nom]
    Vous  Je l'atteste sur l'honneur
    Bot   Merci ! Votre attestation est enregistrée (…).  📄 attestation-bilan-2026-11-26-agent-de-restauration.pdf

The questions about who they are (a name that reads like one, confirmed
when it is not the invited one; the role; a partner's structure) are
:mod:`~bot.conversations.attestations.identity`; the invitation checked at
every step, :mod:`~bot.conversations.attestations.held`.

Before the bilan has ended, the bot says from when they can confirm
(:func:`~bot.attestations.service.answers_open`) and the conversation ends:
nothing is asked, so nothing is under way (the greeting only on a first
visit).  Someone who already answered gets their answer, without the
greeting, and can have the PDF again or correct it (``after``); « Corriger
mon nom » asks the name only.  The code binds to the first chat identity
that uses it; the same person comes back with the link again or
``/attestation``, and whatever else they write outside a conversation gets
where they stand (:mod:`~bot.conversations.attestations.guide`).
What is confirmed is frozen (:mod:`bot.attestations.evidence`); a correction
adds a version (:mod:`bot.attestations.answers`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from bot import dates
from bot.answers import picture_word, visible
from bot.attestations import invitations
from bot.attestations.answers import Said, concerns_now, hold_for_answer, record_answer
from bot.attestations.evidence import text_sha256
from bot.attestations.keys import organisation_key
from bot.attestations.reminders import PARTICIPANT_FLOW
from bot.attestations.service import (
    answered_elsewhere,
    answers_open,
    current_answer,
    names_other_dates,
    when_words,
)
from bot.bilans.view import BilanView, view_of
from bot.conversations.attestations import as_is
from bot.conversations.attestations.explain import oath_asked
from bot.conversations.attestations.held import load, refusal, tell
from bot.conversations.attestations.identity import (
    BRANCHES,
    NOT_THERE_SAID,
    QUESTIONS,
    heard_at_the_text,
    role_or_words,
    typed_before_the_text,
)
from bot.conversations.attestations.steps import PickOrSay
from bot.conversations.attestations.sworn_text import freeze_text, text_for
from bot.conversations.attestations.who import author_of, chat_of
from bot.conversations.attestations.words import (
    REASON_REFUSED,
    SAID_BEFORE,
    as_retry,
    asked_anew,
    declining_held,
    forget_warning,
    parse_reason,
    trainer_name,
    words_kept,
    words_left_behind,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome, Retry, Switch
from bot.conversations.kit.steps import Option, Pick, Text
from bot.messages import Document, Reply
from bot.storage.attestations import Attestation

ANSWERS = (
    Option("Je l'atteste sur l'honneur", "attest"),
    Option("Je n'ai pas participé", "decline"),
    Option("Corriger mon nom", "fix"),
)
ANSWER_SYNONYMS = {
    "oui": "attest",
    "j atteste": "attest",
    "je l atteste": "attest",
    "je confirme": "attest",
    "corriger": "fix",  # « non » alone is no declaration: « not right » too (explorer DB5)
}


ASKED = (
    "name",
    "name_check",
    "role",
    "structure",
    "text",
    "text_sha256",
    "sworn",
    "answer",
    "reason",
    REASON_REFUSED,
    "fixing_name",
    "_not_there",
    SAID_BEFORE,
)
"""The answers of one round of questions, forgotten when a round starts again."""


# --- /start CODE -------------------------------------------------------------------------


async def redeem(ctx: Context, code: str) -> Outcome | None:
    """A participant's code: bind it to this chat identity (first use) and open the flow."""
    held = await invitations.held_by(ctx.session, chat_of(ctx)) if ctx.actor else []
    found = await invitations.redeem(
        ctx.session, code, chat=chat_of(ctx), author=author_of(ctx), now=ctx.now
    )
    if found is None:
        return None
    if isinstance(found, str):
        ctx.send(Reply(text=await refusal(ctx, found, code=code)))
        return Leave()
    # Only a first visit is greeted before the bilan: one coming back hears where they stand.
    first = found not in {invitation.id for invitation in held}
    return Switch("attestation", {"invitation_id": found, "first_visit": first})


# --- where a participant starts --------------------------------------------------------------


async def route(ctx: Context, *, first: bool) -> Outcome:
    """Only what applies: their answer to someone who gave one; before the bilan's end,
    that there is nothing to do yet (after the greeting, on a first visit); else the
    greeting and the questions."""
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    answer = await current_answer(ctx.session, found.participant.id)
    elsewhere = await answered_elsewhere(ctx.session, answer, chat_of(ctx))
    if elsewhere is False:
        return Next("after")
    opens = answers_open(found.info, ctx.now)
    if first or opens:
        inviter = await invitations.inviter_name(ctx.session, found)
        ctx.say(
            "attestation_participant.greeting",
            inviter=inviter,
            again=not first,
            **when_words(found.info, ctx.now),
        )
    if answer is not None and elsewhere:
        # Answered from another account (a new link after one forwarded): never « vous avez
        # attesté », nor that account's PDF; theirs is asked (explorer AL5).
        at = dates.spell_datetime(answer.answered_at.astimezone(found.info.tz))
        ctx.say("attestation_participant.answered_elsewhere", at=at)
    # The greeting of a first visit gives the visio already.
    return begin(ctx, found.info, visio=not first)


def begin(ctx: Context, info: BilanView, *, visio: bool = True) -> Outcome:
    """A new round of questions; before the bilan's end, nothing asked and nothing kept open
    (so /aide, /attestation and « bonjour » speak of no question under way)."""
    for key in ASKED:
        ctx.data.pop(key, None)
    if answers_open(info, ctx.now):
        return Next("name")
    ctx.say("attestation_participant.wait", visio=visio, **when_words(info, ctx.now))
    return Leave()


async def participant_start(ctx: Context) -> Outcome | None:
    if "invitation_id" in ctx.data:
        return await route(ctx, first=bool(ctx.data.pop("first_visit", False)))
    held = await invitations.held_by(ctx.session, chat_of(ctx))
    if not held:
        gone = await invitations.held_by(ctx.session, chat_of(ctx), cancelled=True)
        redeemed = None if gone else await invitations.last_redeemed(ctx.session, chat_of(ctx))
        if redeemed is not None:  # their link replaced, or they were noted absent: say which
            tell(ctx, await refusal(ctx, "code_revoked", invitation_id=redeemed))
            return Leave()
        ctx.say(f"attestation_participant.{'bilan_cancelled' if gone else 'no_invitation'}")
        return Leave()
    if len(held) == 1:
        ctx.data["invitation_id"] = held[0].id
        return await route(ctx, first=False)
    return None


async def invitation_options(ctx: Context) -> list[Option]:
    options = []
    for invitation in await invitations.held_by(ctx.session, chat_of(ctx)):
        info = await view_of(ctx.session, invitation.bilan_id)
        if info is not None:
            words = when_words(info)
            label = f"{words['kind']} du {words['day']} – {words['formation']}"
            options.append(Option(label[:90], str(invitation.id)))
    return options


async def pick_invitation(ctx: Context, picked: str) -> Outcome:
    held = {str(i.id) for i in await invitations.held_by(ctx.session, chat_of(ctx))}
    if picked not in held:
        ctx.data.pop("invitation_id", None)
        return Retry(ctx.render("common.forged_choice"))
    ctx.data["invitation_id"] = int(picked)
    return await route(ctx, first=False)


# --- the questions -------------------------------------------------------------------------


async def parse_anything(ctx: Context, text: str) -> str:
    return ""


async def wait_values(ctx: Context) -> dict[str, Any]:
    found = await load(ctx)
    if isinstance(found, str):
        return {"refused": Markup(found)}
    opened = answers_open(found.info, ctx.now)  # never « rien à faire » then (coverage BC3)
    return {"refused": None, "visio": True, "opened": opened, **when_words(found.info, ctx.now)}


async def after_wait(ctx: Context, _typed: str) -> Outcome:
    """A conversation stored at the former ``wait`` question (it now ends at once): read
    as someone coming back."""
    ctx.data.pop("wait", None)
    return await route(ctx, first=False)


async def freeze_if_needed(ctx: Context) -> Outcome | None:
    """The ``text`` step's ``before``: render the attestation once, as it will be shown."""
    if "text" in ctx.data:
        return None
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    freeze_text(ctx, found.info)
    return None


async def text_values(ctx: Context) -> dict[str, Any]:
    return await asked_anew(ctx) | {"text": str(ctx.data.get("text", ""))}  # explorer ZA9


async def take_sworn(ctx: Context, picked: str) -> Outcome:
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    info = found.info
    if picked == "fix":
        ctx.data.pop("text", None)
        forget_warning(ctx)  # words left at the text: never sent by the name's reply (MB10)
        ctx.data["fixing_name"] = True
        return Next("name")
    if ctx.data.get("text") != text_for(ctx, info):
        freeze_text(ctx, info)
        return Retry(ctx.render("attestation_participant.text_changed"))
    if not answers_open(info, ctx.now):
        # Moved later while the text was shown: nothing is kept, the link still works.
        ctx.say("attestation_participant.too_early", **when_words(info, ctx.now))
        return Leave()
    if picked == "attest" and (asked := oath_asked(ctx)) is not None:
        return asked  # « oui ? », « je l'atteste ? »: a question, no oath (explorer UA8)
    if ctx.incoming.choice is None and picked == "attest" and declining_held(ctx):
        picked = "decline"  # « oui » after « Je n'ai pas participé » (explorer QA3)
    if ctx.incoming.choice is None and (said := await words_kept(ctx, "text")) is not None:
        return as_retry(said)  # « tel quel » keeps the words (explorer MA7, QA1)
    if (left := await words_left_behind(ctx, found, picked == "attest")) is not None:
        return Retry(left)  # words pointed out for health, gone nowhere yet (explorer KC7)
    if picked == "attest" and ctx.data.get(NOT_THERE_SAID) and ctx.incoming.choice is None:
        # « oui » after « je n'ai pas pu venir »: no sworn presence on a word that may mean
        # « yes, I was not there » (explorer Y, Y4); the button itself still attests.
        return Retry(ctx.render("attestation_participant.not_there_again"))
    if ctx.incoming.choice is None and typed_before_the_text(ctx):  # a 2nd « oui »: DB8
        return Retry(ctx.render("attestation_participant.answered_before_text"))
    if picked == "attest" and ctx.incoming.choice is None and picture_word(ctx.incoming.text):
        # A 👍 is how a long message is acknowledged, not an oath (explorer AW11).
        return Retry(ctx.render("attestation_participant.no_oath_by_picture"))
    if picked == "attest":
        ctx.data["answer"] = "attested"
        return Finish()
    ctx.data["answer"] = "declined"
    ctx.data.pop(REASON_REFUSED, None)  # noted now: « C'est noté » before the reason (SB3)
    return Next("reason")


async def after_options(ctx: Context) -> list[Option]:
    options = [Option("Corriger ma réponse", "fix"), Option("C'est tout", "done")]
    found = await load(ctx)
    if not isinstance(found, str):
        answer = await current_answer(ctx.session, found.participant.id)
        if answer is not None and answer.pdf is not None:
            options.insert(0, Option("Recevoir à nouveau mon attestation (PDF)", "pdf"))
    return options


async def already_values(ctx: Context) -> dict[str, Any]:
    """Someone who already answered comes back: their answer, as the question says it."""
    found = await load(ctx)
    answer = (
        None if isinstance(found, str) else await current_answer(ctx.session, found.participant.id)
    )
    if isinstance(found, str) or answer is None:
        gone = (
            found
            if isinstance(found, str)
            else ctx.render("attestation_participant.invitation_gone")
        )
        return {"refused": Markup(gone)}
    info = found.info
    outdated = names_other_dates(answer, info)
    return {
        **when_words(info, ctx.now),
        "refused": None,
        "when": dates.spell_datetime(answer.answered_at.astimezone(info.tz)),
        "attested": answer.answer == "attested",
        "kind": info.kind_label,
        "day": dates.spell_date(info.start),
        # Moved since: the answer named the former date, and no longer counts.
        "former": dates.spell_date(answer.bilan_starts_at.astimezone(info.tz))
        if outdated and answer.bilan_starts_at is not None
        else None,
    }


async def after_answer(ctx: Context, picked: str) -> Outcome:
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    if picked == "pdf":
        answer = await current_answer(ctx.session, found.participant.id)
        if answer is not None and answer.pdf is not None:
            ctx.send(
                Reply(
                    text=ctx.render("attestation_participant.here_again"),
                    document=_document(answer, found.info),
                )
            )
        return Leave()
    if picked == "fix":
        ctx.say("attestation_participant.correction")
        return begin(ctx, found.info)
    ctx.say("attestation_participant.bye")
    return Leave()


async def save_answer(ctx: Context) -> None:
    """The flow's finish: the answer as given, on the text as shown, then the thanks."""
    await hold_for_answer(ctx.session, ctx.data.get("invitation_id"))  # explorers UD1, UD3
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return
    if not answers_open(found.info, ctx.now):
        # Moved later while the reason was typed: nothing is kept, the link still works.
        ctx.say("attestation_participant.too_early", **when_words(found.info, ctx.now))
        return
    text = str(ctx.data.get("text", ""))
    if not text or ctx.data.get("text_sha256") != text_sha256(text):
        ctx.say("attestation_participant.invitation_gone")
        return
    answer = await record_answer(
        ctx.session,
        found,
        Said(
            typed_name=str(ctx.data.get("name", "")),
            role=str(ctx.data.get("role", "delegate")),
            structure=ctx.data.get("structure"),
            text=text,
            attested=ctx.data.get("answer") == "attested",
            reason=ctx.data.get("reason"),
            words_before=ctx.data.get(SAID_BEFORE),
        ),
        chat=chat_of(ctx),
        author=author_of(ctx),
        now=ctx.now,
        key=await organisation_key(ctx.session, ctx.settings.data_dir),
    )
    when = dates.spell_datetime(answer.answered_at.astimezone(found.info.tz))
    organisation = visible(found.info.organisation_name)
    if answer.answer == "attested":
        held = await concerns_now(ctx.session, found, answer.answered_at)  # explorer QB6
        ctx.send(
            Reply(
                text=ctx.render(
                    "attestation_participant.thanks",
                    when=when,
                    organisation=organisation,
                    held=held,
                    trainer=visible(await trainer_name(ctx, found)),
                ),
                document=_document(answer, found.info),
            )
        )
    else:
        ctx.say("attestation_participant.declined_thanks", when=when, organisation=organisation)


FLOW = Flow(
    PARTICIPANT_FLOW,
    # Its command, /aide line and who may use it: bot/features/attestations.py.
    start=participant_start,
    steps=[
        Pick(
            "which",
            store="invitation_id",
            unless_known=True,
            ask="attestation_participant.ask_which",
            options=invitation_options,
            then=pick_invitation,
        ),
        *QUESTIONS,
        PickOrSay(
            "text",
            store="sworn",
            ask="attestation_participant.show_text",
            options=ANSWERS,
            synonyms=ANSWER_SYNONYMS,
            exact=True,
            heard=heard_at_the_text,
            other=role_or_words,
            again="attestation_participant.pick_answer",
            before=freeze_if_needed,
            values=text_values,
            then=take_sworn,
            help="attestation_participant.help_text",
        ),
        Text(
            "reason",
            ask="attestation_participant.ask_reason",
            parse=parse_reason,
            values=asked_anew,  # explorer ZA9
            skip_label="Passer",
            when=lambda c: c.data.get("answer") == "declined",
        ),
    ],
    branches=[
        *BRANCHES,
        *as_is.STEPS,
        Text(
            "wait",
            ask="attestation_participant.wait",
            parse=parse_anything,
            values=wait_values,
            then=after_wait,
        ),
        Pick(
            "after",
            ask="attestation_participant.already",
            options=after_options,
            values=already_values,
            then=after_answer,
        ),
    ],
    finish=save_answer,
)

FLOWS = [FLOW]


# --- helpers ----------------------------------------------------------------------------------


def _document(answer: Attestation, info: BilanView) -> Document:
    """The participant's PDF; no caption of its own, so the reply's text becomes it.

    Named as the bilan's other files, by its day and formation (explorer YD2: every copy
    was « attestation-sur-l-honneur-v1.pdf », twice the same name for a delegate of two
    formations); a correction's copy says which version it is."""
    assert answer.pdf is not None
    version = f"-version-{answer.version}" if answer.version > 1 else ""
    return Document(
        filename=f"attestation-{info.file_stem}{version}.pdf",
        mime_type="application/pdf",
        content=answer.pdf,
    )
