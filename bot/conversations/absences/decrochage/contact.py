"""Noting a contact of a follow-up: with the trainee, the company, the team, someone else.

    Bot  Avec qui avez-vous été en contact au sujet de Thomas Fabre ?
    You  Thomas Fabre
    Bot  Par quel moyen ?                      [Téléphone] [E-mail] [SMS] …
    You  SMS
    Bot  Quel jour ?
    You  aujourd'hui
    Bot  J'ai compris : lundi 23 novembre 2026. C'est bien ça ?
    You  Oui
    Bot  Qu'en est-il ressorti ?
    You  Pas de réponse, message laissé
    Bot  Avez-vous une preuve de l'échange ? Envoyez-la ici, ou touchez « Pas de preuve ».
    You  (capture.png)
    Bot  Contact avec Thomas Fabre par SMS le lundi 23 novembre 2026 … Enregistrer ?
    You  Enregistrer
    Bot  C'est noté, avec la preuve.
         Reste à contacter son entreprise (Hôtel des Lys) : pour une formation courte,
         la procédure demande de contacter la personne et son entreprise.

Called from the follow-up's menu (``with_whom``/``channel`` given for the
team's exchange).  In a short formation (ELY-SHORT), contacts with the trainee
*and* the company (both, even when no company is known yet: the seed asks
both) are the procedure's contact done, in ``/echeances`` too; until then the bot says who
is left.  A trainee with no employer (no company known) is noted as such instead of the
company's contact: « Pas d'entreprise à contacter (sans employeur) », then the recap.  In a long or certifying one (ELY-LONG) the procedure is the
entretien individuel: the bot recalls it while none is planned.
"""

from __future__ import annotations

from typing import Any

from bot.absences.followup_deadlines import contacts_missing
from bot.absences.followups import current_entretien
from bot.absences.records import record_contact
from bot.absences.vocabulary import NO_COMPANY, labels
from bot.conversations.absences.decrochage.common import (
    CHANNEL_OPTIONS,
    WHOM_OPTIONS,
    abandon_step,
    check_past,
    load_followup,
    open_followup_or_leave,
    step_start,
    upload,
)
from bot.conversations.absences.steps import FileStep, parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, stored_date
from bot.conversations.kit.steps import Confirm, DateStep, Option, Pick, Text, past_example
from bot.storage.people import Role


async def company_options(ctx: Context) -> list[Option]:
    """The trainee by name, the company named when known: nobody reads "le/la stagiaire".
    With no company known, « Pas d'entreprise à contacter » too (a job seeker: BB1), where
    the procedure asks the company's contact, in a short formation (explorer EA3: offered,
    and its sentence about short formations said, in a long one)."""
    named = {"stagiaire": ctx.data.get("name"), "entreprise": ctx.data.get("company")}
    labels = {"stagiaire": "{}", "entreprise": "L'entreprise ({})"}
    options = [
        Option(labels[o.value].format(named[o.value]), o.value) if named.get(o.value) else o
        for o in WHOM_OPTIONS
    ]
    found = await load_followup(ctx) if not ctx.data.get("company") else None
    if found is not None and found.followup.path == "short":
        options.insert(2, Option("Pas d'entreprise à contacter (sans employeur)", NO_COMPANY))
    return options


def _reached(ctx: Context) -> bool:
    """A contact made, not « no company to contact », which has no means, day or proof."""
    return ctx.data.get("with_whom") != NO_COMPANY


async def whom_picked(ctx: Context, whom: str) -> Outcome:
    if whom == NO_COMPANY:  # said today, as it is today: nothing else to ask
        ctx.data.update(channel="aucun", outcome="", proof=None)
        ctx.data["contacted_on"] = ctx.now.astimezone(ctx.tz).replace(tzinfo=None).isoformat()
        return Next("recap")
    if ctx.data.get("channel") == "aucun":  # « Retour » from it: a real contact's questions
        for key in ("channel", "outcome", "proof", "contacted_on"):  # (explorer DF6)
            ctx.data.pop(key, None)
    return Next()


async def contact_values(ctx: Context) -> dict[str, Any]:
    """The recap's words; the first sign's day when the contact comes before it (it will
    not count as the contact the procedure asks after an absence: said before saving)."""
    day = stored_date(ctx, "contacted_on")
    found = await load_followup(ctx)
    sign = found.followup.sign_on if found is not None else None
    return {"labels": labels(), "day": day, "sign": sign if sign and day < sign else None}


async def save_contact(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    contact = await record_contact(
        ctx.session,
        found.followup,
        ctx.person_id,
        ctx.now,
        with_whom=ctx.data["with_whom"],
        channel=ctx.data["channel"],
        contacted_on=stored_date(ctx, "contacted_on"),
        outcome=ctx.data["outcome"],
        proof=upload(ctx, "proof"),
    )
    followup = found.followup
    missing = []
    if ctx.data["with_whom"] in ("stagiaire", "entreprise", NO_COMPANY):
        missing = await contacts_missing(ctx.session, followup)
    # ELY-LONG answers any sign with an entretien individuel, not with contacts: say so
    # while none is planned, so a contact is not taken for the procedure done.
    entretien_due = (
        followup.path == "long"
        and followup.procedure_applies
        and await current_entretien(ctx.session, followup.id, "individuel") is None
    )
    ctx.say(
        "decrochage.contact_saved",
        c=contact,
        labels=labels(),
        missing=missing,
        company=ctx.data.get("company"),
        entretien_due=entretien_due,
    )
    return Leave()


CONTACT = Flow(
    "decrochage_contact",
    role=Role.FORMATEUR,
    summary="noter un contact de suivi",
    start=step_start,
    steps=[
        Pick(
            "with_whom",
            ask="decrochage.ask_whom",
            options=company_options,
            unless_known=True,
            then=whom_picked,
        ),
        Pick(
            "channel",
            ask="decrochage.ask_channel",
            options=CHANNEL_OPTIONS,
            unless_known=True,
            columns=2,
            when=_reached,
        ),
        DateStep(
            "contacted_on",
            ask="decrochage.ask_contact_date",
            prefer="past",
            check=check_past,
            example=past_example,
            when=_reached,
        ),
        Text("outcome", ask="decrochage.ask_outcome", parse=parse_note(500), when=_reached),
        FileStep(
            "proof",
            ask="decrochage.ask_contact_proof",
            skip_label="Pas de preuve",
            help="decrochage.help_contact_proof",
            when=_reached,
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_contact",
            values=contact_values,
            yes=save_contact,
            no=abandon_step,
            yes_label="Enregistrer",
            no_label="Abandonner",
        ),
    ],
)
