"""A participant's own words: passed on to the formation's trainer, or read as a reason.

Before the bilan, what a participant writes to the bot is answered by where she stands
(:mod:`~bot.conversations.attestations.guide`); a sentence that tells the trainer something
is passed on as well, whatever its length:

    Vous  Absente jeudi, désolée
    Bot   J'ai transmis votre message à Camille Durand.
    Bot   Le bilan de fin de formation … Rien à faire pour l'instant : …
    Vous  Ok merci, c'est noté, à jeudi          (thanks: not passed on)

After it, the reason for not taking part is refused only when it says she took part in this
bilan (« mais si j'ai participé, la date est fausse »), not when it speaks of taking part in
something else (« J'ai participé à une journée de recrutement ce jour-là »).
"""

from __future__ import annotations

import re

from bot import dates
from bot.answers import AGREEING, YES_NO, Invalid, clean_line, fold, visible, worded
from bot.attestations.claims import passing, sworn, took_part, wrong_button
from bot.attestations.invitations import Held
from bot.attestations.service import ROLE_LABELS, answers_open, same_name
from bot.conversations.attestations.held import load
from bot.conversations.attestations.telling import (
    AWAY,
    courtesy_only,
    link_broken,
    tells_something,
)
from bot.conversations.kit.aside import typed as digest
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Retry
from bot.messages import Reply
from bot.people.chats import FORWARD_LIMIT, capped, tell_person
from bot.people.names import reads_like_someone
from bot.privacy.courtesy import without_courtesy
from bot.privacy.health import (
    HEALTH,
    SAID,
    SAID_TEXT,
    TO_WHOM,
    about_the_message,
    acknowledging,
    after_acknowledging,
    agreeing,
    asking,
    keeping,
    keeping_explicitly,
    kept,
    only_about_the_message,
    refusing,
    replacement,
)
from bot.storage.people import Person


def typed_words(ctx: Context) -> str | None:
    """What the person typed, not a button nor a command."""
    text = visible(ctx.incoming.text).strip()
    if ctx.incoming.choice is not None or text.startswith("/") or not fold(text):
        return None
    return text


def own_words(ctx: Context, besides: frozenset[str] = frozenset()) -> str | None:
    """A sentence of the person's own, not a button nor a command: four words or more besides
    ``besides`` (folded: at the name, the name and the words that introduce it), and not
    thanks or an agreement alone (« oui c'est bien ça merci »). One test for every question
    of the attestation (explorer HB12: the name's and the role's words were lost)."""
    text = typed_words(ctx)
    if text is None:
        return None
    rest = " ".join(word for word in fold(text).split() if word not in besides)
    # « … et j'étais absent » says more than thanks, however few its other words (UA9).
    told = AWAY.search(rest) is not None or not courtesy_only(rest)
    said = len(rest.split()) >= 4 and told and not _LOST.fullmatch(rest)
    return text if said else None


_LOST = re.compile(
    r"(?:je )?(?:ne |n )?(?:sais|comprends|comprend) (?:pas|rien)(?: (?:trop|du tout|bien))?"
)
"""« je ne sais pas », « je ne comprends rien »: the question asked again says what to answer,
nothing for the trainer."""


async def trainer_name(ctx: Context, found: Held) -> str:
    """Who reads what is passed on: the formation's trainer now, whoever sent the link (DF5)."""
    trainer = await ctx.session.get(Person, found.info.formation.owner_id)
    return trainer.display_name if trainer else found.info.trainer


