"""Who an absence sentence names (« Karim absent hier, Julie aussi »): its trainees, the
words said of each (« Absents aujourd'hui : Karim malade, Léa rdv »), and another trainee
named in what was typed besides, another person's event, never a motive; another trainee
named after « non » at the confirmation. Moved out of :mod:`.sentence` whole when it grew
(explorer AA5)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.absences.line import another_name, soft_fold
from bot.absences.sentence import AbsenceSentence
from bot.answers import closest_names, correction, fold, match_names, visible
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Outcome, Switch


async def named_aside(
    ctx: Context, read: Callable[[str], str | None]
) -> tuple[str, list[tuple[str, int]]] | None:
    """The name ``read`` finds in a sentence a member typed in private, outside any dialogue,
    and the full names and ids of the trainees this person sees; ``None`` otherwise. Such a sentence
    starts nothing within a dialogue, so it is not read there (a trainee who left, one
    drifting away: explorer BG9)."""
    if ctx.actor is None or not ctx.actor.is_member or ctx.incoming.is_group or ctx.in_dialogue:
        return None
    typed = read(ctx.incoming.text)
    if typed is None:
        return None
    return typed, [
        (t.full_name, t.id) for f in await visible_formations(ctx) for t in f.named_trainees
    ]


async def names_and_motives(ctx: Context, sentence: AbsenceSentence) -> list[tuple[str, str]]:
    """Each name of « Absents aujourd'hui : Karim malade, Léa rdv » and the words typed after
    it that say something of the person (« malade »), when the words before them name a
    trainee and they are no name (« Karim Dupont » stays a name nobody has: explorer BD5)."""
    people = [(t.full_name, t.id) for f in await visible_formations(ctx) for t in f.named_trainees]
    said: list[tuple[str, str]] = []
    for typed in sentence.names:
        words, motive = typed.split(), ""
        for cut in range(len(words) - 1, 0, -1) if not match_names(typed, people) else ():
            after = words[cut:]
            if match_names(" ".join(words[:cut]), people) and not another_name(
                soft_fold(after[0]), typed, people
            ):
                typed, motive = " ".join(words[:cut]), " ".join(after)
                break
        said.append((typed, motive))
    return said


async def names_a_trainee(ctx: Context, sentence: AbsenceSentence) -> bool:
    """Whether the sentence's first name is one of the trainees this person sees, or close
    to one (« Emma Benali »: a slip, answered with the closest names)."""
    people = [(t.full_name, t.id) for f in await visible_formations(ctx) for t in f.named_trainees]
    typed = sentence.names[0]
    return bool(match_names(typed, people) or closest_names(typed, [n for n, _ in people]))


async def other_name(ctx: Context, sentence: AbsenceSentence) -> str | None:
    """A trainee's first name or surname in the words after the names (« … et Julie en
    retard »), as typed: another person's event, which the sentence's reading would give to
    the people named first."""
    # The motive read after the day's comma too (explorer CB1: « Julie absente vendredi,
    # Karim aussi » kept « Karim aussi » as Julie's motive).
    said = sentence.rest + (f", {sentence.reason}" if sentence.reason else "")
    return await another_trainee(ctx, sentence.names, said)


_JOINED = re.compile(
    r"(?:[,;]|\bet|\bpuis|\bmais"
    # « pareil pour Léa », « idem pour Léa », « de même que Julie », « ainsi que Léa »
    # (explorer EA11: Léa was stored as Karim's motive).
    r"|\b(?:pareil(?:le)?|idem|meme\s+chose|de\s+meme)[\s,]*(?:pour|que)?|\bainsi\s+que)\s*$"
)


async def another_trainee(ctx: Context, names: Sequence[str], said: str) -> str | None:
    """A trainee's name, as typed, in ``said`` (what was typed besides ``names``), joined as
    another subject: the words of another person's event, never a motive."""
    typed = {w for name in names for w in _words(name)}
    people = [t.full_name for f in await visible_formations(ctx) for t in f.named_trainees]
    known = {w for name in people for w in _words(name) if len(w) >= 3}
    first_names = {fold(name.split()[0]) for name in people if name.split()}
    for found in re.finditer(r"[^\W\d_][\w'-]*", said):
        word = str(found.group(0))
        # Joined like another subject (« et Julie », « , Hugo »), not « avec Mme Martin ».
        joined = _JOINED.search(soft_fold(said[: found.start()]))
        # A first name, however typed (« …, léa idem »: explorer DF4); a surname as names are
        # written, or followed by its event: « petit souci de voiture » is a motive, though
        # Julie Petit is a trainee (explorer DA10).
        named = (
            fold(word) in first_names
            or word[:1].isupper()
            or _AN_EVENT.match(fold(said[found.end() :]))
        )
        if joined and named and fold(word) in known and fold(word) not in typed:
            return word
    return None


