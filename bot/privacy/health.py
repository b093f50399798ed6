"""Health in what people write: pointed out once before it is kept.

Two readings, for two readers. What a participant writes to decline a bilan
goes to the Région, which needs no word of health at all (:data:`HEALTH`,
explorer W, W13). A trainer's notes (an absence's motive, a follow-up's
observations, a compte rendu) go to the organisation's file, where « arrêt
maladie » is the motive the question itself offers, but a diagnosis or a
treatment is a medical detail no file needs (:data:`MEDICAL_DETAIL`, explorer
Z, Z5: « arrêt maladie, gastro », « son traitement contre la dépression »
were printed in the PDF without a word). Either is said once, and kept if
sent again unchanged: the person may have a reason we cannot see.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.answers import AGREEING, fold
from bot.privacy.courtesy import COURTESY, trimmed, without_courtesy

_DETAILS = (
    r"grippe|gastro\w*|covid\w*|fievre|angine|bronchite|rhume|migraines?|otite"
    r"|depression|depressive?|antidepresseurs?|burn out|anxiete|angoisses?|psychiatr\w*"
    r"|psycholog\w*|psy|therapie|cancer|chimio\w*|diabete|asthme|allergie|infection"
    r"|enceinte|grossesse|accouchement|fausse couche|ivg|opere|operee|chirurgi\w*"
    r"|operation(?! (?:de |d |du |des |de la )?(?:maintenance|commerciale|escargot|portes ouvertes"
    r"|communication|nettoyage|inventaire|informatique|bancaire|controle|police|securite"
    r"|depannage|livraison|promo\w*|marketing|recrutement|demenagement|travaux|sauvetage"
    r"|caisse|stock|vente|logistique|transport|chantier|montage|deminage|reseau)\b)"
    r"|fracture|entorse|blessure|blesse|blessee|traitements?|medicaments?|handicap"
    r"|addiction|alcool\w*|drogues?|suicid\w*"
)
_CATEGORIES = (
    r"malade|maladie|arret (?:de )?travail|medecin|medica(?:l|le|ux|les)|hopital|hospitalis\w*"
    r"|(?<!bonne )(?<!votre )(?<!a ta )sante|(?:pas|plus) en bonne sante|soins (?:dentaires|infirmiers|hospitaliers|intensifs|palliatifs)"
    r"|(?<!plusieurs )(?<!quelques )(?<!deux )(?<!trois )(?<!d autres )urgences"
    r"(?! (?:familiales|professionnelles|personnelles|administratives|pro|perso|clients?"
    r"|boulot|a gerer|a traiter|au travail|au bureau)\b)"
    r"|(?<!parer )(?<!face )(?<!repondre )a l urgence"
    r"|urgence (?:vitale|pediatrique|dentaire|hospitaliere)"
)
"""« une urgence » (a family's, a job's) and « soins » (« soins à un proche ») alone are no
word of health (explorer HB8: « parti à 14h30, urgence » was « Votre réponse parle de
santé »); the emergency ward (« urgences », « à l'urgence ») and medical soins are
(explorer JB8: « soins médicaux », « soins dentaires », « urgences pédiatriques » had
lost the warning with them; « médicaux » is the plural of « médical »). « Des urgences
familiales » is kept without the warning, by decision (explorer FT): an event in the family,
no word of anyone's health. Nor are « faire face / parer / répondre à l'urgence », « urgences
pro / perso / client », « plusieurs urgences » (explorer KA5: the warning came for them).
Nor is « bonne santé » (« Bonne année et bonne santé à toute l'équipe ! », « à votre santé »)
unless « pas en bonne santé », nor a work « opération » (« de maintenance », « commerciale »,
« portes ouvertes », :data:`_DETAILS`): explorer MA8, the New Year wish got the warning."""

MEDICAL_DETAIL = re.compile(rf"\b(?:{_DETAILS})\b")
"""A diagnosis, a treatment or a condition (folded): more than a file's motive needs."""

HEALTH = re.compile(rf"\b(?:{_DETAILS}|{_CATEGORIES})\b")
"""Any word of health (folded), the categories (« arrêt maladie ») too."""

SAID = "_health_said"
"""The answer last pointed out, in the dialogue's data: sent again, it is kept. Its digest
(:func:`said_digest`), never the words (explorer ZA18: they rested there as typed)."""


def said_digest(text: str) -> str:
    """What :data:`SAID` holds for ``text``: a digest of it as compared (folded)."""
    return "said:" + hashlib.sha256(fold(text).encode()).hexdigest()[:16]


SAID_TEXT = "_health_said_text"
"""The same answer as it was typed: what « oui » to the warning keeps."""

TO_WHOM = "_health_to"
"""Who reads the words pointed out (the trainer's name), whom a keep may name: « transmettez-le
à Camille » (:func:`keeping_explicitly`, explorer QA6)."""

KEEPING = frozenset(
    {
        *AGREEING,
        "je garde",
        "je la garde",
        "je le garde",
        "garder",
        "gardez",
        "gardez la",
        "gardez le",
        "on garde",
        "telle quelle",
        "tel quel",
        "je laisse",
        "je la laisse",
        "laissez",
        "laissez la",
        "oui je garde",
        "oui je la garde",
        "oui gardez",
        "oui gardez la",
        "oui telle quelle",
    }
)
"""Answers to the warning itself (« renvoyez-la telle quelle pour la garder ») that say keep it."""

_KEEPING = re.compile(
    r"(?:(?:oui|ok|d accord|si)\s+)?(?:"
    r"(?:je|on)\s+(?:(?:vous|te|lui)\s+)?(?:(?:le|la|l)\s+)?(?:(?:vous|te|lui)\s+)?"
    r"(?:garde|laisse|renvoie|envoie|transmets|transmet|maintiens|veux le transmettre"
    r"|veux la transmettre|prefere le garder|prefere la garder)"
    r"|(?:gardez|laissez|renvoyez|envoyez|transmettez)(?:\s+(?:le|la))?(?:\s+(?:lui|moi))?"
    r"|(?:(?:le|la)\s+)?(?:garder|transmettre|laisser)"
    r")?(?:\s*(?:tel quel|telle quelle|tels quels|comme ca|comme il est|comme elle est"
    r"|quand meme|malgre tout))*(?:\s+merci)?"
)
"""« je le garde tel quel », « je vous le renvoie tel quel », « transmettez-le quand même »,
« tel quel merci » (folded): the warning's own invitation (« renvoyez-le tel quel ») answered
in words (explorer MA7: they were passed on, and signed, as the participant's message)."""


_POLITE = r"(?:\s+(?:s il vous plait|s il te plait|svp|stp|merci))*"
_YOU_MAY = (
    r"(?:(?:oui|ok|d accord|si|c est bon|non non)\s+)*(?:vous\s+)?(?:pouvez|pourriez|pouvoir)\s+"
    r"(?:(?:le|la|l)\s*)?(?:lui\s+)?(?:transmettre|envoyer|garder|laisser|renvoyer)"
    r"{to}"
    r"(?:\s*(?:tel quel|telle quelle|comme ca|comme il est|comme elle est|quand meme"
    r"|malgre tout|aussi))*" + _POLITE
)
"""« oui vous pouvez le transmettre », « vous pouvez l'envoyer quand même », « c'est bon vous
pouvez le garder » (folded): keeping, asked politely (explorer MB3)."""

_TRAINER = r"(?:(?:ma|mon|la|le|votre|notre)\s+)?(?:formatrice|formateur|prof|referente?)|elle|lui"


def _to_someone(to: str) -> str:
    """« à Camille Durand », « à Camille », « à ma formatrice » (``to``: the trainer's name),
    which a keep may name; not « à personne », « à la poubelle », « au secrétariat », « à mon
    patron »: the words would go to the trainer all the same (explorer QA6: any one or two
    words after « à » were taken for the trainer, and the health detail sent and signed).
    No trainer (``to`` empty: the reason for not taking part, read by the Région): no one
    may be named, « transmettez-la à ma formatrice » is no keep for the Région's dossier
    (explorer SB2: it saved the health detail there, while « à Camille Durand » was asked)."""
    words = fold(to).split()
    if not words:
        return ""
    names = sorted({" ".join(words), words[0], words[-1]} if words else (), key=len, reverse=True)
    who = "|".join([*(rf"(?:(?:madame|monsieur|mme)\s+)?{re.escape(n)}" for n in names), _TRAINER])
    return rf"(?:\s+(?:a|au)\s+(?:{who}))?"


_NOBODY = re.compile(r"\b(?:personne|poubelle|rien|pas|jamais|aucun\w*|nul\w*|ne|n)\b")
"""« transmettez à personne », « envoyez-le à la poubelle » fit the keep's shape (« transmettez
à Camille ») and say the opposite: no clear keep, asked (explorer QA1)."""


def keeping_explicitly(text: str, to: str = "") -> bool:
    """Whether ``text`` says, in so many words, to keep what was pointed out: « tel quel »,
    « je le garde », « transmettez-le à Camille » (``to``: the trainer's name, who reads
    them), « vous pouvez le transmettre », « oui tel quel s'il vous plaît »; not « oui »
    alone (explorer MB9, MB3), nor « renvoyez-le au secrétariat » (explorer QA6)."""
    folded = fold(text)
    if not folded or folded in AGREEING or _NOBODY.search(folded):
        return False
    bare = re.sub(_POLITE + "$", "", folded).strip()
    bare = re.sub(
        r"^((?:(?:oui|ok|d accord|si) )?(?:transmettez|envoyez|renvoyez)(?: le| la)?)"
        + _to_someone(to),
        r"\1",
        bare,
    )
    return (
        bare in KEEPING
        or _KEEPING.fullmatch(bare) is not None
        or re.fullmatch(_YOU_MAY.replace("{to}", _to_someone(to)), folded) is not None
    )


def keeping(text: str, to: str = "") -> bool:
    """Whether ``text`` answers the warning by keeping what was pointed out (explorer AK7, MA7):
    said in words (:func:`keeping_explicitly`, ``to`` the trainer's name), or « oui », « ok »."""
    folded = fold(text)
    return bool(folded) and (folded in KEEPING or keeping_explicitly(text, to))


_REFUSING = re.compile(
    r"(?:(?:non|euh|ah|finalement|en fait|plutot)\s+)*(?:"
    r"non(?:\s+merci)?"
    r"|(?:ne|n)\s+(?:le|la|l)?\s*(?:transmettez|envoyez|gardez|renvoyez|transmettons|envoie"
    r"|transmets|garde)\s+(?:pas|rien|plus)(?:\s+a\s+\S+(?:\s+\S+)?)?"
    r"|(?:je\s+)?(?:ne\s+)?(?:veux|souhaite)\s+pas\s+(?:le|la|qu il|qu elle)\s+\S+.*"
    r"|pas\s+la\s+peine|(?:surtout\s+)?pas"
    r"|(?:supprimez|effacez|annulez|oubliez|retirez|jetez)(?:\s+(?:le|la|les|ca|moi))?"
    r"(?:\s+(?:ce|mon|le|votre)\s+(?:message|texte|mot|msg))?"
    r"|(?:je\s+)?(?:laisse|laissez|on\s+laisse)\s+tomber|(?:je\s+)?(?:le|la|l)?\s*(?:supprime|retire|efface)"
    r"|oubliez\s+ca|laissez\s+ca"
    r")" + _POLITE
)


def refusing(text: str) -> bool:
    """Whether ``text`` answers the warning by dropping what was pointed out: « non », « ne le
    transmettez pas », « non supprimez ce message svp », « je laisse tomber » (explorer MB3:
    they were passed on and signed as the message, or saved as the reason)."""
    folded = fold(text)
    return bool(folded) and _REFUSING.fullmatch(folded) is not None


_ABOUT_THE_MESSAGE = re.compile(
    r"\b(?:transmet\w*|transmis\w*|envoy\w*|envoi\w*|renvoy\w*|renvoi\w*|gard\w*"
    r"|enregistr\w*|not(?:er|ez|e|es|ee|ees)|oubli\w*|retir\w*|supprim\w*|effac\w*|donn\w*)\b"
    r"|\bce (?:message|msg|texte)\b|\btel(?:le)?s? quel(?:le)?s?\b|\bma reponse\b"
)


def about_the_message(text: str) -> bool:
    """Whether a reply to the warning speaks of the message itself, whatever it wants done
    with it: sending, keeping, recording, removing or forgetting it (« Ne transmettez pas ce
    message », « merci de ne pas l'enregistrer », « je retire ma réponse », « allez-y,
    transmettez-le tel quel », « je préfère ne pas la donner »). Such a reply is never itself the message nor the reason:
    the person is asked (explorer QA1: these were passed on and signed, or saved as the
    reason, each time a closed list of phrasings missed one)."""
    return _ABOUT_THE_MESSAGE.search(_NOUN_USE.sub(" ", fold(text))) is not None


_NOUN_USE = re.compile(
    r"\b(?:gardes?|notes?)\s+(?:d(?!\s+accord\b)|de|des|du|alternee|partagee)\b|\bde\s+garde\b"
)
"""« garde », « note » as nouns (« garde d'enfant », « garde alternée », « note de frais »,
« j'étais de garde »): a reason, never talk of keeping or noting the message (explorer AA1:
« garde d'enfant » after the health warning asked « Garder votre réponse telle quelle ? »)."""


_CLAUSES = re.compile(r"[,;:.!?…()\[\]\n]+|\s(?:et|mais)\s", re.IGNORECASE)
_NO_NEWS = frozenset(
    {"oui", "non", "ok", "okay", "d", "accord", "merci", "svp", "stp", "s", "il", "vous"}
    | {"plait", "allez", "y", "bon", "alors", "euh", "ah", "voila", "si", "c", "est", "ca"}
    | {"desole", "desolee", "pardon", "finalement", "en", "fait", "plutot", "surtout"}
    | {"prive", "privee", "personnel", "personnelle", "perso", "confidentiel", "je", "prefere"}
    | {"bien", "sur", "pas", "vraiment", "tout", "compte", "beaucoup", "bonjour", "non"}
)
"""Words that tell nothing new beside talk about the message (« c'est privé », « allez-y »)."""


def only_about_the_message(text: str) -> bool:
    """Whether ``text`` speaks of the message itself (:func:`about_the_message`) and of
    nothing else: every part of it is such talk, a keep, a refusal, or words that tell
    nothing (« c'est privé, ne le transmettez pas », « allez-y, transmettez-le tel quel »).
    A reply that says more (« rendez-vous, je ne veux pas donner de détail », « empêchement
    (je ne veux pas donner de détail) ») is a message of its own, the rewording the warning
    asks for (explorer UA7: it was asked « tel quel ? » about the health words, and « oui »
    kept them). Nor is a reply that only withholds the detail, however little else it says
    (:data:`_WITHHOLDING`: « c'est personnel, je ne veux pas donner de détail »)."""
    if not about_the_message(text):
        return False
    withheld = talked = False
    for clause in _CLAUSES.split(text):
        folded = fold(clause)
        if not folded:
            continue
        if _WITHHOLDING.search(folded) and not refusing(folded) and not keeping(folded):
            withheld = True  # « je ne veux pas donner de détail »: the detail, not the message
        elif about_the_message(folded) or refusing(folded) or keeping(folded):
            talked = True
        elif folded not in CORRECTING and set(folded.split()) - _NO_NEWS:
            return False
    return talked or not withheld


_WITHHOLDING = re.compile(
    r"\b(?:sans|pas de|aucun|aucune|donner|dire|garder|garde|preciser|entrer dans|rentrer dans)"
    r"\s+(?:(?:de|d|les|le|la|des|ce|ces|mes|plus|trop|aucun|aucune)\s+)*(?:details?|precisions?)\b"
)
"""« je ne veux pas donner de détail », « je garde les détails pour moi », « sans détail »
(folded): the detail withheld, as the warning asks, not the message. A reply made of that
and filler (« c'est personnel, je ne veux pas donner de détail ») is the rewording, never
asked « tel quel ? » about the health words (closing 38, WD's rest of explorer UA7); beside
talk of the message itself (« ne transmettez pas ce message, … ») it is still asked."""


CORRECTING = frozenset(
    {
        "je corrige",
        "ok je corrige",
        "oui je corrige",
        "d accord je corrige",
        "je vais corriger",
        "je modifie",
        "je change",
        "non merci",
        "non",
        "pardon",
        "desole",
        "desolee",
        "oups",
        "ah oui",
        "ah d accord",
        "merci",
    }
)
"""Answers to the warning that say a correction comes, not the answer itself (explorer AN9:
« ok je corrige » was saved as the absence's motive)."""


def point_out_once(data: dict[str, Any], text: str, words: re.Pattern[str]) -> bool:
    """Whether ``text`` holds ``words`` and was not pointed out already (then it is now)."""
    folded = fold(text)
    if words.search(folded) is None or data.get(SAID) == said_digest(text):
        return False
    data[SAID] = said_digest(text)
    data[SAID_TEXT] = text
    return True


def kept(data: dict[str, Any], text: str, words: re.Pattern[str]) -> str | None:
    """The answer to keep, or None when ``text`` is to be pointed out (it is now).

    Right after the warning, « oui », « ok » or « je la garde » answer the warning
    as a question: they keep the answer pointed out, never become the answer
    themselves (explorer AK7: a participant's reason reached the Région's dossier
    as « oui », an absence's motive became « oui »); « je le garde tel quel », « je vous
    le renvoie tel quel » too (:func:`keeping`, explorer MA7)."""
    said = data.pop(SAID_TEXT, None)
    if isinstance(said, str) and keeping(text, str(data.get(TO_WHOM) or "")):
        return said
    if isinstance(said, str) and fold(text) in CORRECTING:
        data[SAID_TEXT] = said  # « ok je corrige »: the correction is still to come (AN9)
        return None
    if point_out_once(data, text, words):
        return None
    return text


_ACKNOWLEDGING = re.compile(
    r"(?:(?:oui|ok|okay|ah|bon|d accord|tres bien|entendu)\s+)*(?:"
    r"(?:c\s+est\s+|j\s+ai\s+|bien\s+)?(?:compris|note|recu)|entendu|message\s+recu"
    r"|(?:je\s+)?(?:comprends|comprend|vois|note|prends\s+note)"
    r")(?:\s+(?:bien|merci|beaucoup|pour\s+l\s+info|pour\s+l\s+information))*"
)
"""« ok compris », « je comprends », « entendu », « oui c'est compris merci » (folded): the
warning acknowledged, no answer to it (explorer XA10: saved as the reason); not « je ne
comprends pas », asked about as such."""


def acknowledging(text: str) -> bool:
    """Whether ``text`` only acknowledges the warning (:data:`_ACKNOWLEDGING`)."""
    return _ACKNOWLEDGING.fullmatch(fold(text)) is not None


_LEAD = re.compile(r"^(?P<head>[^,;:.!?]+)[,;:.!]+\s*(?P<rest>\S.*)$", re.DOTALL)
_FILLER = re.compile(r"(?:[\s,]+(?:alors|svp|stp|merci|plut[oô]t|donc))+[\s.!]*$", re.IGNORECASE)


def after_acknowledging(text: str) -> str:
    """``text`` without an acknowledgement before it: « compris, mettez empêchement » is
    « mettez empêchement », « ok je comprends, raison personnelle alors » « raison
    personnelle » (explorer ZA8: saved whole as the reason for the Région)."""
    lead = _LEAD.match(text.strip())
    if lead is None or not (acknowledging(lead["head"]) or agreeing(lead["head"])):
        return text
    rest = _FILLER.sub("", " " + lead["rest"]).strip()  # « bien reçu, merci »: all of it
    return rest if fold(rest) else text


_NO_FIRST = re.compile(r"^\s*(?:non|nan)[\s,;:.!]+(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
_NO_MOTIVE_AFTER_NO = frozenset({"c", "est", "bon", "ca", "va", "ok", "d", "accord", "rien"})
"""Folded words that, after a « non », give no motive (« non c'est bon », « non merci »):
the text is left as it is for the caller to read."""


def after_no(text: str) -> str:
    """``text`` without a « non » before the motive that replaces the one pointed out: « non,
    raison personnelle » is « raison personnelle » (fixer KD2's leftover: saved whole); « non
    merci », « non c'est bon », « non-venue du bus » are left as they are."""
    found = _NO_FIRST.match(text)
    if found is None:
        return text
    rest = found["rest"]
    words = set(fold(" ".join(trimmed(rest.split(), COURTESY))).split())
    return rest if words - _NO_MOTIVE_AFTER_NO else text


def reworded(text: str) -> str:
    """A motive typed after the health warning, as it is kept: without an acknowledgement
    or a « non » before it, the words of an instruction (« mettez raison personnelle »),
    without courtesy at its ends (« raison personnelle svp »: explorer BB4)."""
    said = after_no(after_acknowledging(text))
    return without_courtesy(replacement(said, warned=True) or said)


def asking(text: str) -> bool:
    """Whether ``text`` is a question (« pourquoi ? », « c'est obligatoire ？ »): answered,
    never the reason for the Région (explorer ZA8)."""
    return text.rstrip().endswith(("?", "？", "¿"))


def agreeing(text: str) -> bool:
    """Whether ``text`` is a bare « ok », « d'accord », « oui », « okay », « ça marche »: an
    acknowledgement of the reason's warning, never its words kept (explorer ZA7: they saved
    the health words for the Région, while the warning says to send them again to keep them)."""
    folded = fold(text)
    return folded in AGREEING or folded in {"okay", "ok ok", "oui ok", "ok merci", "oui merci"}


_REPLACING = re.compile(
    r"(?:(?:ok|oui|d accord|bon|alors|finalement|euh|ah|non|dans ce cas)\s+)*"
    r"(?:(?:vous\s+pouvez|pouvez\s+vous|pourriez\s+vous|merci\s+de)\s+)?"
    r"(?:mett(?:ez|re)|mets?|not(?:ez|er|e)|ecri(?:vez|re|s)|inscri(?:vez|re|s)"
    r"|rempla(?:cez|cer|ce)|chang(?:ez|er|e)|gard(?:ez|er|e)|indiqu(?:ez|er|e))"
    r"(?:\s+(?:moi|la|le|l|ca|cela))?(?:\s+(?:par|en|a\s+la\s+place))?"
    r"(?:\s+(?:plutot|juste|seulement|simplement|uniquement|a\s+la\s+place))*(?:\s+par)?"
)
_NOT_A_REPLACEMENT = frozenset(
    {"rien", "pas", "que", "qu", "ce", "ca", "cela", "personne", "aucune", "aucun", "ne", "n"}
    | {"quoi", "tout", "tel", "telle", "comme", "ma", "mon", "votre", "sa", "son"}
)
_TRAILING = COURTESY | {"alors", "plutot", "a la place"}


_ASKING_TO = re.compile(
    r"\b(?:mettez|mets|notez|ecrivez|ecris|inscrivez|inscris|indiquez|indique|remplacez"
    r"|changez|gardez|pouvez|pourriez|merci de)\b"
    r"|\b(?:note|garde|change|remplace)(?:\s+(?:moi|la|le|l|ca|cela))?"
    r"\s+(?:par|plutot|juste|seulement|simplement|uniquement|a la place)\b"
)
"""The instruction's own forms, at any turn, the health warning given or not: « mettez »,
« mets », « vous pouvez mettre », and « note », « garde », « remplace » only with what makes
them one (« note juste … », « remplace par … »). « garde d'enfant », « note de frais à
rendre », « écrire un mémoire », « remplacer un collègue » are reasons, never instructions
(explorer ZA8; explorer AA1: after the warning they were saved cut, « d'enfant »)."""


_WARNED_ASKING = re.compile(r"\b(?:par|plutot|juste|seulement|simplement|uniquement|a la place)\b")
_WARNED_VERB = re.compile(
    r"(?:(?:ok|oui|d accord|bon|alors|finalement|euh|ah|non|dans ce cas)\s+)*"
    r"(?:mettre|met|noter|note|ecrire|inscrire|indiquer)"
)
"""After the health warning, what else makes an instruction (explorer AM1: « mettre
empêchement », « remplacer par empêchement » were saved whole once :data:`_ASKING_TO` alone
counted): « par », « plutôt », « à la place » with any of the verbs, or « mettre », « noter »,
« écrire » alone before words that open no noun phrase (:data:`_OPENING_A_NOUN`)."""

_OPENING_A_NOUN = frozenset(
    {"un", "une", "de", "d", "du", "des", "le", "la", "les", "l", "mon", "ma", "mes", "ton"}
    | {"ta", "tes", "son", "sa", "ses", "notre", "nos", "vos", "leur", "leurs", "a", "au"}
    | {"aux", "en", "ce", "cet", "cette", "ces"}
)
"""The first words of a reason that starts with a verb (« écrire un mémoire », « mettre en
place un atelier », « noter mes heures »): never the words an instruction gives, unless
what they open is a word the warning itself offers (:data:`_OFFERED`)."""

_OFFERED = frozenset({"empechement", "empechements", "raison", "raisons", "motif", "motifs"})
"""The nouns the warning offers in its place (« empêchement », « raison personnelle ») and
their neighbour « motif »: after an article (« noter un empêchement », « mettre une raison
personnelle »), still the instruction, never a reason (explorer BB3: « noter un
empêchement » was asked « Garder votre réponse telle quelle ? » about the health words)."""


def _instructed(asked: str, rest: list[str], *, warned: bool) -> bool:
    """Whether ``asked`` (folded) before ``rest`` is an instruction addressed to the bot."""
    if _ASKING_TO.search(asked):
        return True
    if not warned:
        return False
    if _WARNED_ASKING.search(asked):
        return True
    opening = fold(" ".join(rest)).split()[:2]
    if _WARNED_VERB.fullmatch(asked) is None or not opening:
        return False
    return opening[0] not in _OPENING_A_NOUN or opening[-1] in _OFFERED


def replacement(text: str, *, warned: bool = False) -> str | None:
    """The words an instruction to replace what was pointed out gives: « empêchement » for
    « mettez empêchement », « écrivez plutôt empêchement », « notez juste empêchement »,
    « raison personnelle » for « remplacez-la par « raison personnelle » svp » (explorer
    XA15: the instruction was saved whole as the reason for the Région, or asked « tel
    quel ? » about the health words). ``None`` when ``text`` is no such instruction, or gives
    nothing to write (« mettez ce que vous voulez », « notez rien », « gardez-la telle
    quelle »). Only an instruction plainly addressed to the bot, « mettez … », « mets … »,
    « vous pouvez mettre … » (:data:`_ASKING_TO`; explorer ZA8), after the warning too
    (explorer AA1: « garde d'enfant » was saved as « d'enfant »; AA2: « mets … »); once
    ``warned``, also « mettre … », « remplacer par … » (:data:`_WARNED_ASKING`, AM1)."""
    words = text.split()
    for at in range(len(words) - 1, 0, -1):
        asked = fold(" ".join(words[:at]))
        if _REPLACING.fullmatch(asked) is None:
            continue
        if not _instructed(asked, words[at:], warned=warned):
            continue
        rest = trimmed(words[at:], _TRAILING)
        given = " ".join(rest).strip(" «»\"'“”.!,;:")
        first = fold(given).split()[:1]
        return given if first and first[0] not in _NOT_A_REPLACEMENT else None
    return None
