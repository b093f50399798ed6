"""« Inès a pas donné de nouvelles depuis lundi », « g appelé karim il revient lundi », « faut
faire l entretien de karim »: the follow-up of a décrochage, opened for her.

    Vous Inès a pas donné de nouvelles depuis lundi
    Bot  J'ouvre le suivi de son décrochage (/decrochage).
         Plusieurs stagiaires correspondent à « Inès » : de qui s'agit-il ? …
    Vous g appelé karim il revient lundi
    Bot  Je vous ouvre son suivi de décrochage (/decrochage) : l'échange s'y note avec
         « Noter un contact ». …

Read by :func:`bot.absences.dropping_out.read_dropping_out`,
:func:`~bot.absences.dropping_out.read_contact` and :func:`~bot.absences.dropping_out.read_interview`; the name must be a trainee's: else a
contact's, a décrochage's or an entretien's says nobody is called so, with the closest names
(explorer KF4, LB2), nothing noted nor opened.  Within a dialogue it starts
nothing: the question in hand is asked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.absences.dropping_out import (
    read_contact,
    read_dropping_out,
    read_interview,
    read_partner_contact,
)
from bot.absences.followups import open_followup_of
from bot.answers import closest_names, match_names
from bot.conversations.absences.sentence_names import named_aside
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome, Switch


async def dropping_out_sentence(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: ``/decrochage`` for the trainee named."""
    return await _decrochage_for(ctx, read_dropping_out, "absence.dropping_out_opened", sure=True)


async def contact_sentence(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: a contact with a trainee (« j'ai appelé
    Karim »), noted in her follow-up, ``/decrochage`` (explorer KF2: /appel was offered); a
    name none of the trainer's trainees bears is said so, nothing noted against anyone
    (explorer LB2: « Je ne suis pas sûr de ce que vous voulez faire »)."""
    partner = read_partner_contact(ctx.incoming.text)
    if partner is not None:
        return await _partner_contact(ctx, *partner)
    return await _decrochage_for(
        ctx, read_contact, "absence.contact_said", sure=True, nobody="absence.contact_nobody"
    )


async def _partner_contact(ctx: Context, partner: str, trainee: str | None) -> Outcome | None:
    """« j'ai eu France Travail au tel »: a partner, whose exchange is noted in a trainee's
    follow-up; said so, nothing opened (explorer LB2: « Je ne trouve pas « France Travail »
    parmi les stagiaires »). « l'employeur de Karim »: Karim's follow-up, as a contact with him."""
    if trainee is not None:
        return await _decrochage_for(
            ctx,
            lambda _: trainee,
            "absence.partner_contact_said",
            sure=True,
            nobody="absence.contact_nobody",
            partner=partner,
        )
    if await named_aside(ctx, lambda _: partner) is None:  # in a dialogue, a group: not read
        return None
    ctx.say("absence.partner_contact_alone", partner=partner)
    return Leave()


async def interview_sentence(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: a trainee's entretien (« faut faire l entretien
    de karim »), programmed in her follow-up, ``/decrochage`` (explorer KF3: /suivi offered)."""
    return await _decrochage_for(ctx, read_interview, "absence.interview_said", sure=True)


async def _decrochage_for(
    ctx: Context,
    read: Callable[[str], str | None],
    said: str,
    *,
    sure: bool = False,
    nobody: str = "absence.decrochage_nobody",
    **said_with: str,
) -> Outcome | None:
    """``/decrochage`` for the trainee ``read`` finds, after the message ``said`` (told whether
    her follow-up is open, ``opened``). A name no trainee has is said so (``nobody``, with the
    closest names) when the sentence is ``sure`` to speak of a trainee (« mohamed a decroche »:
    explorer KF4, /decrochage offered without a word; « j'ai appelé Zorglub »: LB2)."""
    found = await named_aside(ctx, read)
    if found is None:
        return None
    typed, people = found
    matches = match_names(typed, people)
    if not matches and sure:
        closest = closest_names(typed, list(dict.fromkeys(n for n, _ in people)))
        ctx.say(nobody, typed=typed, closest=closest)
        return Leave()
    if not matches:
        return None
    opened = len(matches) == 1 and await open_followup_of(ctx.session, matches[0]) is not None
    ctx.say(said, opened=opened, **said_with)
    ctx.incoming = replace(ctx.incoming, text=f"/decrochage {typed}")  # as typed after it
    return Switch("decrochage")
