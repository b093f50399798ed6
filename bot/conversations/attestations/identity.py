"""Who the participant says they are: their name, their role, a partner's structure.

    Bot   Pour commencer, quel est votre nom complet, prénom et nom ?
    Vous  c quoi ce truc
    Bot   Je n'ai pas compris : ici, il me faut seulement votre prénom et votre nom … (again)
    Vous  Léa Martine
    Bot   Votre invitation est au nom de Léa Martin, et vous avez écrit « Léa Martine ».
          Vous êtes bien Léa Martin ?  [Oui, je suis Léa Martin] [Garder « Léa Martine »]
          [Corriger mon nom]
    Vous  oui
    Bot   À quel titre participez-vous à ce bilan ? D'après votre invitation, vous y
          représentez les stagiaires …  [Je représente les stagiaires]
          [Stagiaire de la formation]
    Vous  oui

What someone who never used a bot types there ends on a sworn attestation,
so a text that is no plausible name (:func:`bot.people.names.person_name`)
is asked again, and a name other than the invited one is confirmed before
the text is shown; kept, the answer waits for the trainer's check
(:func:`bot.attestations.concerns.concerns_of`).  Only the roles the
invitation makes true are offered, and one alone is not asked: the text
says it.  A partner whose structure the trainer entered confirms or
corrects it rather than typing it blank.
The steps are those of :mod:`~bot.conversations.attestations.participant`'s
flow (``QUESTIONS`` in its sequence, ``BRANCHES`` reached by name).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import dates
from bot.answers import LATER, YES_NO, Invalid, clean_line, fold, visible
from bot.attestations.claims import sworn
from bot.attestations.service import same_name
from bot.conversations.attestations.explain import explained, role_explained, structure_explained
from bot.conversations.attestations.held import invited, load
from bot.conversations.attestations.roles import (
    ANY_ROLE,
    YES_WORDS,
    role_confirmed,
    role_not_offered,
    role_options,
    role_values,
    roles_for,
)
from bot.conversations.attestations.telling import link_broken
from bot.conversations.attestations.words import (
    as_invalid,
    as_retry,
    words_kept,
    words_passed_on,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry
from bot.conversations.kit.steps import Option, Pick, Text
from bot.dates.spelling import WEEKDAY_NAMES
from bot.dates.words import WEEKDAY_WORDS
from bot.formations.labels import full_name_given
from bot.messages import Platform
from bot.people.names import (
    current_structure,
    introduced_name,
    person_name,
    structure_name,
    structure_refused,
    written_with,
)
from bot.storage.formations import Trainee

NO_WORDS = frozenset(word for word, meaning in YES_NO.items() if meaning == "no")
"""A « non » to it."""
KEPT_LABEL = "Oui, c'est exact"


_PLEASE = re.compile(r"(?:\s+(?:svp|stp|merci|s il vous plait|s il te plait))+$")
"""« plus tard svp », « attendez merci »: what goes with the words, not the words."""


async def parse_name(ctx: Context, text: str) -> str | Invalid | Next:
    """A plausible person's name; the invited name is always one, however unusual. Not
    « tel quel » right after the health warning: the words pointed out kept (explorer MA7)."""
    if (said := await words_kept(ctx, "name")) is not None:
        return as_invalid(said)
    if _PLEASE.sub("", fold(text)) in LATER:  # explorer QB12, SB10: « Garder « Plus Tard » »
        return Invalid(ctx.render("attestation_participant.name_later"))
    found = await load(ctx)
    expected = None if isinstance(found, str) else found.participant
    line = clean_line(introduced_name(text), limit=100)  # « je m'appelle … » (QB11)
    if (
        isinstance(line, str)
        and expected is not None
        and same_name(line, expected.name)
        and written_with(line, expected.name)
    ):
        return line
    if link_broken(text):  # « le lien marche pas » was offered as a name (explorer SB9)
        said = await words_passed_on(ctx, "name", whole=True)
        if said is not None:
            return as_invalid(said)
    name = person_name(
        text, example="Claire Dubois", unclear=ctx.render("attestation_participant.name_unclear")
    )
    if isinstance(name, Invalid):
        # « Hugo Moreau, mais je n'étais là que la première heure » (explorer HB12).
        invited_words = frozenset(fold(expected.name).split()) if expected else frozenset()
        said = await words_passed_on(ctx, "name", NAME_WORDS | invited_words)
        return as_invalid(said) if said is not None else name
    if expected is not None and not same_name(name, expected.name):
        assert not isinstance(found, str)
        other = await classmate_named(ctx, found.info.formation.id, name, expected.trainee_id)
        if other is not None:
            return Invalid(ctx.render("attestation_participant.name_of_another", other=other))
    return name


async def classmate_named(
    ctx: Context, formation_id: int, name: str, own: int | None
) -> str | None:
    """Another trainee of the formation under this name: each swears under their own
    invitation (explorer AD23: « Karim Benali » kept on Léa's sworn text, the trainer told
    only of a name « différent »). Not ``own``, the participant's trainee row: her name
    corrected since the invitation is hers (explorer KE2: « … est le nom d'une autre
    personne de cette formation » for her own name)."""
    trainees = await ctx.session.scalars(
        select(Trainee).where(Trainee.formation_id == formation_id)
    )
    return next(
        (
            t.full_name
            for t in trainees
            if t.id != own and not t.erased and same_name(name, t.full_name)
        ),
        None,
    )


async def after_name(ctx: Context, typed: str) -> Outcome:
    """Another name than the invited one is confirmed before the text shows it."""
    expected = await invited(ctx)
    if expected is None:
        return name_done(ctx)
    if not same_name(typed, expected.name):
        return Next("check_name")
    if fold(typed) == fold(visible(expected.name)) or typed == typed.lower():
        # « léa martin », « moreau hugo »: the invitation's spelling on the sworn text
        # (explorers O, P: « Moi, léa martin, … » went to the Région), as « Oui, je suis Léa
        # Martin » gives it; « MOREAU Hugo », written as a name, is kept.
        ctx.data["name"] = visible(expected.name)
    return name_done(ctx)


def name_done(ctx: Context) -> Outcome:
    """« Corriger mon nom » asks the name only: back to the text, the role kept."""
    if ctx.data.pop("fixing_name", None):
        return Next("text")
    return Next("role")


async def name_values(ctx: Context) -> dict[str, Any]:
    expected = await invited(ctx)
    return {
        "invited": visible(expected.name) if expected else "",
        "typed": str(ctx.data.get("name", "")),
    }


async def name_options(ctx: Context) -> list[Option]:
    """« Oui, je suis Léa Martin » (the invitation's name), « Garder « Léa Martine » »
    (flagged to the trainer), « Corriger mon nom »."""
    words = await name_values(ctx)
    kept = [Option(f"Garder « {words['typed'][:60]} »", "typed", words=("non",))]
    return [
        Option(f"Oui, je suis {words['invited'][:60]}", "invited", words=YES_WORDS),
        # A first name alone is no name to swear under (explorer M: « Moi, aicha, … »).
        *(kept if full_name_given(words["typed"]) else []),
        Option("Corriger mon nom", "fix", words=("corriger",)),
    ]


async def take_name(ctx: Context, picked: str) -> Outcome:
    expected = await invited(ctx)
    if picked == "fix" or expected is None:
        ctx.data.pop("name", None)
        return Next("name")
    if picked == "invited":
        ctx.data["name"] = visible(expected.name)
    else:
        ctx.say("attestation_participant.name_kept", typed=ctx.data.get("name", ""))
    return name_done(ctx)


NOT_THERE = re.compile(
    r"\b(?:pas (?:pu )?(?:venir|venu|venue|participer|participe|assiste|assister|ete la)"
    r"|pas (?:pu )?etre (?:la|present|presente)|pas ete present|pas ete presente"
    r"|pas (?:pu|reussi a) (?:me )?(?:connecter|rejoindre)|etais pas la"
    r"|absente?|empechee?)\b"
)
"""« je n'ai pas pu venir, j'étais malade », « j'étais absente », « j'ai pas pu me
connecter » (folded): no role to give."""


NOT_THERE_SAID = "_not_there"
"""Set when the person said they could not come: a typed « oui » then attests nothing."""


async def parse_structure(ctx: Context, text: str) -> str | Invalid | Next:
    """The structure's name; « je n'ai pas participé » is heard, and the structure asked
    still, for the answer to say who declines (explorer Z, Z3: only « Je n'ai pas compris »)."""
    if (said := await words_kept(ctx, "structure")) is not None:  # explorer MA7
        return as_invalid(said)
    if NOT_THERE.search(fold(text)) is not None:
        ctx.data[NOT_THERE_SAID] = True
        return Invalid(ctx.render("attestation_participant.not_there_structure"))
    if (refused := await role_not_offered(ctx)) is not None:
        return Invalid(refused.message)
    if (asked := structure_explained(ctx)) is not None:  # « je sais pas » (explorer KE12)
        return Invalid(asked)
    name = structure_name(text, unclear=ctx.render("attestation_participant.structure_unclear"))
    if isinstance(name, Invalid):  # « Cap emploi, mais je suis partie à 15 h » (HB12)
        said = await words_passed_on(ctx, "structure", ROLE_WORDS)
        return as_invalid(said) if said is not None else name
    if why := structure_refused(name, str(ctx.data.get("name") or "")):  # explorer UC8
        return Invalid(ctx.render(f"attestation_participant.structure_{why}", typed=visible(name)))
    if (current := current_structure(name)) != name:  # « Pôle emploi » sworn (explorer KE10)
        ctx.say("bilan.structure_renamed", typed=visible(name), current=visible(current))
    return current


async def known_structure(ctx: Context) -> str | None:
    """The structure the trainer entered for this partner, if any."""
    expected = await invited(ctx)
    if expected is None or expected.kind != "partner":
        return None
    return visible(expected.structure) or None


async def structure_values(ctx: Context) -> dict[str, Any]:
    return {"known": await known_structure(ctx), "kept": KEPT_LABEL}


async def parse_structure_again(ctx: Context, text: str) -> str | Invalid | Next:
    """« oui » keeps the structure the trainer entered; « non » asks for the right one."""
    known = await known_structure(ctx)
    typed = fold(text)
    if known and typed in YES_WORDS:
        return known
    if known and NOT_THERE.search(typed) is not None:  # the structure kept, the text next
        ctx.data[NOT_THERE_SAID] = True
        ctx.say("attestation_participant.not_there")
        return known
    if typed in ("non", "non ce n est pas ca", "corriger"):
        return Invalid(ctx.render("attestation_participant.structure_retype"))
    return await parse_structure(ctx, text)


async def after_role(ctx: Context, picked: str) -> Outcome:
    """A partner whose structure the trainer entered confirms it rather than typing it."""
    if picked == "partner" and await known_structure(ctx):
        return Next("structure_known")
    return Next()


async def after_known_structure(ctx: Context, kept: str | None) -> Outcome:
    if kept is None:  # the button: the structure as the trainer entered it
        ctx.data["structure"] = await known_structure(ctx)
    return Next("text")


async def not_there(ctx: Context) -> Outcome | None:
    """« je n'ai pas pu venir » at the role question: the text is shown with its « Je n'ai
    pas participé » (a declined answer is kept on the text shown, like any), the role the
    invitation's (explorer U, U9: the person had to claim a title first)."""
    if (said := await words_kept(ctx, "role")) is not None:  # explorer MA7
        return as_retry(said)
    if fold(ctx.incoming.text) in NO_WORDS:  # the question invites « oui » (explorer Y, Y12)
        return Retry(ctx.render("attestation_participant.role_no"))
    expected = await invited(ctx)
    if (asked := role_explained(ctx, expected.kind if expected else "")) is not None:
        return asked  # « je sais pas », « c'est quoi la différence ? » (explorer KE9)
    if NOT_THERE.search(fold(ctx.incoming.text)) is None:
        if (refused := await role_not_offered(ctx)) is not None:
            return refused
        if (confirmed := await role_confirmed(ctx)) is not None:
            ctx.data["role"] = confirmed
            return await after_role(ctx, confirmed)
        # « oui, mais seulement la première heure » (explorer HB12).
        said = await words_passed_on(ctx, "role", ROLE_WORDS)
        return as_retry(said) if said is not None else None
    if (other := await another_day(ctx, fold(ctx.incoming.text), at_role=True)) is not None:
        return Retry(other.message)  # « non j'étais absent le mardi » (explorer KE3)
    kind = expected.kind if expected is not None else "delegate"
    ctx.data["role"] = kind
    ctx.data[NOT_THERE_SAID] = True
    ctx.say("attestation_participant.not_there")
    return await after_role(ctx, kind)


async def one_role(ctx: Context) -> Outcome | None:
    """The role question's ``before``: an invitation that allows one role is not asked it,
    the text says it (a choice of one is no question)."""
    expected = await invited(ctx)
    offered = roles_for(expected.kind) if expected is not None else ANY_ROLE
    if len(offered) > 1:
        return None
    ctx.data["role"] = offered[0].value
    return await after_role(ctx, offered[0].value)


async def heard_at_the_text(ctx: Context, typed: str) -> str | Invalid | None:
    """« je n'ai pas pu venir », « non j'étais absente » at the text: the text invites it
    (« Si vous n'avez pas participé à ce bilan, dites-le »), and declining swears nothing,
    it asks why (explorer AC6: only the button's own words were taken). The oath typed
    (« J'atteste sur l'honneur avoir participé ») is the oath, no message (explorer MB4).
    An absence on another day than the bilan's declares nothing (:func:`another_day`)."""
    if NOT_THERE.search(typed):
        return await another_day(ctx, typed) or "decline"
    return "attest" if sworn(typed) else None


async def another_day(ctx: Context, typed: str, *, at_role: bool = False) -> Invalid | None:
    """« non j'étais absent le mardi » under the text of a Thursday's bilan: an absence on
    another day, not this bilan declined (explorer KE3: a trainee at the bilan, absent on the
    Tuesday of his formation, was asked why he had not taken part, and his next reply
    recorded it). The bilan's day said, the answer asked again; at the role question
    (``at_role``), no « Vous n'avez pas participé à ce bilan » either."""
    found = await load(ctx)
    if isinstance(found, str) or _SPAN.search(typed):
        return None
    said = day_named(ctx.incoming.text, ctx.now, found.info.start.date())
    if said is None:
        return None
    day = dates.spell_date(found.info.start)
    values = {"said": said, "day": day, "at_role": at_role}
    return Invalid(ctx.render("attestation_participant.not_there_other_day", **values))


_SPAN = re.compile(r"\b(?:depuis|jusqu)")
"""« absente depuis mardi », « jusqu'au 27 »: days that may hold the bilan's."""


def day_named(typed: str, now: datetime, held: date) -> str | None:
    """The day other than ``held`` that ``typed`` names, as the answer says it: « mardi »
    for a weekday's name, « mardi 24 novembre » for a date (« le 24 », « le 24/11 »,
    « hier »), read in the past of ``now`` (explorer KE3: dates were not read)."""
    named = [WEEKDAY_WORDS[word] for word in fold(typed).split() if word in WEEKDAY_WORDS]
    if named:
        return None if held.weekday() in named else WEEKDAY_NAMES[named[0]]
    read = dates.understand(typed, now, "past")
    if read is None or not read.has_date or read.when.date() == held:
        return None
    return dates.spell_date_before(read.when.date(), held)


async def role_or_words(ctx: Context) -> Retry | Next | None:
    """At the attestation's text: a role not offered (:func:`role_not_offered`), or words of
    the person's own (« j'ai dû quitter la visio à 15 h »), passed on to the trainer and the
    question asked again (explorer AU3: what he said was lost, and the text came back)."""
    taken = await role_not_offered(ctx) or explained(ctx)  # « je comprends pas » (QB7)
    if taken is not None:
        return taken
    if _JUST_TOOK_PART.fullmatch(fold(ctx.incoming.text)):  # swears nothing yet (XA13)
        return Retry(ctx.render("attestation_participant.text_took_part"))
    said = await words_passed_on(ctx, "text")
    return as_retry(said) if said is not None else None


_JUST_TOOK_PART = re.compile(
    r"(?:oui )?(?:j ai )?(?:bien )?particip\w*(?: (?:a|au) (?:ce )?bilan)?"
)
"""« j'ai participé », « oui j'ai bien participé au bilan » (folded) and nothing more: a
claim, not the oath, and no message for the trainer (« j'ai participé mais je suis parti à
11h » is one, passed on)."""


ROLE_WORDS = frozenset(
    {"delegue", "deleguee", "des", "stagiaires", "stagiaire", "partenaire", "representant"}
    | {"representante"}
)
"""A role said in a sentence (folded), which tells the trainer nothing."""
NAME_WORDS = frozenset({"bonjour", "bonsoir", "salut", "je", "m", "appelle", "moi", "mon"})
NAME_WORDS |= {"nom", "prenom", "c", "est"} | ROLE_WORDS
"""What introduces a name (« Bonjour, je m'appelle Hugo Moreau »): no message."""


SHOWN_AT = "_text_shown_at"
"""When the attestation's text went out (the turn's handling, not its message's sending)."""


PACED = timedelta(seconds=5)
"""On Matrix, how long after its turn the attestation's text may reach the room: the pacer
spaces the bot's messages (about one a second, more behind Tchap's 429s and the encryption's
key sharing), so a typed answer handled sooner may have left before the text was there
(explorer GB6: a second « oui » sent 0.56 s before the text was signed as the oath on it).
Nobody reads a sworn text in five seconds: such an answer is asked again."""


def typed_before_the_text(ctx: Context) -> bool:
    """Whether this typed answer was sent before the attestation's text went out: « oui »
    typed twice while the bot restarted swore to a text not shown yet (explorer DB8); on
    Matrix, one handled within :data:`PACED` of it too (GB6)."""
    sent, shown = ctx.incoming.sent_at, ctx.data.get(SHOWN_AT)
    if shown is None:
        return False
    out = datetime.fromisoformat(shown)
    if ctx.incoming.platform is Platform.MATRIX and ctx.later_of_now < out + PACED:
        return True
    return sent is not None and sent < out


QUESTIONS = [
    Text(
        "name",
        ask="attestation_participant.ask_name",
        parse=parse_name,
        then=after_name,
        help="attestation_participant.help_name",
    ),
    Pick(
        "role",
        ask="attestation_participant.ask_role",
        options=role_options,
        values=role_values,
        before=one_role,
        other=not_there,
        then=after_role,
        help="attestation_participant.help_role",
    ),
    Text(
        "structure",
        ask="attestation_participant.ask_structure",
        parse=parse_structure,
        when=lambda c: c.data.get("role") == "partner",
    ),
]
BRANCHES = [
    Pick(
        "check_name",
        store="name_check",
        ask="attestation_participant.check_name",
        options=name_options,
        values=name_values,
        then=take_name,
        help="attestation_participant.help_check_name",
    ),
    Text(
        "structure_known",
        store="structure",
        ask="attestation_participant.confirm_structure",
        parse=parse_structure_again,
        skip_label=KEPT_LABEL,
        values=structure_values,
        then=after_known_structure,
    ),
]
