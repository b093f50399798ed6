"""Which of a participant's own words tell the trainer something, read before the bilan's end.

« Absente jeudi, désolée », « finalement 20 minutes », « pas présent finalement » are passed on
however short; « Ok merci, c'est noté, à jeudi » is thanks, kept back; « le lien marche pas »
says the visio does not work.  Pure functions of the typed text (folded), used by
:mod:`~bot.conversations.attestations.words` and the name question.
"""

from __future__ import annotations

import re

from bot.answers import fold
from bot.typos import HELP_WORDS

_BROKEN = re.compile(
    r"\b(?:marche|marchent|fonctionne|fonctionnent|s ouvre|s affiche)"
    r" (?:pas|plus)\b|\b(?:arrive|arrives|reussis) pas a (?:me )?(?:connecter|rejoindre|entrer)"
    r"|\b(?:lien|visio)\w* (?:est )?(?:casse|mort|bloque|plante|invalide|ne marche|ne fonctionne)"
    r"|\bne (?:marche|fonctionne|s ouvre|s affiche) (?:pas|plus)\b"
)
"""« le lien marche pas », « ça marche pas », « la visio ne s'ouvre pas », « j'arrive pas à me
connecter » (folded): the spoken negation too, where « marche » alone is the « ça marche » of
thanks (explorer QB18)."""


def link_broken(text: str) -> bool:
    """Whether ``text`` says the link or the visio does not work (:data:`_BROKEN`)."""
    return _BROKEN.search(fold(text)) is not None


def tells_something(text: str, *, running: bool = False) -> bool:
    """Whether the trainer needs these words: she will not come, will be late (by how much:
    « finalement 20 minutes »), is not there (« pas présent finalement »), or asks what the
    answer does not say; or a sentence of four words or more that is not thanks alone.
    ``running``: the bilan has begun, and « je suis là », « présente », « connecté » tell the
    trainer who is there (explorer UE1: all answered « rien à faire », never passed on)."""
    typed = fold(text)
    if typed in HELP_WORDS:
        return False
    if AWAY.search(typed) or _TIMING.search(typed) or ("?" in text and not _settled(typed)):
        return True
    if _DECLINING.search(typed):
        return True
    if running and _THERE.search(typed):
        return True
    return len(typed.split()) >= 4 and not courtesy_only(text)


AWAY = re.compile(
    r"\b(?:absente?s?|absence|indispo\w*|pas dispo\w*|empeche\w*|retard\w*|malade"
    r"|impossible|annul\w*|(?:peux|pourrai|pourrais|pourra|serai|serais|viendrai|viendrais"
    r"|vais|pense) pas|pas (?:pouvoir|venir|etre la|y etre|participer|assister))\b"
)
"""« absente jeudi », « pas dispo », « empêchée », « en retard », « je ne pourrai pas »."""

_DECLINING = re.compile(
    r"^non\b|\b(?:refus\w*|declin\w*|sans moi|pas possible|travail\w*|bosse\w*|en stage"
    r"|plutot|decal\w*|report\w*|autre (?:jour|date|heure|horaire|creneau|moment)"
    r"|(?:viens|venons|participe|participerai|participerais|participons) pas)\b"
)
"""« je refuse », « non merci », « je viens pas », « sans moi », « je bosse jeudi », « plutôt
vendredi », « on peut décaler » (folded): the invitation declined, or another time asked, in
a few words (explorer KE1: answered « Rien à faire pour l'instant », the trainer never told)."""

_TIMING = re.compile(
    r"\b(?:finalement|en avance|\d+ ?(?:min\w*|mn)|minutes?|quart d heure|demi heure"
    r"|(?:pas|plus) (?:present\w*|connecte\w*|ici)|(?:pas|plus) la(?! peine)|pas encore la)\b"
)
"""« finalement 20 minutes », « 10 min », « en avance », « pas présent », « plus là »: the
time of coming, or not being there, a correction of what was said (explorer UE1)."""

_THERE = re.compile(r"\b(?:present\w*|suis la|sommes la|connecte\w*|arrive\w*|j arrive)\b")
"""Once the bilan has begun, « je suis là », « présente », « connecté », « j'arrive »: who is
there, for the trainer at the visio (explorer UE1)."""

_COURTESY = re.compile(
    r"\b(?:ok|okay|oki|d|accord|merci|beaucoup|bien|bonjour|bonsoir|salut|alors|super|top"
    r"|parfait|tres|a|au|bientot|demain|plus|tard|bonne|journee|soiree|et|cordialement|vous"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|tout|toute|tous|la|le"
    r"|c|est|note|notee|recu|recue|compris|entendu|ca|marche|nickel|genial|cool|impeccable"
    r"|je|j|serai|y|present|presente|pas de (?:souci|soucis|probleme|problemes))\b"
)


def courtesy_only(text: str) -> bool:
    """« ok merci bien, à jeudi alors », « Ok merci, c'est noté, à jeudi »: thanks, nothing to
    pass on (explorers DF10, EA10)."""
    return len(_COURTESY.sub(" ", fold(text)).split()) < 3


_SETTLED = frozenset(
    {"c", "est", "ce", "quand", "ou", "quel", "quelle", "heure", "date", "jour", "lien", "lieu"}
    | {"le", "la", "l", "bilan", "a", "au", "bien", "aura", "il", "y", "ca", "commence", "on"}
    | {"comment", "je", "me", "se", "connecte", "connecter", "rejoindre", "donc", "alors"}
    | {"bonjour", "merci", "ok", "euh", "pardon", "quoi", "qu", "que", "excusez", "moi"}
    | {"svp", "s", "vous", "plait"}
)
"""The words of a question the answer itself settles: « c'est quand ? », « c'est où ? »."""


def _settled(typed: str) -> bool:
    return all(word in _SETTLED for word in typed.split())
