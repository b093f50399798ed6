"""What a participant's sentence claims about the bilan she is asked to attest: the oath typed
rather than pressed (« J'atteste sur l'honneur avoir participé »), or that she took part
(« mais si j'ai participé »), which no reason for not taking part can say.  Words only: the
dialogues decide what such a sentence does at their question."""

from __future__ import annotations

import re

from bot.answers import fold

_CLAUSES = re.compile(r"[,;:.!?…()\n]+")

_CLAIM = re.compile(
    r"(?:^|\s)(?P<if>si\s+)?j\s*(?:"
    r"ai\s+(?:bien\s+|pourtant\s+|quand\s+meme\s+|effectivement\s+|deja\s+)?"
    r"(?:participe|assiste)"
    r"|y\s*(?:etais|ai\s+participe|ai\s+assiste|suis\s+allee?)(?:\s+bien)?"
    r"|(?P<was>etais)\s+(?:bien\s+)?(?P<there>la|presente?|connectee?))"
    r"(?=\s|$)"
)
_NEGATION = frozenset({"pas", "plus", "jamais", "point", "rien"})
_PREPOSITIONS = frozenset({"a", "au", "aux", "chez", "en", "dans", "avec", "pour", "sur", "de"})
_DETERMINERS = frozenset({"le", "la", "l", "les", "ce", "cette", "cet", "tout", "toute", "du"})
_THIS_BILAN = frozenset(
    {"bilan", "visio", "visioconference", "distance", "ligne", "teams", "zoom", "entier"}
)
_AFTER_THERE = frozenset(
    {"mais", "et", "pourtant", "moi", "aussi", "bien", "hier", "ce", "de", "du", "a", "au"}
    | {"en", "je", "j", "quand", "tout", "toute", "jusqu", "lundi", "mardi", "mercredi"}
    | {"jeudi", "vendredi", "samedi", "dimanche", "pendant", "avec", "donc"}
)
"""What may follow « j'étais là » (not « j'étais la seule », « j'étais là-bas »)."""
_PLAIN = (_AFTER_THERE | _THIS_BILAN | _DETERMINERS | _PREPOSITIONS) - {"je", "j", "mais", "et"}
"""The words that leave « si j'étais là … » the whole answer, not a condition."""


_OATH = re.compile(
    r"(?:(?:oui|ok)\s+)?(?:je\s+l\s*|je\s+le\s+|je\s+|j\s*)(?:atteste|certifie|jure)"
    r"(?:\s+sur\s+l\s*honneur)?(?:\s+(?:avoir|que\s+j\s*ai)\s+(?:bien\s+)?participe"
    r"(?:\s+(?:a\s+ce|au)\s+bilan)?)?(?:\s+merci)?"
)


def sworn(text: str) -> bool:
    """The oath typed rather than pressed: « J'atteste sur l'honneur avoir participé », « je
    l'atteste sur l'honneur » (explorer MB4: passed on to the trainer as a message at the
    text, saved as the reason for not taking part at the reason)."""
    return _OATH.fullmatch(" ".join(_CLAUSES.sub(" ", fold(text)).split())) is not None


def took_part(text: str) -> bool:
    """« mais si j'ai participé, la date est fausse », « j'y étais », « j'ai bien participé
    au bilan »: no reason for not taking part (explorer DB5).  Not « J'ai participé à une
    journée de recrutement », « si j'étais venue … », « J'étais la seule de l'équipe au
    magasin », « j'y étais pas autorisée »: true reasons (explorer EA5)."""
    clauses = [c for c in (fold(part) for part in _CLAUSES.split(text)) if c]
    for at, clause in enumerate(clauses):
        for claim in _CLAIM.finditer(clause):
            rest = clause[claim.end() :].split()
            if rest[:2] == ["en", "fait"]:  # « j'ai participé en fait » (explorer UA3)
                rest = rest[2:]
            if not _claims_this_bilan(rest, there=claim["there"] == "la"):
                continue
            # « si j'étais là, je n'aurais pas … » is a condition; « mais si j'étais là
            # jeudi ! » (the whole answer) says she was.
            said_more = at < len(clauses) - 1 or any(w not in _PLAIN for w in rest)
            if claim["if"] and claim["was"] and said_more:
                continue
            return True
    return False