async def pass_on(ctx: Context, found: Held, text: str, said: str, **values: object) -> str:
    """The person's own words sent to the formation's trainer; what ``said`` tells them (with
    ``values``), the cut of a long message said to both (explorer GB2)."""
    info = found.info
    words, full_length = capped(text)
    await tell_person(
        ctx.session,
        info.formation.owner_id,
        Reply(
            text=ctx.render(
                "attestation_participant.words_to_trainer",
                name=visible(found.participant.name),
                role=ROLE_LABELS.get(found.participant.kind, "participant"),
                kind=info.kind_label,
                title=visible(info.formation.title),
                day=dates.spell_date(info.start),
                answering=answers_open(info, ctx.now),
                words=words,
                full_length=full_length,
            )
        ),
        key=f"attestation:words:{ctx.incoming.platform.value}:{ctx.incoming.event_id}"[:255],
        organisation_id=info.bilan.organisation_id,
    )
    cut = FORWARD_LIMIT if full_length else None
    return ctx.render(said, inviter=visible(await trainer_name(ctx, found)), cut=cut, **values)


async def words_before_the_end(ctx: Context, found: Held) -> bool:
    """« Je ne pourrai pas venir, j'ai un entretien d'embauche » before the bilan: passed on
    to the trainer, who may need another delegate (explorer DC4: « Rien à faire pour
    l'instant », and nobody heard of it); « Absente jeudi, désolée » too, however short, and
    not « Ok merci, c'est noté, à jeudi » (explorer EA10). ``True`` when the words say the
    link or the visio does not work (:data:`_BROKEN`): answered as such, not with the same
    link (explorer QB18)."""
    if answers_open(found.info, ctx.now):
        return False
    attachment = ctx.incoming.attachment
    if attachment is not None:  # said what becomes of it (explorer UE1: « rien à faire »)
        inviter = visible(await trainer_name(ctx, found))
        file = visible(attachment.filename)
        ctx.send(
            Reply(
                text=ctx.render(
                    "attestation_participant.file_kept_back", file=file, inviter=inviter
                )
            )
        )
    text = typed_words(ctx)
    if text is None:
        return False
    broken = link_broken(text)
    running = found.info.start <= ctx.now
    if broken or tells_something(text, running=running):
        said = await pass_on(
            ctx,
            found,
            text,
            f"attestation_participant.{'link_broken' if broken else 'words_passed_on_early'}",
        )
        ctx.send(Reply(text=said))
    return broken


# --- the reason for not taking part --------------------------------------------------------


async def parse_reason(ctx: Context, text: str) -> str | Invalid | Next | None:
    """The reason, as it will be read in the file sent to the Région; one that speaks of
    health is pointed out once, and kept if sent again (explorer W, W13: « Arrêt maladie
    ce jour-là » went into the signed file though the question asked for no detail). Any
    reply refused asks the question again without « C'est noté », since nothing was noted
    (explorer SB3: « oui merci » was refused, then « C'est noté. Pouvez-vous dire … »)."""
    read = await _read_reason(ctx, text)
    if isinstance(read, Invalid):
        ctx.data[REASON_REFUSED] = True
    return read


