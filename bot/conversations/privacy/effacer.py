"""Erasing a trainee's personal data, for admins (``/effacer``).

    Admin  /effacer
    Bot    Dans quelle formation ?  [Agent de restauration (démo) (…)] …
    Admin  Agent de restauration (démo)
    Bot    Les données de quelle personne effacer ? Touchez son nom, ou tapez quelques lettres.
    Admin  Karim
    Bot    Effacer les données de Karim Benali (Agent de restauration (démo)) ?
           Seront effacés : son nom et son entreprise, 3 absences, 1 suivi de décrochage,
           2 documents, 0 attestation non encore transmise…
           Gardé tel quel : 1 attestation déjà envoyée au financeur dans un dossier de
           preuves (obligation légale de l'organisme : le financeur peut contrôler…).
           La personne ne représentera plus les stagiaires. Elle sera retirée du bilan
           du jeudi 14 janvier 2027 à 14 h 00 ; …
           C'est définitif.   [Effacer définitivement] [Annuler]
    Admin  Effacer définitivement
    Bot    C'est fait : les données de cette personne sont effacées. Elle apparaît
           désormais comme « Personne effacée n° 12 ». Elle ne représente plus les
           stagiaires et a été retirée du bilan du jeudi 14 janvier 2027 à 14 h 00.
           L'effacement est noté au journal, sans son nom.

A name after the command (``/effacer karim``) picks the trainee at once.  A bilan's
participant who types ``/effacer`` is told whom to ask: the organisme holds their data.
The service is :func:`bot.privacy.erasure.erase_trainee`; what is kept and
why is said before the admin confirms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot import dates
from bot.conversations.absences.steps import preset_trainee, who_steps
from bot.conversations.kit import aside
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome
from bot.conversations.kit.steps import Confirm
from bot.conversations.privacy.mesdonnees import holders
from bot.messages import Reply
from bot.people.chats import tell_person
from bot.privacy.erasure import erase_trainee, erased_name
from bot.privacy.erasure_plan import Plan, plan_erasure


async def effacer_start(ctx: Context) -> Outcome | None:
    if ctx.actor is not None and not ctx.actor.is_member:
        # A bilan's participant: the organisme holds their data and erases it.
        _, by = await holders(ctx)
        ctx.say("privacy.erase_ask", holders=by)
        return Leave()
    await preset_trainee(ctx, "effacer")
    return None


async def after_trainee(ctx: Context, picked: str) -> Outcome:
    ctx.data["trainee_id"] = picked
    return Next("confirm")


def bilans_of(ctx: Context, plan: Plan) -> list[str]:
    """The bilans the person is taken off, as read in the organisation's time zone."""
    return [dates.spell_datetime(moment.astimezone(ctx.tz)) for moment in plan.bilans]


async def plan_values(ctx: Context) -> Mapping[str, Any]:
    plan = await plan_erasure(ctx.session, ctx.organisation_id, ctx.data.get("trainee_id"))
    if plan is None:
        return {"plan": None}
    return {
        "plan": plan,
        "kept": plan.sent.given,
        "sent": plan.sent,
        "name": plan.trainee.full_name,
        "formation": plan.formation.title,
        "bilans": bilans_of(ctx, plan),
    }


async def erase(ctx: Context) -> Outcome:
    plan = await erase_trainee(
        ctx.session,
        ctx.organisation_id,
        ctx.data.get("trainee_id"),
        ctx.person_id,
        ctx.now,
        asking=ctx.incoming.key,
    )
    if plan is None:
        ctx.say("privacy.trainee_gone")
        return Leave()
    # Her own dialogue about the person, set aside for /effacer, goes too: the engine writes
    # this chat's state after the erasure (explorer AX2: /reprendre showed the name again).
    waiting = ctx.data.get(aside.KEY) or {}
    dropped = str((waiting.get("data") or {}).get("trainee_id")) == str(plan.trainee.id)
    if dropped:
        ctx.data.pop(aside.KEY)
    ctx.say(
        "privacy.erased",
        pseudonym=erased_name(plan.trainee.id),
        kept=plan.sent.given,
        sent=plan.sent,
        delegate=plan.delegate,
        bilans=bilans_of(ctx, plan),
        dropped=dropped,
    )
    owner = plan.formation.owner_id
    if owner != ctx.person_id:
        # The formation's trainer is told, without the name erased (explorer Z, Z12: the
        # trainee just vanished from their /appel).
        text = ctx.render(
            "privacy.erased_told",
            by=ctx.actor.name if ctx.actor else "",
            formation=plan.formation.title,
            pseudonym=erased_name(plan.trainee.id),
        )
        await tell_person(
            ctx.session,
            owner,
            Reply(text=text),
            key=f"erased:{plan.trainee.id}:owner",
            organisation_id=plan.formation.organisation_id,
            prefer=ctx.incoming.platform.value,
        )
    return Leave()


async def keep(ctx: Context) -> Outcome:
    ctx.say("privacy.not_erased")
    return Leave()


FLOW = Flow(
    "effacer",
    # Its command, /aide line and who may use it: bot/features/privacy.py.
    start=effacer_start,
    steps=[
        *who_steps("privacy", after_trainee),
        Confirm(
            "confirm",
            ask="privacy.confirm_erase",
            values=plan_values,
            yes=erase,
            no=keep,
            yes_label="Effacer définitivement",
            exact=True,
            no_label="Annuler",
        ),
    ],
)

FLOWS = [FLOW]
