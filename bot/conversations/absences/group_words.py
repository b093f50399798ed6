"""What a trainer types at the one confirmation of several absences (« Noter une absence …
pour : · Karim Benali · Julie Petit »): « justifiée » or not, « oui, … » with the motive
(explorer UA9, read as one person's: XA8), and the motive that replaces one whose medical detail was pointed out
(closing 38's Left, explorer UA10), and whom a trainee named after « non » replaces
(explorer KD2).  Kept apart from :mod:`.group` (over 500 lines)."""

from __future__ import annotations

import re

from bot.answers import closest_names, correction, fold
from bot.conversations.absences.details import REWORDING
from bot.conversations.absences.motive import keep_reason
from bot.conversations.absences.sentence_names import name_after_no, names_said_instead
from bot.conversations.absences.warned_motive import motive_warned
from bot.conversations.absences.yes_ahead import cancelling_no, quoted_back, said_ahead
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Option, Outcome, Retry
from bot.storage.formations import Formation, Trainee


def other_justified(ctx: Context) -> Outcome:
    """« Justifiée » / « Non justifiée »: the recap again saying the other; a justified one
    has a motive, asked first."""
    ctx.data.pop("_justifying", None)
    ctx.data.pop("recap", None)
    if not _wants_justified(ctx):
        ctx.data["justified"] = False
        ctx.data.pop("reason", None)
        return Next("recap")
    if ctx.data.get("justified"):  # « justifiée » typed while it is: nothing changes
        return Next("recap")
    ctx.data["_justifying"] = True
    return Next("reason")


_NOT_JUSTIFIED = re.compile(r"\b(?:non|pas)\s+justif|\binjustif")


def _wants_justified(ctx: Context) -> bool:
    """The button toggles; typed, the words say which (« justifiée » is inside the label
    « Non justifiée »: typed while it is justified, it must not undo it)."""
    typed = fold(ctx.incoming.text) if ctx.incoming.choice is None else ""
    if "justif" in typed:
        return _NOT_JUSTIFIED.search(typed) is None
    return not ctx.data.get("justified")


_UNSAID = re.compile(r"\d|justifi|excus|certificat")
"""Folded: what a yes says that the recap cannot take as it is (« oui, 20 minutes » to an
absence, « oui, justificatif à venir »): refused, a button to press (explorer XA8)."""


async def yes_and_words(ctx: Context) -> Outcome | None:
    """« oui, justifiée », « oui, malades » at the recap: justified (its motive asked, as the
    button does) or that motive, the recap shown again with it (explorer UA9: « Je n'ai pas
    reconnu ce choix », where one person's question takes them).  Read as one person's yes
    (:func:`.yes_ahead.said_ahead`, explorer XA8: « oui, exactement », « oui mais non », « oui,
    20 minutes » were all kept as the motive): words that are no motive make a plain yes,
    saved as « Enregistrer »; a take-back, a day, a doubt is refused, nothing kept; a
    retard's length is its minutes."""
    if ctx.incoming.choice is not None:
        return None
    names = [t.full_name for f in await visible_formations(ctx) for t in f.named_trainees]
    late = ctx.data.get("period") == "retard" and not ctx.data.get("_minutes")
    ahead = said_ahead(ctx.incoming.text[:300], ctx.now, names, late=late)
    if ahead is None:
        return None
    if not ahead:  # « oui, exactement », « oui pour moi c'est bon »: « Enregistrer »
        if _UNSAID.search(fold(ctx.incoming.text)) or not any(
            value == "yes" for _, value in ctx.data.get("_options") or []
        ):
            return None  # « oui, 20 minutes » to an absence, nothing to save: refused
        ctx.data["recap"] = "yes"
        return Next()
    if ahead.get("_minutes"):
        ctx.data["_minutes"] = ahead["_minutes"]
    reason = ahead.get("reason")
    if isinstance(reason, str):
        keep_reason(ctx, reason)
    ctx.data.pop("recap", None)
    if ahead.get("justified") is False:
        ctx.data["justified"] = False
    elif ahead.get("justified") and not ctx.data.get("reason"):
        ctx.data["_justifying"] = True  # « oui, justifiée »: its motive asked, as the button
        return Next("reason")
    elif ahead.get("justified"):
        ctx.data["justified"] = True
    return Next("recap")


async def words_at_recap(ctx: Context) -> Outcome | None:
    """« oui, … » (:func:`yes_and_words`), or, right after the medical detail was pointed
    out, the motive that replaces it (« raison de santé », or the words of « mettez raison
    personnelle »), the recap shown again with it; « je le garde tel quel » keeps the one
    pointed out (explorer CB4: both were saved whole as the motive); « non merci » is
    « Abandonner », « non, c'est Julie » asks whom she replaces (:func:`named_instead`),
    another « non, … » is said not understood (:func:`_unread_no`)."""
    said = await yes_and_words(ctx)
    if said is not None or ctx.incoming.choice is not None:
        return said
    if not ctx.data.get(REWORDING):  # there, « non merci » keeps the motive pointed out
        if cancelling_no(ctx.incoming.text):  # « non merci »: « Abandonner », as « non » (FC2)
            ctx.data["recap"] = "abandon"
            return Next()
        return await named_instead(ctx) or _unread_no(ctx)
    return await motive_warned(ctx)  # as at one person's recap (LB1)


