"""« non, c'est Julie » at the roll call's « Enregistrer l'appel ? »: whom Julie replaces among
those marked is asked, never guessed (explorer KD2: « Je ne trouve pas « non » dans la
liste »), as at several people's confirmation (:mod:`.group_words`):

    Bot  Absence (1) : Léa Martin. Retard (1) : Karim Benali. … Enregistrer l'appel ?
    You  non, c'est Julie
    Bot  « non, c'est Julie » : Julie Petit, à la place de qui ? …
         [Karim Benali (retard)] [Léa Martin (absence)] [Ajouter Julie Petit] [Ne rien changer]

The one picked is counted present and Julie takes that mark; with one person marked, Julie
takes it at once. Kept apart from :mod:`.appel` (near 500 lines).
"""

from __future__ import annotations

from bot.answers import Invalid, closest_names
from bot.conversations.absences.roll import locked_marks, roster_rows
from bot.conversations.absences.sentence_names import name_after_no, names_said_instead
from bot.conversations.absences.yes_ahead import quoted_back
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Outcome, Retry, Stay
from bot.messages import Reply

INSTEAD = "_roll_instead"
"""The trainee named after « non », while whom she or he replaces is asked."""

_ADD, _KEEP = "add", "keep"
_STATUS = {"absent": "absence", "retard": "retard"}


def named_instead(ctx: Context) -> Outcome | None:
    """« non, c'est Julie »: one trainee of the call, by whole words, not marked yet; the
    question asked (several marked) or her mark taken (one); what stands in the way said, the
    recap asked again (already marked, noted before the call, no such trainee: explorer KD2
    answered « Je ne trouve pas « non » dans la liste »); ``None`` for anything else."""
    rest = name_after_no(ctx.incoming.text)
    if rest is None or ctx.incoming.choice is not None:
        return None
    marks: dict[str, str] = dict(ctx.data.get("marks") or {})
    rows = roster_rows(ctx)
    said = names_said_instead(rest, {name for name, _, _, _ in rows})
    found = [(name, value) for name, value, _, _ in rows if name in said]
    marked = [value for _, value, _, _ in rows if marks.get(value)]
    if len(found) != 1:  # namesakes: not guessed
        return _refused(ctx, rest, [name for name, _ in found], rows)
    name, value = found[0]
    noted = locked_marks(ctx).get(value)
    if noted or value in marks or not marked:
        text = ctx.render(
            "absence_appel.roll_instead_kept", name=name, noted=noted, mark=marks.get(value)
        )
        return Retry(text)
    if len(marked) == 1:
        marks[value] = marks.pop(marked[0])
        ctx.data["marks"] = marks
        return Stay()
    ctx.data[INSTEAD] = {"name": name, "value": value, "said": quoted_back(ctx.incoming.text)}
    return Stay()


def _refused(
    ctx: Context, rest: str, found: list[str], rows: list[tuple[str, str, str, str]]
) -> Outcome:
    names = list(dict.fromkeys(name for name, _, _, _ in rows))
    typed = quoted_back(rest)
    if found:
        return Retry(ctx.render("absence_appel.roll_instead_namesakes", typed=typed))
    closest = closest_names(rest, names)
    return Retry(ctx.render("absence_appel.roll_instead_unknown", typed=typed, closest=closest))


def _choices(ctx: Context) -> dict[str, str]:
    marks = ctx.data.get("marks") or {}
    name = str(ctx.data[INSTEAD]["name"])
    return {
        **{
            value: f"{who} ({_STATUS.get(str(marks[value]), str(marks[value]))})"
            for who, value, _, _ in roster_rows(ctx)
            if marks.get(value)
        },
        _ADD: f"Ajouter {name}",
        _KEEP: "Ne rien changer",
    }


def instead_question(ctx: Context) -> Reply | None:
    """Whom the trainee named replaces, while it is asked; ``None`` otherwise."""
    if not ctx.data.get(INSTEAD):
        return None
    said = ctx.data[INSTEAD]
    text = ctx.render("absence_appel.roll_instead", said=said["said"], name=said["name"])
    return Reply(
        text=text, choices=tuple(ctx.choice(label, v) for v, label in _choices(ctx).items())
    )


def instead_answer(ctx: Context) -> Outcome | None:
    """The answer to :func:`instead_question`: the mark moved, or added as an absence, or
    nothing changed; the recap asked again. ``None`` when it is not being asked."""
    if not ctx.data.get(INSTEAD):
        return None
    choices = _choices(ctx)
    picked = ctx.chosen(list(choices), labels=choices)
    if isinstance(picked, Invalid):
        return Retry(picked.message)
    if picked is None:
        return Retry(ctx.render("common.pick_again"))
    named = str(ctx.data.pop(INSTEAD)["value"])
    marks: dict[str, str] = dict(ctx.data.get("marks") or {})
    if picked == _ADD:
        marks[named] = "absent"
    elif picked != _KEEP:
        marks[named] = marks.pop(picked)
    ctx.data["marks"] = marks
    return Stay()