async def _read_reason(ctx: Context, text: str) -> str | Invalid | Next | None:
    line = clean_line(text, limit=500)
    if isinstance(line, Invalid):
        return line
    warned = ctx.data.get(WARNED_AT) == "reason" and ctx.data.get(SAID_TEXT) is not None
    line = after_acknowledging(line)  # « compris, mettez empêchement » (explorer ZA8)
    if not keeping(line) and not refusing(line):  # at any turn (ZA8), after the warning (XA15)
        line = replacement(line, warned=warned) or line  # « mettez empêchement » (AM1)
        if warned:
            line = without_courtesy(line)  # « raison personnelle svp » (explorer BB4)
    if passing(line):  # « je préfère passer », « pas de raison »: « Passer » (UA3)
        return None
    if wrong_button(line):  # « je me suis trompé de bouton »: nothing recorded (UA3)
        return Invalid(ctx.render("attestation_participant.reason_wrong_button"))
    if took_part(line) or sworn(line):  # « mais si j'ai participé … » (DB5), plainly (EA5)
        found = await load(ctx)
        trainer = None if isinstance(found, str) else visible(await trainer_name(ctx, found))
        return Invalid(ctx.render("attestation_participant.reason_took_part", trainer=trainer))
    if asking(line):  # « pourquoi ? », « c'est obligatoire ？ »: answered, not saved (ZA8)
        return Invalid(ctx.render("attestation_participant.reason_question"))
    forget_elsewhere(ctx, "reason")  # words left at the text are never the reason (MB10)
    pointed = ctx.data.get(SAID_TEXT) is not None or bool(ctx.data.get(SAID))
    if pointed and refusing(line):  # « ne la transmettez pas »
        forget_warning(ctx)  # the reason pointed out dropped, this reply no reason (MB3)
        return Invalid(ctx.render("attestation_participant.reason_refused"))
    held = ctx.data.get(SAID_TEXT) is not None  # else only their digest: they were answered
    if pointed and (
        acknowledging(line)
        or agreeing(line)
        or (not held and (keeping(line) or only_about_the_message(line)))
    ):  # « ok compris » (XA10), « ok », « d'accord », « oui » (ZA7): the words are kept only
        # when sent again unchanged, as the warning says; only their digest rests (ZA18)
        ctx.data.pop(SAID_TEXT, None)
        return Invalid(ctx.render("attestation_participant.reason_acknowledged"))
    if ctx.data.get(SAID_TEXT) is not None and not keeping(line) and only_about_the_message(line):
        return Next(REASON_AS_IS)  # « je retire ma réponse »: asked; « rendez-vous, je ne
        # veux pas donner de détail » is the reason rewritten, no question (UA7)
    answering = ctx.data.get(SAID_TEXT) and keeping(line)  # « tel quel »: the words pointed out
    if not answering and await no_reason(ctx, line):
        forget_warning(ctx)  # « Hugo Moreau » after the warning: that reason left too (QA9)
        return Invalid(ctx.render("attestation_participant.no_reason", typed=visible(line)))
    if ctx.data.get(SAID_TEXT) is None and (
        keeping_explicitly(line) or (refusing(line) and about_the_message(line))
    ):  # « tel quel » after the notice that the words went nowhere (explorer QA3)
        return Invalid(ctx.render("attestation_participant.reason_not_words"))
    if not answering and not worded(line):  # « 12345 », « 😀🎉🔥 », « 31/02 » (explorer UC1)
        return Invalid(ctx.render("attestation_participant.reason_no_letters"))
    if not answering and reads_like_someone(line) and ctx.data.get(SOMEONE) != digest(line):
        ctx.data[SOMEONE] = digest(line)  # « Jean Dupont »: asked once, kept if sent again (UC1)
        return Invalid(ctx.render("attestation_participant.reason_someone", typed=visible(line)))
    return health_checked(ctx, line, "reason")


async def no_reason(ctx: Context, line: str) -> bool:
    """« oui » (yes, I can say why), « non », or the person's own name: no reason for the
    Région's dossier (explorer QA9: they were saved as the reason)."""
    typed = fold(line)
    words = typed.split()
    # « oui je peux », « oui merci », « moi »: a yes said longer, or oneself (explorer SB3).
    if typed in YES_NO or typed in _ONESELF or acknowledging(line):  # « ok compris » (XA10)
        return True
    if words and words[0] in YES_NO and set(words[1:]) <= _WITH_A_YES:
        return True
    found = await load(ctx)
    names = [str(ctx.data.get("name") or "")]
    if not isinstance(found, str) and found.participant is not None:
        names.append(found.participant.name)
    own = {w for name in names for w in fold(name).split() if len(w) > 1}
    civil = {"m", "mme", "mr", "monsieur", "madame", "mlle"}
    # « Hugo », « M. Moreau »: a part of one's own name (explorer SB3).
    if words and all(w.strip(".") in own | civil for w in words):
        return True
    return any(name and same_name(line, name) for name in names)


_ONESELF = frozenset({"moi", "c est moi", "moi meme", "je", "ici"})
_WITH_A_YES = frozenset({"je", "peux", "merci", "bien", "sur", "ok", "volontiers", "oui", "d"})
"""« oui je peux », « oui bien sûr », « oui merci »: a yes said longer, no reason (SB3)."""


