"""A trainee who stops coming, said in a sentence outside any conversation: « Inès a pas donné
de nouvelles depuis lundi », « Karim ne vient plus », « Julie pas là depuis 3 jours ».

What a trainer types between two sessions about someone drifting away: the first signs of a
décrochage, which ``/decrochage`` follows (signs, contacts, entretien, ticket qualité).
:func:`read_dropping_out` only reads the name; the dialogue opens ``/decrochage`` for it
(explorer BG3, BG9: « Je ne suis pas sûr de ce que vous voulez faire », or the list of
commands, /effacer among them).
"""

from __future__ import annotations

import re

from bot.absences.line import as_typed
from bot.absences.names_said import NOT_NAMES, looks_like_a_name
from bot.absences.sentence import sentence_words

_NEWS = r"(?:de\s+|des\s+|d'\s*|aucune?\s+)?(?:nouvelles?|signe\s+de\s+vie)"
_SIGNS = (
    # « a pas donné de nouvelles », « n'a plus donné signe de vie », « ne donne plus de nouvelles »
    rf"(?:n'a\s+|a\s+|ne\s+|n')?(?:(?:toujours|plus|pas|jamais|encore)\s+)+(?:re)?donnee?\s+{_NEWS}"
    rf"|(?:ne\s+|n')?(?:re)?donne\s+(?:plus|pas|jamais)\s+{_NEWS}"
    rf"|(?:(?:toujours|plus|pas|jamais)\s+)+{_NEWS}"  # « Julie pas de nouvelles depuis lundi »
    # « ne vient plus », « répond plus », « ne se présente plus »
    r"|(?:ne\s+|n')?(?:vient|viens|repond|se\s+presente|revient)\s+(?:plus|jamais)"
    r"|(?:ne\s+|n')?(?:repond|decroche)\s+pas(?:\s+au\s+(?:tel|telephone|portable))?"
    r"|(?:a\s+|est\s+en\s+train\s+de\s+)?decroch(?:e|er|ee)|(?:est\s+)?injoignable"
    r"|(?:est\s+|n'est\s+)?pas\s+(?:la|venue?)\s+depuis\b"  # « pas là depuis 3 jours »
)
_NAMED_FIRST = re.compile(rf"^(?P<who>.+?)\s+(?:{_SIGNS})(?:\s.*)?$")
_NAMED_AFTER = re.compile(
    rf"^(?:toujours\s+)?(?:pas|plus|aucune?)\s+{_NEWS}\s+d(?:e\s+|')(?P<who>.+?)(?:\s+depuis\b.*)?$"
)
"""« pas de nouvelles de Karim depuis lundi », « toujours aucune nouvelle d'Inès »."""


def read_dropping_out(text: str) -> str | None:
    """The name, as typed, of the trainee a sentence says is drifting away; ``None`` when it
    says nothing of the kind, or names no one (« il ne vient plus »)."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    words = sentence_words(text)
    match = _NAMED_FIRST.match(words) or _NAMED_AFTER.match(words)
    if match is None:
        return None
    return _named(text, match["who"])


_CALLED = re.compile(
    r"^(?:(?:j'ai|jai|g|ai|on\s+a|nous\s+avons|je\s+viens\s+d')\s+)?(?:(?:bien|enfin|deja|finalement"
    r"|pu)\s+)?(?:appele|rappele|eu|joint|telephone\s+a|parle\s+(?:a|avec)|ecrit\s+a"
    r"|laisse\s+un\s+message\s+a|envoye\s+un\s+(?:sms|mail|e-mail|message|texto)\s+a)\s+(?P<who>.+)$"
)
"""« g appelé karim il revient lundi », « j'ai eu Julie au tel », « j'ai écrit à Inès »: a contact
with a trainee, noted in the follow-up of her décrochage (explorer KF2: read as /appel, the roll
call, for its stem « appel »)."""
_CALLED_BY = re.compile(
    r"^(?P<who>.+?)\s+(?:m'a|nous\s+a|a)\s+(?:enfin\s+|finalement\s+)?"
    r"(?:rappele|appele|telephone|ecrit|repondu)\b"
)
"""« Karim m'a rappelé », « Julie a enfin répondu »: the same contact, the trainee first."""
_NAME_ENDS = re.compile(
    r"\s*(?:[,.;:!?]|\s(?=(?:il|elle|qui|pour|au|aux|a|par|ce|cet|cette|hier|aujourd'hui|demain"
    r"|ce|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|et|mais|car|ca|on|y|en|sur|ds"
    r"|dans|tout|ok|donc|lui|sa|son|ses|rdv|\d\S*)\b))"
)
"""Where the name stops in « … karim il revient lundi », « … julie au tel », « … ines, ok »."""


