"""The chargé(e) de mission's agreement for a trainee who is not a delegate, at a remote
Normandie bilan: called when such a trainee is ticked (``/bilan``) or added (``/bilans``).

    Bot  Lors d'un bilan à distance, seuls les représentants des stagiaires sont conviés ;
         si d'autres stagiaires souhaitent prendre la parole, il faut vous rapprocher de
         Mme Sophie Leroy (fiche procédure bilan à distance, Région Normandie, §I).
         Avez-vous l'accord de Mme Sophie Leroy pour que Karim Benali participe ?
         [Oui, j'ai cet accord] [Non, préparer le message]
    You  Oui, j'ai cet accord
    Bot  Qui a donné cet accord ?  [Mme Sophie Leroy] [Une autre personne]
    You  Mme Sophie Leroy
    Bot  Quel jour cet accord a-t-il été donné ? Par exemple « hier » ou « le 20 novembre ».
    You  hier
    Bot  J'ai compris : dimanche 22 novembre 2026. C'est bien ça ?
    You  Oui, c'est ça
    Bot  Comment ?  [Par e-mail] [Par téléphone] [Par message (Tchap)] [De vive voix] …
    You  Par e-mail
         → hands back {"trainee_ids": [...], "by": …, "on": "2026-11-22", "how": "email"}

    You  Non, préparer le message
    Bot  … Voici un message à copier : Bonjour Mme Sophie Leroy, … (nothing handed back)

The caller starts it with ``names``, ``trainee_ids``, ``cm_name``, ``title``
and ``when`` (the bilan's date in words, or empty).
"""

from __future__ import annotations

from datetime import datetime

from bot import texts
from bot.bilans.participants import AGREEMENT_WAYS
from bot.conversations.bilans.partner import a_person
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Next, Outcome, Return, stored_date
from bot.conversations.kit.steps import Confirm, DateStep, Option, Pick, Text
from bot.storage.people import Role

OTHER = "other"


async def refuse(ctx: Context) -> Outcome:
    """No agreement yet: the draft to ask for it, and the trainee stays out."""
    ctx.say(
        "bilan.only_delegates_draft",
        names=ctx.data.get("names") or [],
        cm=ctx.data.get("cm_name"),
        title=ctx.data.get("title"),
        when=ctx.data.get("when"),
    )
    return Return(None)


async def who_choices(ctx: Context) -> list[Option]:
    cm = ctx.data.get("cm_name")
    return [*([Option(cm, "cm")] if cm else []), Option("Une autre personne", OTHER)]


async def picked_who(ctx: Context, picked: str) -> Outcome:
    if picked == "cm":
        ctx.data["agreed_by"] = ctx.data.get("cm_name")
        return Next("agreed_on")
    return Next()


async def check_day(ctx: Context, when: datetime) -> str | None:
    if when.date() > ctx.now.date():
        return ctx.render("bilan.agreement_in_future")
    return None


async def hand_back(ctx: Context, how: str) -> Outcome:
    return Return(
        {
            "trainee_ids": ctx.data.get("trainee_ids") or [],
            "by": ctx.data["agreed_by"],
            "on": stored_date(ctx, "agreed_on").isoformat(),
            "how": how,
        }
    )


DEROGATION = Flow(
    "bilan_derogation",
    role=Role.FORMATEUR,
    summary="noter l'accord de la personne chargée de mission pour un stagiaire non délégué",
    steps=[
        Confirm(
            "agreed",
            ask="bilan.ask_agreement",
            no=refuse,
            yes_label="Oui, j'ai cet accord",
            no_label="Non, préparer le message",
        ),
        Pick("who", ask="bilan.ask_agreement_who", options=who_choices, then=picked_who),
        Text(
            "agreed_by",
            ask="bilan.ask_agreement_name",
            parse=a_person,
        ),
        DateStep(
            "agreed_on",
            ask="bilan.ask_agreement_day",
            prefer="past",
            check=check_day,
            example="hier",
        ),
        Pick(
            "how",
            ask="bilan.ask_agreement_how",
            options=[
                Option(texts.upper_first(label), code) for code, label in AGREEMENT_WAYS.items()
            ],
            then=hand_back,
        ),
    ],
)