SOMEONE = "_reason_someone"
"""A reason written like a person's name, once questioned: kept when sent again (UC1). Its
digest (:func:`~bot.conversations.kit.aside.typed`), never the words: refused, they would
rest in the conversation's row as long as it waits (closing 38, QB17's privacy note)."""

REASON_REFUSED = "_reason_refused"
"""Set once a reason pointed out for health was dropped: the reason asked again as such."""

WORDS_AS_IS = "words_as_is"
"""The question « Transmettre votre message tel quel ? », after a reply to the health warning
that speaks of the message itself (:func:`~bot.privacy.health.about_the_message`, QA1)."""

REASON_AS_IS = "reason_as_is"
"""The same question for the reason for not taking part: « Garder votre réponse telle quelle ? »."""


def health_checked(ctx: Context, text: str, what: str, **values: object) -> str | Invalid:
    """What a participant wrote that goes to the Région, or, once, the warning that it may
    speak of health (``Invalid``): one reading (:data:`~bot.privacy.health.HEALTH`, kept when
    sent again unchanged) and one warning (``attestation_participant.health``) for the reason
    for not taking part (``what``: ``reason``, explorer W13) and for words written at a
    question before answering (``words``, with ``inviter`` and ``step``): those went unwarned
    into the signed dossier for the Région (explorer KC7: « je suis partie à 15 h pour ma
    séance de chimiothérapie », twice in the recap and in the manifest)."""
    said = kept(ctx.data, text, HEALTH)
    if said is None:
        ctx.data.pop(HELD_BACK, None)  # new words pointed out: their notice is still to come
        ctx.data[WARNED_AT] = str(values.get("step", what))  # explorer MB10
        return Invalid(ctx.render("attestation_participant.health", what=what, **values))
    return said


async def words_checked(ctx: Context, found: Held, text: str, step: str) -> str | Invalid:
    """Words of the person's own at ``step``, to pass on and keep with the answer; or the
    health warning, before anything is passed on or kept (explorer KC7): what the answer
    keeps, and the dossier for the Région carries, is what the person leaves after it
    (written again without the detail, or sent again unchanged), decided before the answer
    is recorded and signed."""
    name = await trainer_name(ctx, found)
    ctx.data[TO_WHOM] = name  # « transmettez-le à Camille » keeps, « à personne » not (QA6)
    return health_checked(ctx, text, "words", inviter=visible(name), step=step, held=True)


HELD_BACK = "_words_held_back"
"""Set once it was said that the words pointed out went nowhere (:func:`words_left_behind`)."""

WARNED_AT = "_health_warned_at"
"""The question (``name``, ``role``, ``structure``, ``text``, ``reason``) where the words
were pointed out: the warning's memory lives only there (:func:`forget_elsewhere`)."""


def forget_warning(ctx: Context) -> None:
    """The words pointed out for health forgotten: never kept nor sent by a later reply."""
    for key in (SAID_TEXT, SAID, HELD_BACK, WARNED_AT, TO_WHOM):
        ctx.data.pop(key, None)


async def asked_anew(ctx: Context) -> dict[str, object]:
    """A question's ``values`` hook: asked anew by her link opened again (``/start``), the
    warning's « sent again unchanged » is left behind, the same words typed to the question
    shown afresh warned again (explorer ZA9: they counted as sent again, and went to the
    Région and the trainer). Asked again after a reply (the same asking), it stays."""
    if ctx.incoming.command == "start":
        forget_warning(ctx)
    return {}


def forget_elsewhere(ctx: Context, step: str) -> None:
    """At ``step``, words pointed out at another question are forgotten: the person left
    them behind by answering that question (explorer MB10: « Hugo Moreau, j'étais à
    l'hôpital le matin même » at the name, then « Hugo Moreau », then the « oui » of the
    oath sent the words to the trainer and signed them)."""
    if ctx.data.get(WARNED_AT) != step:
        forget_warning(ctx)