def _unread_no(ctx: Context) -> Outcome | None:
    """« non c'est Karima », « non, c'est Julie », « non, hier après-midi » at the recap: the
    question kept, said why and how to change it (explorer FC2: « Je n'ai pas reconnu ce
    choix », which told neither)."""
    if correction(ctx.incoming.text) is None:
        return None
    return Retry(
        ctx.render(
            "absence_appel.group_no_unread",
            said=quoted_back(ctx.incoming.text),
            late=ctx.data.get("period") == "retard",
            saving=any(value == "yes" for _, value in ctx.data.get("_options") or []),
        )
    )


INSTEAD = "_instead"
"""The trainee named after « non » at several people's confirmation: whom she or he replaces is
asked (step « instead »), never guessed (explorer KD2)."""

_ADD, _KEEP = "add", "keep"


async def chosen(ctx: Context) -> list[tuple[Formation, Trainee]]:
    """The people named and found, once each, in the order typed."""
    known = {
        (str(f.id), str(t.id)): (f, t)
        for f in await visible_formations(ctx)
        for t in f.named_trainees
    }
    found: list[tuple[Formation, Trainee]] = []
    for formation_id, trainee_id in ctx.data.get("_resolved") or []:
        pair = known.get((str(formation_id), str(trainee_id)))
        if pair is not None and pair not in found:
            found.append(pair)
    return found


async def named_instead(ctx: Context) -> Outcome | None:
    """« non, c'est Julie » at « Noter une absence … pour : · Karim Benali · Léa Martin »: one
    trainee not in the list, by whole words (as one person's confirmation reads it, where she
    replaces the one named): with several listed, which of them she replaces is asked, or
    « Ajouter Julie Petit » (explorer KD2: read as not understood, « Abandonner » and a new
    sentence advised); with one, she replaces that one. Someone already listed, a name nobody
    bears: said so, the confirmation asked again (fixer NH); borne by several: ``None``, said
    not understood."""
    rest = name_after_no(ctx.incoming.text)
    if rest is None:
        return None
    people = [
        (t.full_name, [str(f.id), str(t.id)])
        for f in await visible_formations(ctx)
        for t in f.named_trainees
    ]
    said = names_said_instead(rest, {name for name, _ in people})
    found = [(name, key) for name, key in people if name in said]  # namesakes: not guessed
    listed = [list(map(str, key)) for key in ctx.data.get("_resolved") or []]
    if not found:
        names = list(dict.fromkeys(name for name, _ in people))
        closest = closest_names(rest, names)
        return Retry(
            ctx.render("absence_appel.group_unknown", typed=quoted_back(rest), closest=closest)
        )
    if len(found) != 1:
        return None
    if found[0][1] in listed:
        return Retry(ctx.render("absence_appel.group_listed", name=found[0][0]))
    name, key = found[0]
    ctx.data.pop("recap", None)
    if len(listed) == 1:
        ctx.data["_resolved"] = [key]
        return Next("recap")
    ctx.data[INSTEAD] = {"name": name, "key": key, "said": quoted_back(ctx.incoming.text)}
    return Next("instead")


async def instead_options(ctx: Context) -> list[Option]:
    """Each person listed (the one replaced), « Ajouter … », « Ne rien changer »."""
    named = str((ctx.data.get(INSTEAD) or {}).get("name", ""))
    return [
        *(Option(t.full_name, f"{f.id}|{t.id}") for f, t in await chosen(ctx)),
        Option(f"Ajouter {named}", _ADD, words=("ajouter", "en plus", "aussi")),
        Option("Ne rien changer", _KEEP, words=("rien", "aucun", "personne")),
    ]


async def instead_taken(ctx: Context, picked: str) -> Outcome:
    """The person picked replaced in the list, or the one named added; the confirmation
    shown again with it, nothing noted before it."""
    instead = ctx.data.pop(INSTEAD, None) or {}
    ctx.data.pop("_instead_of", None)
    key = [str(k) for k in instead.get("key") or []]
    listed = [[str(k) for k in pair] for pair in ctx.data.get("_resolved") or []]
    if key and picked == _ADD:
        listed.append(key)
    elif key and picked != _KEEP:
        listed = [key if pair == picked.split("|") else pair for pair in listed]
    ctx.data["_resolved"] = listed
    return Next("recap")