async def trainee_in(ctx: Context, names: Sequence[str], said: str) -> bool:
    """Whether ``said`` holds the first name of a trainee other than ``names``, or a surname
    written as one (« Petit », not « petit souci »)."""
    typed = {w for name in names for w in _words(name)}
    people = [t.full_name for f in await visible_formations(ctx) for t in f.named_trainees]
    first = {fold(n.split()[0]) for n in people if n.split()}
    known = {w for n in people for w in _words(n) if len(w) >= 3}
    return any(
        fold(w) not in typed and (fold(w) in first or (w[:1].isupper() and fold(w) in known))
        for w in re.findall(r"[^\W\d_][\w'-]*", said)
    )


_AN_EVENT = re.compile(
    r"\s*(?:est\s+|etait\s+)?(?:absente?s?|abs|en\s+retard|retard|aussi|egalement|malade"
    r"|pas\s+la|pas\s+venue?)\b"
)


def _words(name: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[^\W\d_]+", name)}


def names_said_instead(rest: str, names: Iterable[str]) -> list[str]:
    """The ``names`` that what follows a « non » (« c'est Julie », « Julie Petit ») names, by
    whole words only: « non c'est Karima » is no « Karim Benali », a sentence names nobody.
    One reading for one person's confirmation and several people's (explorer KD2)."""
    if len(rest.split()) > 3:
        return []
    said = _words(rest)
    return [name for name in names if said and said <= _words(name)]


def name_after_no(text: str) -> str | None:
    """« Julie », « Zorglub » in « non, c'est Julie », « non, Zorglub »: what follows a « non »
    when it reads as a name alone (« c'est » before it, or capitals), so that a name nobody
    bears is said so (explorer KD2: « Je ne trouve pas « non » dans la liste »); « non, absents :
    3 », « non il avait prévenu », « non c'est bon » give ``None``, left to the other readers."""
    head = text[:300]
    rest = correction(head)
    if rest is None or len(rest.split()) > 3 or _NOT_A_NAME.search(rest):
        return None
    if _CALL_WORDS.search(fold(rest)):
        return None
    lead = head[: head.rfind(rest)]
    capitals = all(_first_letter(word).isupper() for word in rest.split())
    return rest if capitals or _SAID_NAME.search(lead) else None


def _first_letter(word: str) -> str:
    found = re.search(r"[^\W\d_]", word)
    return found.group() if found else ""


_NOT_A_NAME = re.compile(r"[\d:;=+]")
_SAID_NAME = re.compile(r"\b(?:c['’ ]?est|c['’ ][ée]tait|plut[oô]t)\b", re.IGNORECASE)
_CALL_WORDS = re.compile(
    r"\b(?:absente?s?|abs|retards?|presente?s?|justifiee?s?|tous|toutes|personne|appel|liste"
    r"|enregistre\w*|valide\w*|annule\w*|abandonne\w*|rien|bon|ok|okay|merci|stop|pardon"
    r"|oups|hier|demain|aujourd\w*|matin|apres\w*|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|dimanche|jour|semaine)\b"
)
"""Words of an absence or a call: after « non » they change or answer it, they name nobody."""


async def corrected_name(ctx: Context) -> Outcome | None:
    """« non c'est Julie », « non, Julie Petit » to « Noter l'absence de Karim Benali, hier ? »:
    the same question about Julie, the day, the retard's length and the motive kept
    (explorer FC1: the entry was dropped, « D'accord, je ne note rien »). Only whole words
    of another trainee's name: « non c'est Karima » is no « Karim Benali »."""
    rest = correction(ctx.incoming.text)
    if rest is None or len(ctx.data["_names"]) != 1:
        return None
    trainees = {t.full_name for f in await visible_formations(ctx) for t in f.named_trainees}
    found = names_said_instead(rest, trainees)
    if not found or set(found) <= set(ctx.data.get("_who") or []):
        return None
    data = {
        key: ctx.data.get(key)
        for key in ("_rest", "_late", "_minutes", "reason", "_leaving", "_at")
    }
    return Switch("absence_phrase", {**data, "_names": [visible(rest)]})