async def words_left_behind(ctx: Context, found: Held, attest: bool) -> str | None:
    """At the answer, words pointed out for health and since neither written again nor sent
    unchanged: said once that they went nowhere (explorer KC7, GB5: the leaving early they
    told would be lost unsaid), still kept by « tel quel » (explorer MA7); the answer chosen
    again goes without them, said plainly once more (explorer MA8: the message was dropped
    without a word). Leaving the question, the warning's memory is dropped: the reason's own
    reading starts afresh, and « oui » there never keeps the words
    (:func:`~bot.privacy.health.kept`)."""
    forget_elsewhere(ctx, "text")
    if ctx.data.get(SAID_TEXT) is None:
        forget_warning(ctx)
        return None
    inviter = visible(await trainer_name(ctx, found))
    if ctx.data.pop(HELD_BACK, None):
        forget_warning(ctx)
        ctx.say("attestation_participant.words_dropped", inviter=inviter)
        return None
    ctx.data[HELD_BACK] = "attest" if attest else "decline"
    return ctx.render("attestation_participant.words_held", inviter=inviter, attest=attest)


def kept_reply(ctx: Context, step: str) -> str | None:
    """« tel quel », « je le garde tel quel », « je vous le renvoie tel quel », « vous pouvez
    le transmettre » typed right after the health warning
    (:func:`~bot.privacy.health.keeping_explicitly`): the words pointed out are kept, never
    these (explorer MA7, MB3: « je le garde tel quel », « oui vous pouvez le transmettre »
    were passed on and signed as the message). Not « oui » alone (explorer MB9), and only for
    words pointed out at this ``step`` (explorer MB10)."""
    forget_elsewhere(ctx, step)
    typed = typed_words(ctx)
    if typed is None or ctx.data.get(SAID_TEXT) is None:
        return None
    if not keeping_explicitly(typed, str(ctx.data.get(TO_WHOM) or "")):
        return None
    return typed


def refused_reply(ctx: Context, step: str) -> bool:
    """« non », « ne le transmettez pas », « non supprimez ce message svp » right after the
    health warning at ``step`` (:func:`~bot.privacy.health.refusing`): the words pointed out
    are dropped, and the reply itself is no message (explorer MB3)."""
    forget_elsewhere(ctx, step)
    typed = typed_words(ctx)
    return typed is not None and ctx.data.get(SAID_TEXT) is not None and refusing(typed)


def about_the_words(ctx: Context, step: str) -> bool:
    """Whether this typed reply to the health warning at ``step`` speaks of the message
    itself (« Ne transmettez pas ce message », « allez-y, transmettez-le tel quel ») without
    being a plain keep or refusal: never a message nor signed, the person is asked
    (:data:`WORDS_AS_IS`, explorer QA1)."""
    forget_elsewhere(ctx, step)
    typed = typed_words(ctx)
    return (  # a message of its own beside it is the rewording (explorer UA7)
        typed is not None and ctx.data.get(SAID_TEXT) is not None and only_about_the_message(typed)
    )


def declining_held(ctx: Context) -> bool:
    """Whether a typed « oui », « ok », « je confirme » follows the notice after « Je n'ai
    pas participé » (:func:`words_left_behind`): it confirms that answer, never the oath
    (explorer QA3: « oui » then signed « j'atteste sur l'honneur avoir participé »). The
    oath typed in full (:func:`sworn`) is still the oath."""
    typed = typed_words(ctx)
    return ctx.data.get(HELD_BACK) == "decline" and typed is not None and not sworn(typed)