def _name_first(words: str) -> str:
    """The words of ``words`` up to the first that follows a name (:data:`_NAME_ENDS`)."""
    end = _NAME_ENDS.search(words)
    return (words[: end.start()] if end else words).strip()


_TITLE = re.compile(r"^(?:mme|madame|mlle|mademoiselle|monsieur|mr|m)\b\.?\s*(?=[^\W\d_])")
"""« Mme Leroy », « M. Benali »: the surname is what names the trainee (explorer LB2)."""
_PARTNER = re.compile(
    r"^(?:(?:la|le|les|sa|son|ses|leur|un|une)\s+|l'\s*)?(?P<partner>france\s+travail"
    r"|pole\s+emploi|mission\s+locale|cap\s+emploi|employeur|employeuse|patronne|patron"
    r"|entreprise|tutrice|tuteur|maitre\s+d'apprentissage|conseillere|conseiller|referente"
    r"|referent|assistante\s+sociale|assistant\s+social|educatrice|educateur|opco|parents"
    r"|mere|pere|famille)\b(?:\s+(?:de|d')\s*(?P<who>.+))?"
)
"""« France Travail », « la mission locale », « l'employeur de Karim »: a partner, no trainee."""


def _contact_words(text: str) -> str | None:
    """Who a contact sentence names, folded, any title before a surname left out."""
    if len(text) > 300 or "\n" in text.strip() or "?" in text:
        return None  # « Julie a répondu ? » asks, about her attestation maybe
    words = sentence_words(text)
    match = _CALLED.match(words) or _CALLED_BY.match(words)
    if match is None:
        return None
    surname = _TITLE.sub("", match["who"])
    return surname if _name_first(f" {surname}") else match["who"]  # « Mme au tel »: no name


def read_contact(text: str) -> str | None:
    """The name, as typed, of the trainee a sentence says the trainer has been in contact with
    (:data:`_CALLED`, :data:`_CALLED_BY`); ``None`` for any other sentence, and for a partner
    (:func:`read_partner_contact`)."""
    who = _contact_words(text)
    if who is None or _PARTNER.match(who):
        return None
    return _named(text, _name_first(who))


def read_partner_contact(text: str) -> tuple[str, str | None] | None:
    """A contact with a partner (« j'ai eu France Travail au tel », « j'ai appelé l'employeur
    de Karim »): the partner and the trainee named with it, as typed (``None`` when none is);
    ``None`` for any other sentence. Noted in the trainee's follow-up, never as a trainee's
    name (explorer LB2: « Je ne trouve pas « France Travail » parmi les stagiaires »)."""
    who = _contact_words(text)
    match = None if who is None else _PARTNER.match(who)
    if match is None:
        return None
    partner = as_typed(text, match["partner"])
    trainee = match["who"] and _named(text, _name_first(match["who"]))
    return partner, trainee or None


def _named(text: str, who: str) -> str | None:
    """``who`` as typed in ``text`` when it may be a name, else ``None``."""
    who = who.strip(" ,")
    if not looks_like_a_name(who) or any(w in NOT_NAMES for w in who.split()):
        return None
    return as_typed(text, who)


_INTERVIEW = re.compile(
    r"\bentretiens?\s+(?:individuels?\s+)?(?:(?:a\s+faire\s+|a\s+prevoir\s+)?(?:d'\s*|(?:de|avec"
    r"|pour|a)\s+))?(?P<who>.+)$"
)
"""« faut faire l entretien de karim », « entretien karim demain 10h », « programmer un entretien
avec Julie »: the trainee's entretien individuel, programmed in her follow-up (explorer KF3:
/suivi, which only shows, was offered)."""


def read_interview(text: str) -> str | None:
    """The name, as typed, of the trainee whose entretien a sentence speaks of; ``None`` for any
    other sentence."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    match = _INTERVIEW.search(sentence_words(text))
    return None if match is None else _named(text, _name_first(match["who"]))
