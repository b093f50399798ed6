"""One outside partner of a bilan, asked from the "partners" menu of ``/bilan``.

    Bot  Invitez-vous des partenaires extérieurs (…) ?
         [Ajouter un partenaire extérieur] [Terminé]
    You  Ajouter un partenaire extérieur
    Bot  Nom du partenaire ? (par exemple « M. Karim Haddad »)
    You  M. Karim Haddad
    Bot  Sa structure ? (par exemple « Mission locale de Caen »), ou « Passer ».
    You  Mission locale de Caen
    Bot  Son adresse e-mail ? Ou « Passer ».  (on Matrix: or her whole Matrix ID)
    You  k.haddad@example.org
    Bot  Partenaires invités : · M. Karim Haddad (Mission locale de Caen) – k.haddad@…
         Un autre partenaire extérieur ?  [Ajouter un partenaire extérieur] [Terminé]

Called by the menu, this dialogue hands the partner back (a dict: name,
structure, contact) and the menu shows the list again.
"""

from __future__ import annotations

from bot.answers import Invalid, typed_matrix_id
from bot.bilans.checks import contact
from bot.bilans.participants import needs_agreement
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Outcome, Return
from bot.conversations.kit.steps import Text
from bot.mailer import looks_like_email
from bot.people.names import (
    bare_name,
    current_structure,
    name_and_structure,
    names_a_structure,
    person_name,
    several_names,
    structure_name,
)
from bot.storage.formations import Formation
from bot.storage.people import Role


async def reachable_by(ctx: Context) -> dict[str, bool]:
    """Matrix on: a Matrix ID is a way to write to her, not otherwise (explorer GE8)."""
    return {"matrix": ctx.settings.has_matrix}


async def parse_contact(ctx: Context, text: str) -> str | Invalid:
    """An e-mail address, or on Matrix a whole Matrix ID: what the bot can write to.  A
    Telegram « @pseudo » was asked, stored, shown and never used (explorer GE8): a bot
    cannot write to a username, nor to a Matrix name without its server.

    A Matrix ID typed with capitals (« @Karim.Haddad:matrix.org », copied from a display
    name) is kept lower-case, as an e-mail is: user parts are lower-case in the Matrix
    grammar, and servers create them so (explorer JA12: it was refused as not « entier »)."""
    found = contact(text)
    matrix = ctx.settings.has_matrix
    if found is not None and looks_like_email(found):
        return found
    if found is not None and matrix and (user := typed_matrix_id(found)):
        return user
    handle = found is not None
    return Invalid(ctx.render("bilan.contact_invalid", matrix=matrix, handle=handle))


async def hand_back(ctx: Context, _contact: object) -> Outcome:
    return Return(
        {
            "name": ctx.data["name"],
            "structure": ctx.data.get("structure"),
            "contact": ctx.data.get("contact"),
        }
    )


async def a_person(ctx: Context, text: str) -> str | Invalid:
    """A person's name as it will be printed on the agenda, the draft e-mail and the
    invitation: letters, no sentence, no markup (« <b>Marc</b> » is refused); not the
    formation's chargée de mission, who is told by her own message and attests nothing
    (explorer U U5: invited to sign « l'attestation demandée par la Région »)."""
    name = person_name(
        text, example="M. Karim Haddad", unclear=ctx.render("bilan.partner_name_invalid")
    )
    if not isinstance(name, str):
        return name
    if several_names(name):
        # « Mission locale de Caen, Julie Vasseur »: the structure is the next question, and
        # was printed as her name (explorer Z, Z11); « Vasseur, Julie » stays a name.
        return Invalid(ctx.render("bilan.partner_name_and_structure"))
    if names_a_structure(name):  # « Pôle emploi » as her name (explorer AD14)
        return Invalid(ctx.render("bilan.partner_name_is_structure", typed=name))
    both = name_and_structure(name)
    if both is not None:  # « mme durand pole emploi caen » (explorer DG9)
        said = {"name": both[0], "structure": both[1]}
        return Invalid(ctx.render("bilan.partner_name_with_structure", **said))
    formation_id = ctx.data.get("formation_id")
    formation = await ctx.session.get(Formation, int(formation_id)) if formation_id else None
    cm = formation.cm_name if formation is not None else None
    if cm and bare_name(name) == bare_name(cm):
        return Invalid(ctx.render("bilan.partner_is_cm", cm=cm))
    # Explorer W, W1: a trainee as « partenaire » passed by the delegates-only rule (000 §I),
    # and would have sworn to a role that is not theirs.
    trainees = formation.trainees if formation is not None else []
    trainee = next(
        (t for t in trainees if not t.erased and bare_name(t.full_name) == bare_name(name)), None
    )
    if trainee is not None:
        assert formation is not None
        agreement = needs_agreement(formation, trainee, remote=bool(ctx.data.get("remote")))
        return Invalid(ctx.render("bilan.partner_is_trainee", t=trainee, agreement=agreement))
    # W2: the same partner twice got two links, one never answered: the file never complete.
    if any(bare_name(name) == bare_name(str(taken)) for taken in ctx.data.get("taken") or []):
        return Invalid(ctx.render("bilan.partner_twice", name=name))
    return name


def partner_data(formation_id: int, taken: list[str], *, remote: bool) -> dict[str, object]:
    """What the partner dialogue starts with: the formation (its chargé(e) de mission and
    trainees are no partners), the partners already invited (not twice), and whether the
    bilan is remote (a trainee outside the delegation needs the Région's agreement then)."""
    return {"formation_id": formation_id, "taken": taken, "remote": remote}


async def a_structure(ctx: Context, text: str) -> str | Invalid:
    """The partner's structure (« Mission locale de Caen », « CIDFF 14 »), as printed: under
    its current name, said (explorer AD14: « Pôle emploi Caen » printed on the invitation)."""
    typed = structure_name(text, unclear=ctx.render("bilan.structure_invalid"))
    if isinstance(typed, Invalid):
        return typed
    current = current_structure(typed)
    if current != typed:
        ctx.say("bilan.structure_renamed", typed=typed, current=current)
    return current


PARTNER = Flow(
    "bilan_partner",
    role=Role.FORMATEUR,
    summary="ajouter un partenaire à un bilan",
    steps=[
        Text(
            "name",
            ask="bilan.ask_partner_name",
            parse=a_person,
        ),
        Text(
            "structure",
            ask="bilan.ask_partner_structure",
            parse=a_structure,
            skip_label="Passer",
        ),
        Text(
            "contact",
            ask="bilan.ask_partner_contact",
            parse=parse_contact,
            values=reachable_by,
            skip_label="Passer",
            then=hand_back,
        ),
    ],
)