def _claims_this_bilan(rest: list[str], *, there: bool) -> bool:
    """Whether the words after « j'ai participé » (« j'étais là ») leave it a claim of taking
    part in this bilan: nothing, « au bilan », « jeudi », « mais … »; not « à une journée de
    recrutement », « pas autorisée », nor « la seule » after « j'étais la »."""
    if not rest:
        return True
    first = rest[0]
    if first in _NEGATION:
        return False
    if first in _PREPOSITIONS:
        noun = next((w for w in rest[1:] if w not in _DETERMINERS), "")
        return noun in _THIS_BILAN or noun[:1].isdigit()
    return first in _AFTER_THERE if there else True


_WRONG_BUTTON = re.compile(
    r"(?:(?:oups|oops|oh|ah|euh|pardon|desolee?|non|ah non|zut|mince)\s+)*(?:"
    r"(?:je\s+)?(?:me\s+suis|m\s+suis)\s+trompee?"
    r"(?:\s+de\s+(?:bouton|reponse|choix|touche|case))?"
    r"|(?:c\s+est\s+)?(?:un\s+|une\s+|le\s+|la\s+)?mauvaise?\s+(?:bouton|reponse|choix|touche|case)"
    r"|(?:c\s+est\s+)?(?:une\s+)?erreur(?:\s+de\s+(?:bouton|ma part|manip\w*|clic|frappe))?"
    r"|(?:j\s+ai\s+)?(?:appuye|clique|tape|repondu)\s+(?:sur\s+le\s+mauvais\s+bouton|par\s+erreur"
    r"|trop\s+vite)|pas\s+(?:le\s+)?bon\s+bouton"
    # A slip or a take-back alone (explorer XA6): « oups », « mais si », « attendez »,
    # « je veux revenir en arrière », « annuler ».
    r"|oups|oops|zut|mince|(?:mais\s+)?si(?:\s+si)*"
    r"|(?:attendez|attends|attendre|stop)(?:\s+(?:une\s+)?(?:minute|seconde|svp))?"
    r"|(?:je\s+(?:veux|voudrais|peux|vais)\s+|on\s+peut\s+|comment\s+)?"
    r"(?:revenir|retourner|retour)(?:\s+(?:en\s+arriere|au\s+texte|a\s+l\s+attestation))?"
    r"|retour\s+en\s+arriere|marche\s+arriere"
    r"|(?:je\s+(?:veux|voudrais|peux|vais)\s+)?(?:annuler|annulez|annule)"
    r"(?:\s+(?:ma\s+reponse|mon\s+choix|ca))?"
    r")(?:\s+(?:desolee?|pardon|merci|svp))*"
)


def wrong_button(text: str) -> bool:
    """« je me suis trompé de bouton », « mauvais bouton », « erreur », the whole reply: the
    person pressed « Je n'ai pas participé » by mistake, which is no reason for not taking
    part (explorer UA3: the decline was recorded, « je me suis trompé de bouton » its reason
    for the Région). So is a slip or a take-back alone: « oups », « mais si », « attendez »,
    « je veux revenir en arrière », « annuler » (explorer XA6: each was recorded as the
    decline's reason)."""
    return _WRONG_BUTTON.fullmatch(" ".join(_CLAUSES.sub(" ", fold(text)).split())) is not None


_PASSING = re.compile(
    r"(?:(?:euh|bah|ben|non|desolee?|alors)\s+)*(?:"
    r"(?:je\s+|on\s+)?(?:prefere\s+|prefererais\s+|voudrais\s+|vais\s+)?passe[rz]?"
    r"(?:\s+mon\s+tour)?"
    r"|(?:il\s+n\s+y\s+a\s+|je\s+n\s+ai\s+|j\s+ai\s+)?(?:pas|aucune)\s+(?:de\s+)?raisons?"
    r"(?:\s+particulieres?)?"
    r"|(?:je\s+)?(?:ne\s+|n\s+)?(?:sais|peux|prefere|veux)\s+(?:pas|plus)(?:\s+(?:trop|vraiment))?"
    r"(?:\s+(?:le\s+)?(?:dire|repondre|en\s+parler))?"
    r"|(?:je\s+)?prefere\s+ne\s+(?:pas|rien)\s+(?:le\s+)?(?:dire|repondre|en\s+parler)"
    r"|rien\s+a\s+dire"
    r")(?:\s+(?:svp|s il vous plait|merci|desolee?))*"
)
"""« je préfère passer », « Passer svp », « pas de raison », « je sais pas », « je peux pas
dire »: no reason, as « Passer », « rien » are (explorer UA3: saved as the reason); « je ne
sais plus », « je passe mon tour » too (explorer XA6)."""


def passing(line: str) -> bool:
    """Whether the reply declines to give a reason (:data:`_PASSING`)."""
    return _PASSING.fullmatch(fold(line)) is not None
