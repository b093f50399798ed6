"""A yes that says what comes next: « oui, il est malade » to « Noter l'absence … ? ».

    Bot  Noter l'absence de Karim Benali, vendredi 4 décembre 2026 ?   [Oui, noter] [Non]
    You  oui justifiée, rdv France Travail
    Bot  … /absence goes on, justified, its motive « rdv France Travail » not asked

A trainer answers as to a colleague: the yes, then the justification or the motive the
next questions ask (explorer QB19: refused, « Répondez par « Oui, noter » ou « Non » » and
the same question). Only after a yes, and only words that read as a motive: a day or a
half-day (« oui le matin »), a « non » (« oui mais non ») are left to the question, asked
again as before.

The reading is conservative (explorer SA1): « oui, en fait non », « oui, annule », « ok,
attends », « oui mais je ne suis pas sûr », « oui, c'était Julie », « oui, et Julie aussi »
were saved, those words the absence's motive. A word of negation, of cancelling, of
waiting or of doubt, a trainee's name, « aussi » or a day in the words makes them no motive:
the question is asked again, nothing kept. And the motive is only words that read as one
(explorer UA1: « oui, exactement », « oui, il a prévenu », « oui, injustifiée », « oui, 20
minutes » were saved as the motive): other words are a yes, « Un motif connu ? » asked; a
justification word answers « justifiée ? », a length a retard's minutes.  Several people's
confirmation reads its « oui, … » here too (explorer XA8).

A « non » with another length (« non, 1h30 ») corrects a retard's length, its day kept
(:func:`corrected_length`; explorer AA5: the length was read as a day, today). A « non »
with words read as no correction nor a cancelling (« non c'est Karima », « non justifiée »,
« non, en retard ») keeps the question, said so (:func:`unread_after_no`; explorer FC1: the
entry was dropped, « D'accord, je ne note rien »).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from bot import dates
from bot.absences.after_day import reads_as_a_motive
from bot.absences.lengths import an_arrival_hour, clock_length
from bot.absences.line import late_minutes_of, read_period, soft_fold, split_reason
from bot.absences.log import MAX_LATE_MINUTES
from bot.absences.sentence import length_of
from bot.answers import Invalid, clean_line, correction, fold, has_words, visible
from bot.conversations.absences.motive import no_motive
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry, Stay

_NOON = datetime(2026, 1, 7, 12)
"""Any weekday noon: only whether words name a day is asked of it."""

_YES = re.compile(
    r"\s*(?:oui(?:\s+oui)?|ouais|ok(?:ay)?|d['’ ]?accord|c['’ ]?est (?:ça|ca|bon))"
    r"(?P<rest>[\s,.;:!–—-].*)?",
    re.IGNORECASE | re.DOTALL,
)
_POLITE = r"merci|beaucoup|noter|note|la|le|vas y|allez y|stp|svp|s il (?:te|vous) plait|bien sur"
POLITE = re.compile(rf"(?:{_POLITE})(?: (?:{_POLITE}))*")
"""Folded: what goes with a plain yes (« oui merci », « oui, noter », « ok vas-y »)."""

_LINK = re.compile(
    r"(?:(?:mais|et|car|parce que|parce qu['’]|puisque)\s*)?"
    r"(?:(?:il|elle|c['’]?) ?(?:est|était|etait)\s+)?",
    re.IGNORECASE,
)
"""« mais », « car », « il est » before the motive: « oui, il est malade » is « malade »."""

_NOT_A_MOTIVE = re.compile(
    r"\b(?:"
    # negation, cancelling, waiting, doubt, second thoughts (explorer SA1)
    r"non|nan|pas|ne|n|jamais|ni|annul\w*|stop|arrete\w*|laisse\w*|oublie\w*|efface\w*"
    r"|supprime\w*|attend\w*|attends|minute|instant|seconde|verifie?\w*|regarde\w*"
    r"|sur|sure|certaine?|crois|croit|pense|peut etre|doute\w*|hesite\w*|probablement|sais"
    r"|sait|verra|finalement|en fait|enfait|erreur|tromp\w*|plutot|desolee?|oups|pardon"
    # someone else said along (« oui, et Julie aussi »)
    r"|aussi|egalement|ainsi que"
    # a day or a half-day (« oui, une demi-journée », « oui, pour les deux jours »)
    r"|jours?|journee|demi|matin\w*|apres midi|aprem|soir\w*|semaines?|hier|demain"
    r"|aujourd\w*|veille|lendemain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|week end|weekend|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre"
    r"|octobre|novembre|decembre"
    r")\b|\d+ ?/ ?\d+"
)
"""Folded: words that make what follows a yes no motive (explorer SA1)."""

_PARTICLES = {"de", "du", "des", "la", "le", "les", "van", "von", "der", "den", "del", "ben"}

JUSTIFIED = re.compile(
    r"(?:(?:absence|retard|(?:il|elle) (?:est|etait)) )?"
    r"(?:(?P<no>(?:non |pas |in)justifiee?s?|(?:non |pas )excusee?s?|(?:sans|pas de) "
    r"(?:justificatif|certificat(?: medical)?))"
    r"|justifiee?s?|excusee?s?|(?:avec |(?:il|elle) a (?:fourni |donne |envoye )?)?(?:un )?"
    r"(?:justificatif|certificat(?: medical)?)(?: fourni| recu)?)"
)
"""Folded: a justification said after the yes (« oui, injustifiée », « oui, il a un
justificatif », « oui, certificat médical »): the answer to « justifiée ? », never the
motive (explorer UA1)."""
_JUSTIFYING = re.compile(r"justifi|excus|certificat")
"""Folded: a justification word :data:`JUSTIFIED` does not read: the justification asked."""
_SUBJECT = re.compile(r"(?:(?:il|elle) (?:a|avait) (?:eu )?)?(?:(?:un|une|des) )?")
"""« elle a un rdv »: what a motive is said with, left out to read it (« rdv »)."""


def is_a_yes(text: str) -> bool:
    """Whether ``text`` opens with a yes (« oui », « ok », « d'accord », « c'est bon »)."""
    return _YES.fullmatch(text) is not None


_TOO = re.compile(r"(?:et\s+)?(?P<who>\w.*?)\s+(?:aussi|[eé]galement)", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"(?:lui|elle|eux|elles|moi|toi|nous|vous|[lc] ?\w*\s.*|.*\d.*)")


def also_named(text: str) -> list[str] | None:
    """The names said with « aussi » after a yes (« oui, Léa aussi », « oui, et Léa et Hugo
    également » → ``["Léa", "Hugo"]``), as typed; ``None`` for any other answer, a pronoun
    (« oui, lui aussi ») or a day (« oui, hier aussi ») among them (explorer XA8)."""
    found = _YES.fullmatch(text)
    too = _TOO.fullmatch((found["rest"] or "").strip(" \t\n,.;:!–—-")) if found else None
    if too is None:
        return None
    names = re.split(r"\s*,\s*|\s+et\s+", too["who"], flags=re.IGNORECASE)
    if any(
        _NOT_A_NAME.fullmatch(fold(n)) or len(n.split()) > 3 or dates.understand(n, _NOON, "past")
        for n in names
    ):
        return None
    return names


def said_ahead(
    text: str, now: datetime, names: Iterable[str] = (), *, late: bool = False
) -> dict[str, object] | None:
    """What a yes followed by more words says ahead: ``{}`` for a plain yes (« oui merci »),
    ``justified``, ``reason`` and / or a retard's ``_minutes`` (as the sentence keeps them) for the questions to come;
    ``None`` when ``text`` is not a yes or what follows takes it back or names a day, a
    half-day, one of the trainees' ``names`` (explorer SA1). Only words that read as a motive
    (:func:`.after_day.reads_as_a_motive`, as the sentence's own) are the motive: « oui,
    exactement », « oui, il a prévenu », « oui, absent » are a yes, the motive asked
    (explorer UA1)."""
    found = _YES.fullmatch(text)
    if found is None:
        return None
    rest = (found["rest"] or "").strip(" \t\n,.;:!–—-")
    if not fold(rest) or POLITE.fullmatch(fold(rest)):  # « oui 🙂 », « oui merci »
        return {}
    if "?" in rest:  # « oui, malade ? »: a question, no motive (explorer SB6)
        return None
    linked = _LINK.match(rest)
    rest = rest[linked.end() if linked else 0 :]
    if not fold(rest):  # « oui mais »: said no more than a doubt
        return None
    length = length_of(rest) if late else None  # « oui, 20 minutes »: the retard's (UA1)
    if length is not None:
        return {"_minutes": late_minutes_of(length)}
    ahead: dict[str, object] = {}
    head, reason = split_reason(rest, now)
    if not reason and "," in rest:  # « oui, injustifiée, malades »: the motive kept (XA8)
        head, _, after = rest.partition(",")
        head, reason = (head, after.strip()) if JUSTIFIED.fullmatch(fold(head)) else (rest, None)
    justified = JUSTIFIED.fullmatch(fold(head))
    if justified is not None:
        ahead["justified"] = justified["no"] is None
        if not reason:
            return ahead
        rest = reason
    if not _plain(rest, names):
        return None
    first = fold(rest).split()[0]
    if first in ("non", "nan", "pas") or read_period(rest)[0] is not None:
        return None
    if dates.understand(rest, now, "past") is not None:
        return None
    if justified is None and _JUSTIFYING.search(fold(rest)):
        return ahead  # « oui, justificatif à venir »: the justification asked (UA1)
    if no_motive(rest) or not reads_as_a_motive(_SUBJECT.sub("", soft_fold(rest), count=1)):
        return ahead  # « oui, exactement », « oui, absent »: « Un motif connu ? » (UA1)
    motive = _motive(rest, names)
    return ahead | {"reason": motive} if motive else ahead


def _plain(words: str, names: Iterable[str]) -> bool:
    """Whether ``words`` may be a motive: none of :data:`_NOT_A_MOTIVE`, no word of a
    trainee's name (« oui, c'était Julie »: explorer SA1)."""
    folded = fold(words)
    if _NOT_A_MOTIVE.search(folded):
        return False
    said = set(folded.split())
    return not any(
        word in said
        for name in names
        for word in fold(name).split()
        if len(word) > 2 and word not in _PARTICLES
    )


def _motive(typed: str, names: Iterable[str] = ()) -> str | None:
    """The motive as the sentence's own is checked (:func:`.sentence.said_data`), and only
    a plain one (:func:`_plain`)."""
    if not _plain(typed, names):
        return None
    cleaned = clean_line(typed.strip(" \t,.;:!–—-"), limit=300)
    if isinstance(cleaned, Invalid) or not has_words(cleaned):
        return None
    return cleaned


def corrected_length(ctx: Context) -> Outcome | None:
    """« non, 1h30 », « non, de 45 min » to « Noter le retard de 1 h 15 de Karim Benali,
    vendredi 20 novembre 2026, le matin ? »: the same question with that length, the day
    and its half kept (explorer AA5: « 1h30 » was read as the day, today, 1 h 15 kept).  A
    clock time (« non, à 10h », « non, 9h30 », « non, 8h »: :func:`.lengths.an_arrival_hour`,
    explorer BB2) is the arrival;
    the hour a half-day starts at is not known, so the length is asked again (explorer AM4:
    a retard of 600 minutes was offered). So is an arrival said without « non » (« il est
    arrivé à 10h », « là depuis 9h45 »: explorer CB15, « Répondez par … »)."""
    rest = correction(ctx.incoming.text)
    said = rest or ctx.incoming.text.strip()
    if not ctx.data.get("_late"):
        if not an_arrival_hour(said):
            return None
        # « non il est arrivé à 10h » to « Noter l'absence … ? »: a retard, never the day
        # (« … il est arrivé à 10h matin ? ») nor a « non » (dropped): explorer DD2.
        late = f"{' et '.join(ctx.data['_names'])} en retard {ctx.data['_rest']}".strip()
        return Stay(message=ctx.render("absence.arrival_not_absence", said=said, late=late))
    if an_arrival_hour(said):
        return Stay(message=ctx.render("absence.late_clock_time", said=said, example=_EXAMPLE))
    length = length_of(rest) if rest else None
    minutes = clock_length(rest) if rest and length is None else None  # « non, 0:45 » (DC4)
    if length is None and minutes is None:
        return None
    if length is not None:
        minutes = late_minutes_of(length)
        if "h" in length and minutes > MAX_LATE_MINUTES:
            said = ctx.render("absence.late_clock_time", said=rest, example=_EXAMPLE)
            return Stay(message=said)
    ctx.data["_minutes"] = minutes
    return Next("go")


_EXAMPLE = "non, 45 min"
"""The length given back to « Noter le retard … ? », as a correction."""


_KIND = re.compile(
    r"(?:(?:il|elle) (?:est|etait|etaient|sont) )?(?:"
    r"(?P<late>(?:en |un |c est un )?retard(?: de (?P<length>.+))?)"
    r"|(?:absente?s?|(?:une |c est une )?absence)"
    r")"
)
"""Folded, after « non »: the other kind, « non, en retard (de 20 min) », « non, absent »."""


def corrected_kind(ctx: Context) -> Outcome | None:
    """« non, en retard » to « Noter l'absence … ? », « non, absente » to « Noter le retard …
    ? »: the same question for the other kind, its day kept, a retard's length if said
    (« non, en retard de 20 min »; explorer FC1: the entry was dropped)."""
    rest = correction(ctx.incoming.text)
    kind = _KIND.fullmatch(fold(rest)) if rest else None
    if kind is None or bool(kind["late"]) == bool(ctx.data.get("_late")):
        return None
    length = length_of(kind["length"]) if kind["length"] else None
    if kind["length"] and length is None:
        return None
    ctx.data.update(_late=bool(kind["late"]), _minutes=length and late_minutes_of(length))
    return Next("go")


_CANCELLING = frozenset(
    " ".join(
        (
            "non nan merci beaucoup pas du tout surtout la le peine besoin plus annule annuler",
            "annulez laisse laissez tomber oublie oubliez stop rien ne note noter erreur une je",
            "me suis j ai trompe trompee c est etait bon finalement ok d accord desole desolee",
            "pardon oups tant pis ca",
        )
    ).split()
)
"""Folded: the words of a « non » that cancels (« non merci », « non, c'était une erreur »,
« non pas du tout », « non, laisse tomber »): the entry dropped, as a bare « non »."""

_QUOTED = 60
"""What of the answer is quoted back when it was not understood (explorer FC1: 5,000 characters)."""


def cancelling_no(text: str) -> bool:
    """« non merci », « non, laisse tomber »: a « non » whose words all cancel
    (:data:`_CANCELLING`), taken as a bare « non » at one person's question and at several
    people's confirmation (explorer FC2)."""
    rest = correction(text)
    return rest is not None and set(fold(rest).split()) <= _CANCELLING


def quoted_back(text: str) -> str:
    """An answer not understood, quoted back as typed, cut at :data:`_QUOTED` characters."""
    typed = visible(text)
    return typed if len(typed) <= _QUOTED else typed[: _QUOTED - 1].rstrip() + "…"


def unread_after_no(ctx: Context) -> Outcome | None:
    """« non c'est Karima », « non justifiée », « non, en retard » to « Noter l'absence … ? »:
    words after the « non » that no other reader took and that do not cancel. The question is
    asked again, said why and how to correct (explorer FC1: the entry was dropped unsaid);
    a bare « non » or one that cancels (:func:`cancelling_no`) is left to the « non »."""
    if correction(ctx.incoming.text) is None or cancelling_no(ctx.incoming.text):
        return None
    said = quoted_back(ctx.incoming.text)
    who = ctx.data.get("_asked") or " ou ".join(ctx.data.get("_who") or ctx.data["_names"])
    late = bool(ctx.data.get("_late"))
    return Retry(ctx.render("absence.no_unread", said=said, who=who, late=late))