async def words_kept(ctx: Context, step: str) -> str | Next | None:
    """At ``step``, a reply to the health warning that keeps the words pointed out (passed
    on and kept with the answer, explorer MA7) or drops them (said so, explorer MB3), and
    the question asked again; else ``None``, the answer read as usual. « oui » alone is the
    question's own answer (at the text, the oath): the words are dropped, said once
    (explorer MB9: « oui » sent the health detail to the trainer and signed it)."""
    if kept_reply(ctx, step) is not None or refused_reply(ctx, step):
        return await words_passed_on(ctx, step)
    if about_the_words(ctx, step):
        return Next(WORDS_AS_IS)
    typed = typed_words(ctx)
    if typed is not None and ctx.data.get(SAID_TEXT) is not None and fold(typed) in AGREEING:
        forget_warning(ctx)
        found = await load(ctx)
        if not isinstance(found, str):
            inviter = visible(await trainer_name(ctx, found))
            ctx.say("attestation_participant.words_dropped", inviter=inviter)
    return None


async def words_passed_on(
    ctx: Context, step: str, besides: frozenset[str] = frozenset(), *, whole: bool = False
) -> str | Next | None:
    """Words of the person's own at any question of the attestation (``step``: ``name``,
    ``role``, ``structure``, ``text``), not a name nor a choice (:func:`own_words`, besides
    ``besides``): passed on to the trainer, kept for the answer that follows
    (:func:`keep_words`), and what to answer still said (``None``: no such words). One path
    for every question (explorer HB12: « Hugo Moreau, mais je n'étais là que la première
    heure » at the name, « oui, mais seulement la première heure » at the role were lost,
    and the oath then counted unflagged; at the text they were kept, GB5). A refusal of
    the words pointed out for health is said, never passed on (explorer MB3); a reply that
    speaks of the message itself is asked about (``Next(WORDS_AS_IS)``, explorer QA1).
    ``whole``: whatever was typed is the message (a link that does not work, explorer SB9).
    """
    if refused_reply(ctx, step):
        forget_warning(ctx)
        found = await load(ctx)
        if isinstance(found, str):
            return None
        inviter = visible(await trainer_name(ctx, found))
        return ctx.render("attestation_participant.words_refused", inviter=inviter, step=step)
    text = kept_reply(ctx, step)
    if text is None and about_the_words(ctx, step):  # asked, never passed on (QA1)
        return Next(WORDS_AS_IS)
    text = text or (typed_words(ctx) if whole else own_words(ctx, besides))
    if text is None:
        return None
    found = await load(ctx)
    if isinstance(found, str):
        return None
    checked = await words_checked(ctx, found, text, step)  # health pointed out (KC7)
    if isinstance(checked, Invalid):
        return checked.message
    said = await pass_on(ctx, found, checked, "attestation_participant.words_passed_on", step=step)
    keep_words(ctx, checked)
    return said


def as_retry(said: str | Next) -> Retry | Next:
    """What :func:`words_kept` or :func:`words_passed_on` said, as a step's outcome: the
    question asked again after it, or the question « tel quel ? » (explorer QA1)."""
    return said if isinstance(said, Next) else Retry(said)


def as_invalid(said: str | Next) -> Invalid | Next:
    """The same for a typed answer's reading (:class:`~bot.conversations.kit.steps.Text`)."""
    return said if isinstance(said, Next) else Invalid(said)


SAID_BEFORE = "said_before"
"""The words passed on at the text in this round, kept with the answer (:func:`keep_words`)."""


def keep_words(ctx: Context, text: str) -> None:
    """Words passed on at the text are kept for the answer that follows in the same round,
    as the trainer read them (cut the same way, said with « […] »), several one a line:
    « oui mais je suis partie à midi », then « OUI !!! », counted unflagged and the words
    were in no part of the evidence (explorer GB5)."""
    words, full_length = capped(text)
    if full_length:
        words += " […]"
    earlier = ctx.data.get(SAID_BEFORE)
    if earlier and len(earlier) >= 2 * FORWARD_LIMIT:
        return  # the first messages kept: enough for the review, the rest went to the trainer
    ctx.data[SAID_BEFORE] = f"{earlier}\n{words}" if earlier else words
