"""At the attestation's text, a question about it answered in plain words.

    Bot   Voici le texte de votre attestation. … 1. Je l'atteste sur l'honneur …
    Vous  je comprends pas
    Bot   Ce texte dit que vous avez bien participé à ce bilan ; le confirmer vaut
          signature. … (the text and its three answers again)
    Vous  c'est quoi l'article 441-7 ?
    Bot   L'article 441-7 du code pénal punit une fausse attestation d'un an
          d'emprisonnement et de 15 000 euros d'amende. …

Someone who never used a bot, asked to swear under a penal-code article, got « Choisissez
l'une des trois réponses » for « je comprends pas », and « J'ai transmis votre message »
for a question about the article, left waiting for the trainer (explorer QB7).
"""

from __future__ import annotations

import re

from bot.answers import asks, fold
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Retry
from bot.privacy.health import SAID_TEXT, TO_WHOM

_LEAD = (
    r"(?:(?:euh|hein|heu|desole|pardon|mais|alors|bah|ben|excusez moi|bonjour"
    r"|ok|okay|oui|d accord|et|donc)\s+)*"
)
"""What may open the question: « ok ça veut dire quoi ? » is one too (explorer UA9)."""
UNSURE = re.compile(
    _LEAD + r"(?:(?:je\s+)?(?:ne\s+|n\s+)?(?:comprends|comprend|capte|saisis)\s+(?:pas|rien)"
    r"(?:\s+(?:du tout|trop|bien|grand chose|ce texte|le texte|ce que je dois faire"
    r"|quoi faire|quoi repondre|quoi choisir))?"
    r"|(?:j\s+ai\s+|je\s+n\s+ai\s+)?(?:pas|rien)\s+compris(?:\s+(?:le texte|ce texte))?"
    r"|c\s+est\s+quoi(?:\s+(?:ca|ce texte|le texte|cette attestation|l attestation|ce truc))?"
    r"|qu\s+est\s+ce\s+que\s+(?:c\s+est|ca\s+veut\s+dire|ca\s+signifie|je\s+dois\s+faire)"
    r"|(?:ca|ce texte|le texte)\s+veut\s+dire\s+quoi|ca\s+signifie\s+quoi"
    r"|(?:je\s+)?(?:dois\s+faire|dois\s+choisir|dois|fais|fait|choisis|reponds)\s+quoi"
    r"|quoi|hein|comment\s+ca"
    r"|je\s+ne\s+sais\s+pas\s+quoi\s+(?:faire|repondre|choisir)"
    r"|je\s+sais\s+pas\s+quoi\s+(?:faire|repondre|choisir))"
    r"(?:\s+(?:s il vous plait|svp|merci))*"
)
"""« je comprends pas », « c'est quoi ? », « ça veut dire quoi » (folded): the whole reply."""

_SENTENCES = re.compile(r"[.?!;\n]+")

LAW = re.compile(r"\b441\b|\barticle\b|\bcode penal\b")
"""A question about the article the text cites (« c'est quoi l'article 441-7 ? »)."""


def explained(ctx: Context) -> Retry | None:
    """At the text, a typed « je comprends pas » or question about the article: answered in
    plain words, and the text asked again (explorer QB7); else ``None``. Right after the
    health warning, « je comprends pas » is about the warning: what it means and the three
    ways to answer it, the words still held (explorer SB5: « Choisissez l'une des trois
    réponses » again); any other reply there answers the warning."""
    if ctx.incoming.choice is not None:
        return None
    typed = fold(ctx.incoming.text)
    if ctx.data.get(SAID_TEXT) is not None:
        if UNSURE.fullmatch(typed) is None:
            return None
        inviter = str(ctx.data.get(TO_WHOM) or "") or None
        return Retry(ctx.render("attestation_participant.explain_health", inviter=inviter))
    # One sentence only: « c'est quoi l'article 441-7 ? je suis parti à 15h » says more, and
    # goes to the trainer as before (explorer SB4: the note of leaving early was dropped).
    alone = len([c for c in _SENTENCES.split(ctx.incoming.text) if c.strip()]) == 1
    if LAW.search(typed) is not None and len(typed.split()) <= 12 and alone:
        return Retry(ctx.render("attestation_participant.explain_law"))
    if UNSURE.fullmatch(typed) is not None:
        return Retry(ctx.render("attestation_participant.explain_text"))
    return None


def oath_asked(ctx: Context) -> Retry | None:
    """A typed oath that asks (« je l'atteste ? », « oui ? », « 1 ? »): never the oath, the
    text explained in plain words and asked again (explorer UA8: a question signed the
    attestation, the trainer told « a attesté sur l'honneur »); else ``None``. « 1 ? » is
    read as the button numbered 1 before the step, its text kept: no button says « ? ». Any
    question mark asks: « oui ？ » (full-width), « oui ¿ » (explorer XA5)."""
    if asks(ctx.incoming.text):  # « oui ？ », « oui ¿ » too (explorer XA5)
        return Retry(ctx.render("attestation_participant.explain_text"))
    return None


_ROLE_DOUBT = re.compile(
    _LEAD + r"(?:(?:je\s+)?(?:ne\s+|n\s+)?sais\s+pas(?:\s+(?:trop|quoi\s+(?:choisir|repondre)))?"
    r"|aucune\s+idee|(?:c\s+est\s+)?(?:quoi|quelle)\s+(?:est\s+)?la\s+difference"
    r"|(?:je\s+)?(?:suis|represente)\s+quoi|c\s+est\s+quoi\s+(?:representer|un\s+partenaire))"
    r"(?:\s+(?:s il vous plait|svp|merci))*"
)
"""« je sais pas », « c'est quoi la différence ? », « je suis quoi ? » (folded) at the role."""


def role_explained(ctx: Context, invited: str) -> Retry | None:
    """At the role question, « je sais pas » or « c'est quoi la différence ? »: each role said
    in plain words, the invitation's first, and the question asked again (explorer KE9:
    « Je n'ai pas reconnu ce choix : rien dans la liste ne correspond à … »)."""
    typed = fold(ctx.incoming.text)
    if ctx.incoming.choice is not None:
        return None
    if UNSURE.fullmatch(typed) is None and _ROLE_DOUBT.fullmatch(typed) is None:
        return None
    return Retry(ctx.render("attestation_participant.explain_role", invited=invited))


_STRUCTURE_DOUBT = re.compile(
    _LEAD + r"(?:c\s+est\s+quoi\s+(?:une|la|ma)\s+structure|quelle\s+structure"
    r"|(?:une|la)\s+structure\s+(?:c\s+est\s+quoi|comment\s+ca)|c\s+est\s+a\s+dire"
    r"|je\s+represente\s+qui|qu\s+est\s+ce\s+que\s+je\s+mets|je\s+mets\s+quoi)"
    r"(?:\s+(?:s il vous plait|svp|merci))*"
)
"""« c'est quoi une structure ? », « quelle structure ? », « je mets quoi ? » (folded)."""


def structure_explained(ctx: Context) -> str | None:
    """At a partner's structure question, « je sais pas », « c'est quoi ? » or « c'est quoi
    une structure ? »: what is asked, in plain words with examples (explorer KE12: « Je n'ai
    pas compris : écrivez seulement le nom de la structure … », the newcomer no wiser)."""
    typed = fold(ctx.incoming.text)
    if ctx.incoming.choice is not None:
        return None
    doubts = (UNSURE, _ROLE_DOUBT, _STRUCTURE_DOUBT)
    if all(doubt.fullmatch(typed) is None for doubt in doubts):
        return None
    return ctx.render("attestation_participant.explain_structure")
