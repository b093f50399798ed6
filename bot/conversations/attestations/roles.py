"""The roles a participant may swear under, and a role said in words.

    Bot   À quel titre participez-vous à ce bilan ? D'après votre invitation, vous y
          représentez les stagiaires …  [Je représente les stagiaires]
          [Je suis stagiaire de la formation]
    Vous  non je suis stagiaire          (the trainee's role: explorer SB12)

The questions themselves are :mod:`~bot.conversations.attestations.identity`'s.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.answers import AGREEING, fold
from bot.attestations import invitations
from bot.attestations.concerns import ROLE_CONFIRMING
from bot.conversations.attestations.held import invited, load
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Retry
from bot.conversations.kit.steps import Option

DELEGATE_ROLE = Option(
    "Je représente les stagiaires",
    "delegate",
    words=(
        *("delegue", "deleguee", "je suis delegue", "je suis deleguee", "je suis le delegue"),
        *("je suis la deleguee", "delegue des stagiaires", "deleguee des stagiaires"),
        *("je represente les stagiaires", "representant des stagiaires"),
    ),
)
"""With what someone who never used a bot writes for it (explorer U U9: « je suis
déléguée » was « Je n'ai pas reconnu ce choix »).  The labels speak as the person, with no
gender to guess, as the sworn text's « représentant les stagiaires » (explorer AI14:
« Délégué ou déléguée des stagiaires », both genders written to the person herself)."""
PARTNER_ROLE = Option(
    "Je représente une structure partenaire (qui oriente ou accompagne)",
    "partner",
    words=("partenaire", "je suis partenaire", "comme partenaire"),
)
TRAINEE_ROLE = Option(
    "Je suis stagiaire de la formation", "trainee", words=("stagiaire", "je suis stagiaire")
)
ROLES_OF = {
    "delegate": (DELEGATE_ROLE, TRAINEE_ROLE),
    "trainee": (TRAINEE_ROLE,),
    "partner": (PARTNER_ROLE,),
}
"""The roles an invitation makes true, its own first.  The text cites art. 441-7 of the
code pénal, so nobody is offered a role the bot knows to be false (explorer AE2: a trainee
invited outside the delegation, and a partner, could swear « représentant les
stagiaires »).  A delegate is a trainee of the formation too, and may say only that
(stepped down, replaced): the trainer is told (:func:`bot.attestations.concerns.concerns_of`)."""
ANY_ROLE = (DELEGATE_ROLE, TRAINEE_ROLE, PARTNER_ROLE)
"""For an invitation whose role the bot does not know: the question is there for it."""
ROLE_NAMED = (
    ("delegate", re.compile(r"\bdelegue(?:e|s|es)?\b|\brepresent\w* (?:les |des )?stagiaires\b")),
    ("partner", re.compile(r"\bpartenaires?\b")),
    ("trainee", re.compile(r"\bstagiaire\b")),
)
"""A role named in a few words (folded), the one an invitation may not allow: « je suis
déléguée », « partenaire », « stagiaire »."""
YES_WORDS = (
    *AGREEING,
    *("c est moi", "c est ca", "oui c est moi", "oui c est ca"),
)
"""A « oui » to a question that proposes what the invitation says (the name, the role)."""


async def role_confirmed(ctx: Context) -> str | None:
    """The role a sentence only confirms: « oui je suis bien le délégué de la formation »,
    « oui, c'est moi le délégué du groupe » (explorer JB5: passed on to the trainer, and the
    oath then held back as a reserve). The role named if offered, or the invitation's; the
    delegation denied alone leaves the trainee (explorer SB12: « non je suis stagiaire »,
    « je suis plus déléguée » were « Je n'ai pas reconnu ce choix »)."""
    typed = fold(ctx.incoming.text)
    denied = _NOT_A_ROLE.findall(typed)  # « je suis plus déléguée » (explorer SB12)
    typed = _NOT_A_ROLE.sub(" ", typed)
    words = set(typed.split())
    if denied or any(said.search(typed) for _, said in ROLE_NAMED):
        words -= _DENYING  # « non je suis stagiaire », « pas délégué, juste stagiaire »
    if not (words or denied) or not words <= ROLE_CONFIRMING:
        return None
    found = await load(ctx)
    if isinstance(found, str):
        return None
    offered = {o.value for o in roles_for(found.participant.kind)}
    named = [kind for kind, said in ROLE_NAMED if said.search(typed) and kind in offered]
    if named:
        return named[0]
    if denied:  # the delegation denied, nothing else said: the trainee left (SB12)
        delegation = all(w.startswith("delegue") for w in denied)
        return "trainee" if delegation and "trainee" in offered else None
    return found.participant.kind if words & {"oui", "moi"} else None


_NOT_A_ROLE = re.compile(
    r"\b(?:pas|plus) (?:le |la |un |une )?(delegue|deleguee|stagiaire|partenaire)\b"
)
"""« pas délégué », « plus déléguée » (folded): a role denied (explorer SB12)."""
_DENYING = frozenset({"non", "ne", "n", "juste", "seulement", "simple", "simplement", "mais"})
_DENYING |= {"que", "qu", "sinon", "plutot"}
"""What goes with a role denied or another said instead (« non, juste stagiaire »)."""


def roles_for(kind: str) -> tuple[Option, ...]:
    return ROLES_OF.get(kind, ANY_ROLE)


async def role_options(ctx: Context) -> list[Option]:
    """The roles the invitation allows, its own first, which « oui » also takes."""
    found = await load(ctx)
    kind = "" if isinstance(found, str) else found.participant.kind
    return [
        replace(o, words=(*o.words, *YES_WORDS)) if o.value == kind else o for o in roles_for(kind)
    ]


async def role_values(ctx: Context) -> dict[str, Any]:
    """The invitation's role (``invited``: ``delegate`` | ``partner`` | ``trainee``), which
    a « oui » confirms, and its button's label."""
    expected = await invited(ctx)
    kind = expected.kind if expected is not None else ""
    return {"invited": kind, "first": roles_for(kind)[0].label}


async def role_not_offered(ctx: Context) -> Retry | None:
    """A role typed that the invitation does not allow (« délégué » from a trainee outside
    the delegation): said plainly, with whom to ask if the invitation is wrong, rather
    than « Je n'ai pas reconnu ce choix » or a structure called « délégué »."""
    typed = fold(ctx.incoming.text)
    if ctx.incoming.choice is not None or len(typed.split()) > 8:
        return None
    named = next((kind for kind, words in ROLE_NAMED if words.search(typed)), None)
    found = await load(ctx)
    if named is None or isinstance(found, str):
        return None
    offered = roles_for(found.participant.kind)
    if named in {o.value for o in offered}:
        return None
    return Retry(
        ctx.render(
            "attestation_participant.role_not_offered",
            invited=found.participant.kind,
            several=len(offered) > 1,
            inviter=await invitations.inviter_name(ctx.session, found),
        )
    )
