"""An absence written as a sentence, outside any conversation: "Karim absent hier matin".

    Vous Karim absent hier matin
    Bot  Noter l'absence de Karim Benali, hier matin (dimanche 22 novembre 2026) ?
                                                         [Oui, noter] [Non]
    Vous Oui, noter
    Bot  Le 22 novembre est un dimanche : je l'enregistre quand même ?
         … then /absence, as « /absence Karim hier matin » goes on, its day confirmed.

    Vous Karim et Julie absents hier matin
    Bot  Noter une absence non justifiée, matin du dimanche 22 novembre 2026, pour :
         · Karim Benali · Julie Petit        → :mod:`.group`, one confirmation for all

    Vous Zorro absent hier matin
    Bot  Je ne trouve pas « zorro » parmi vos stagiaires. Les noms les plus proches : …

The sentence is read by :func:`bot.absences.sentence.read_absence_sentence`;
the name by :func:`bot.absences.line.match_names`, as ``/absence`` reads it.
:func:`absence_sentence` is the handler for text outside any conversation:
``None`` when the text is not an absence sentence, so the engine answers it
its own way.  Nothing is started without the confirmation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot import dates, texts
from bot.absences.after_day import said_beside_the_day
from bot.absences.besides import past_said_besides
from bot.absences.clashes import HALF_SAID
from bot.absences.days import read_days_and_words
from bot.absences.leaving import read_early_leaving
from bot.absences.line import day_words, half_kept, read_period
from bot.absences.log import MAX_LATE_MINUTES
from bot.absences.roundabout import said_of_the_one_named
from bot.absences.sentence import AbsenceSentence, read_absence_sentence, read_unnamed_absence
from bot.answers import (
    by_surname,
    clean_line,
    closest_names,
    correction,
    fold,
    has_words,
    match_names,
    visible,
)
from bot.conversations.absences.group_days import TODAY_SAID
from bot.conversations.absences.sentence_names import (
    corrected_name,
    names_a_trainee,
    names_and_motives,
    other_name,
    trainee_in,
)
from bot.conversations.absences.steps import single_formation
from bot.conversations.absences.unnamed import day_ahead, said_to_come, unnamed_absence
from bot.conversations.absences.yes_ahead import (
    corrected_kind,
    corrected_length,
    said_ahead,
    unread_after_no,
)
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    ASKED_AGAIN,
    Flow,
    Leave,
    Next,
    Outcome,
    Switch,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.people.names import as_written
from bot.storage.people import Role

NONE = "_none"

TODAY = "aujourd'hui"
"""The day of a sentence that says none (« julie retard 20mn »), as the question shows it."""

MANY_NAMESAKES = 3
"""Up to this many people of that name are listed in « Noter l'absence de … ? », beyond it
counted (explorer AG6: twenty « Julien … » in one question, in an organisation of 40
formations)."""


async def absence_sentence(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: the confirmation if it reports an absence."""
    if ctx.actor is None or not ctx.actor.is_member:
        return None
    # « Julie est partie à 16 h hier »: the half-day's absence, its hour the motive (HB2).
    text = ctx.incoming.text
    sentence = read_absence_sentence(text) or read_early_leaving(text, ctx.now)
    if ctx.incoming.is_group:
        if sentence is None or sentence.nobody:
            return None
        # Said why, not « pas sûr » (explorer EF7): no trainee's absence in a group room.
        ctx.say("common.private_only")
        return Leave()
    if sentence is None and not (ctx.in_dialogue or ctx.incoming.is_group):
        unnamed = read_unnamed_absence(text)
        if unnamed is not None:  # « J'ai un absent ce matin »: who asked (QB1, SA6)
            if unnamed.reason and await trainee_in(ctx, (), unnamed.reason):
                # « … pour Karim »: a trainee's name is no motive (explorer SB11, as SA5)
                unnamed = replace(unnamed, reason=None)
            return unnamed_absence(ctx, unnamed)
    if sentence is not None and sentence.nobody:
        if ctx.in_dialogue:  # « aucun » may answer the question in hand
            return None
        # « Absents ce matin : aucun »: nobody to look for (explorer EA8).
        ctx.say("absence.nobody_said", late=sentence.late)
        return Leave()
    if sentence is None or (ctx.in_dialogue and not await names_a_trainee(ctx, sentence)):
        # « bus en retard » at « Ce retard est-il justifié ? »: an answer, not a new absence
        # (explorer Z Z2: the dialogue was set aside for « Je ne trouve pas « bus » »).
        return None

    if sentence.future:
        # « Julie sera absente lundi »: next Monday, noted that day (explorer M: the past one
        # was offered).
        day = day_ahead(ctx, sentence)
        # « sera absente cet après-midi »: today's, noted (O1); « serait absente hier »: a
        # day past, noted too, never « à venir » (explorer AM2).
        if day is None or day > ctx.now.date():
            ctx.say("absence.said_to_come", day=day, **_past_besides(sentence, text))
            return Leave()
    elif said_to_come(ctx, sentence, **_past_besides(sentence, text)):
        # « Julie absente demain », « Karim absent lundi prochain »: said once, as with « sera »,
        # nothing opened (explorer HB14: « Quel jour a eu lieu l'absence … ? » came after).
        return Leave()
    if sentence.labelled:
        said = await names_and_motives(ctx, sentence)
        motives = [motive for _, motive in said if motive]
        if len(motives) == 1 and said[-1][1] and len(said) > 1:
            # « Karim et Léa malades »: one motive, after the last name, the list's (explorer
            # EE1: refused as « un motif différent pour chacun »).
            said[-1] = (said[-1][0], "")
            sentence = replace(
                sentence, names=tuple(n for n, _ in said), reason=sentence.reason or motives[0]
            )
            motives = []
        if motives and len(said) > 1:
            # « Absents aujourd'hui : Karim malade, Léa rdv »: one motive each, which a
            # sentence for several people has not (explorer EA8: Léa could not be noted).
            ctx.say("absence.sentence_motives_apart", said=said, day=sentence.rest)
            return Leave()
        if motives:  # « Absents aujourd'hui : Karim malade »: Karim's motive
            sentence = replace(sentence, names=(said[0][0],), reason=sentence.reason or motives[0])
    other = await other_name(ctx, sentence)
    if other is not None and sentence.reason and len(sentence.names) == 1:
        # « Karim absent vendredi, Julie m'a dit qu'il était malade »: a trainee telling, what
        # she said of him his motive (« malade », explorer ZA15); « sa mère a dit qu'il est
        # malade » names no trainee, kept as typed (ZA16).
        told = said_of_the_one_named(sentence.reason, sentence.names[0])
        if told is not None:
            sentence = replace(sentence, reason=told or None)
            other = await other_name(ctx, sentence)
    if other is not None:
        # « Karim absent hier matin et Julie en retard ce matin »: two events in one sentence
        # gave Julie's day to Karim (explorer E); one sentence per person, said so.
        ctx.say("absence.sentence_two_events", first=sentence.names[0], other=other)
        return Leave()
    if sentence.reason and await trainee_in(ctx, sentence.names, sentence.reason):
        # « Karim absent hier pour voir Léa »: another trainee's name is asked, never kept as
        # Karim's motive (explorer SA5: « selon Julie » was saved in his record).
        sentence = replace(sentence, reason=None)
    replaced = [str(w) for w in ctx.data.get("_who") or []] if ctx.in_dialogue else []
    if replaced and not set(fold(sentence.names[0]).split()) <= set(fold(replaced[0]).split()):
        # The confirmation for Karim replaced by Julie's: said, whether the name was a
        # correction or another absence to note (explorer AJ5: Karim's dropped unsaid), and
        # said once (explorer BF3: « Je n'ai pas noté l'absence de Karim Benali » under it).
        asked = ctx.data.get("_asked") or " ou ".join(dict.fromkeys(replaced))  # BF2
        ctx.say("absence.sentence_replaced", who=asked)
        ctx.data[ASKED_AGAIN] = True
    # Several people, or several days (« Julie absente du 1er au 3 décembre »): one recap.
    several = len(sentence.names) > 1 or several_days_said(sentence, ctx.now)
    reason = str(sentence.reason or "")
    data = said_data(sentence)
    if len(sentence.names) > 1 and not sentence.rest.strip() and not said_day(ctx, reason):
        # « Julie et Karim en retard de 10 min »: today's, said as for one person (LA1).
        data |= {"_rest": TODAY, TODAY_SAID: True}
    if replaced and all(ctx.data.get(key) == value for key, value in data.items()):
        ctx.data[ASKED_AGAIN] = True  # the very sentence again: asked again, unsaid (QB2)
    return Switch("absence_group" if several else "absence_phrase", data)


def _past_besides(sentence: AbsenceSentence, typed: str) -> dict[str, object]:
    """What « … est à venir » is told: the kind, and a past day said besides (« Julie absente
    demain, elle était absente hier aussi »), not noted, said so (explorer JA9, JB6)."""
    besides = past_said_besides(sentence, typed)
    return {"late": sentence.late, "leaving": sentence.leaving, **besides}


def several_days_said(sentence: AbsenceSentence, now: datetime) -> bool:
    """Whether ``sentence`` names several days (« Julie absente du 1er au 3 décembre »), noted
    in one recap (:mod:`.group`), typed alone or after ``/absence`` (explorer CD3)."""
    days = read_days_and_words(day_words(sentence.rest, now), now, late=sentence.late)[0]
    return days is not None


def said_data(sentence: AbsenceSentence) -> dict[str, object]:
    """What a sentence gives the dialogue that notes it: the names, the rest to read the days
    from, a late arrival's length, and its motive, checked as « Un motif connu ? »'s answer
    is (« à cause du bus »; explorer M: control characters reached the exports)."""
    data: dict[str, object] = {
        "_names": list(sentence.names),
        "_rest": sentence.rest,
        "_late": sentence.late,
        "_minutes": sentence.minutes,
    }
    if sentence.leaving:  # said in the confirmation: how a leaving early is noted (HB2)
        data["_leaving"] = True
    reason = clean_line(sentence.reason, limit=300) if sentence.reason else None
    if isinstance(reason, str) and has_words(reason):
        data["reason"] = reason
    return data


def _sentence(ctx: Context) -> AbsenceSentence:
    return AbsenceSentence(
        names=tuple(ctx.data["_names"]),
        rest=str(ctx.data["_rest"]),
        late=bool(ctx.data["_late"]),
        minutes=ctx.data.get("_minutes"),
    )


async def phrase_start(ctx: Context) -> Outcome | None:
    """Say at once when nobody is known by that name; else ask."""
    sentence = _sentence(ctx)
    # The moment typed: « ce matin » confirmed after midnight is still that morning (IB2),
    # and so after another trainee's name said then (« non c'est Julie »: explorer FC4).
    ctx.data["_at"] = ctx.data.get("_at") or ctx.now.isoformat()
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("absence.no_formation")
        return Leave()
    people = sorted(
        {(t.full_name, t.id) for f in formations for t in f.named_trainees},
        key=lambda p: by_surname(p[0]),
    )
    found = match_names(sentence.names[0], people)
    if not found:
        # One line per name: namesakes are told apart by /absence after (explorer M).
        closest = closest_names(sentence.names[0], list(dict.fromkeys(n for n, _ in people)))
        if not closest:
            ctx.say("absence.quick_unknown", typed=sentence.names[0][:40], closest=[])
            return Leave()
        ctx.data["_closest"] = closest  # « Kareem »: asked, the rest of the sentence kept
        return None
    ctx.data["_who"] = [name for name, key in people if key in found]
    if not sentence.rest.strip() and said_day(ctx, str(ctx.data.get("reason") or "")) is None:
        # « julie retard 20mn », « karim pas là »: no day said is today's, spelled out in the
        # question, « non, hier » correcting it (explorer KF1: the day was asked after « Oui »);
        # a day in the motive (« partie à 16h pour un rdv vendredi ») still asked (KA1).
        ctx.data["_rest"] = TODAY
    if sentence.rest and said_day(ctx, sentence.rest) is None:
        # « lundi 3 » (a Thursday), a day not understood: no « Noter … ? » for a day /absence
        # will refuse; it says why at once and asks the day (explorer A; a day to come is
        # said before, nothing opened: HB14).
        return await go(ctx)
    return None


def typed_at(ctx: Context) -> datetime:
    """When the sentence was typed: its relative words (« ce matin », « hier ») mean that
    moment, not the answer's (explorer IB2: confirmed after midnight, or the next morning,
    the absence went to the day of the « oui », not the day the question spelled out)."""
    at = ctx.data.get("_at")
    return datetime.fromisoformat(at) if isinstance(at, str) else ctx.now


def said_day(ctx: Context, rest: str, now: datetime | None = None) -> date | None:
    """The day the sentence's words name, when it had come (that day or before) at ``now``,
    by default the moment the sentence was typed."""
    if not rest:
        return None
    now = now or typed_at(ctx)
    understood = dates.understand(day_words(rest, now), now, "past")
    if understood is None or understood.when.date() > now.date():
        return None
    return understood.when.date()


async def closest_options(ctx: Context) -> list[Option]:
    return [
        *(Option(name, str(n)) for n, name in enumerate(ctx.data.get("_closest") or [])),
        Option("Aucun de ces noms", NONE, words=("aucun", "personne", "non")),
    ]


async def closest_taken(ctx: Context, picked: str) -> Outcome:
    """The name meant: the sentence goes on with it, the day and all, without a second
    « Noter … ? » (explorer A: the whole sentence had to be typed again)."""
    if picked == NONE:
        ctx.say("absence.closest_none")
        return Leave()
    chosen = str(ctx.data["_closest"][int(picked)])
    ctx.data["_names"] = [chosen, *list(ctx.data["_names"])[1:]]
    return await go(ctx)


async def confirm_values(ctx: Context) -> dict[str, object]:
    """ "de Karim Benali", "d'Éloïse Lefèvre": the elision a careful writer makes.

    Namesakes (two Karim Benali in two formations) are named once, with a
    word that /absence will ask which one, not « Karim Benali ou Karim Benali »;
    more than :data:`MANY_NAMESAKES` trainees are counted.
    """
    who = list(dict.fromkeys(ctx.data["_who"]))
    rest = str(ctx.data["_rest"])
    day = said_day(ctx, rest)
    head, comma, tail = rest.partition(",")
    if not comma:  # « hier justifié arret maladie »: the day alone is the day (BG6)
        head, tail = said_beside_the_day(rest)
    if said_day(ctx, head) != day:
        head, tail = rest, ""
    spelled = set(fold(dates.spell_date(day)).split()) if day is not None else set()
    # « lundi 23 novembre matin »: the day once, then its half (explorer T, T9: twice),
    # the half read as /absence reads it.
    period, _, without = read_period(head)
    part = HALF_SAID.get(period or "")
    ctx.data.update(_day=day and day.isoformat(), _half=period)  # a lapse's example (SA10)
    extra = set(fold(without if part else head).split()) - spelled
    # Twenty « Julien … » (AG6): the trainees counted, not their names (explorer KB, KB1:
    # « 9 stagiaires s'appellent ainsi » for 20 Léa, « Léa Martin » in three formations).
    trainees = len(ctx.data["_who"])
    many = trainees if trainees > MANY_NAMESAKES else 0
    # Who, as the question says it: also what « Je n'ai pas noté … » says when a command
    # closes it (explorer BF2: « Sarah Benali ou Sarah Benali ou … », twenty names).
    ctx.data["_asked"] = as_written(ctx.data["_names"][0]) if many else " ou ".join(who)
    return {
        "of_who": texts.of(ctx.data["_asked"]),
        "many": many,
        "day": day,  # spelled out after the words that name it (explorer O O17)
        # « mercredi » is in « mercredi 2 décembre 2026 »: the day once, not twice
        "same": bool(spelled) and not extra,
        "part": part,
        # Quoted back without what could disturb the chat (explorer AK2: a U+202E typed
        # in the motive turned the end of « Noter … ? » round); the motive itself is
        # checked as any answer is (:func:`absence_sentence`).
        "head": visible(head),
        # after its comma, which the question writes; the motive read apart (« à cause du
        # bus », « hier, mardi il revient »: explorer AY5) is shown where it was typed
        "tail": visible(tail or str(ctx.data.get("reason") or "")),
        # A name several trainees bear, named once: asked apart next (with three trainees at
        # most, one name: « Léa Martin ou Léa Simon », two Léa Martin).
        "namesakes": "" if many else next((n for n in who if ctx.data["_who"].count(n) > 1), ""),
        "one_name": len(who) == 1,
        "limit": MAX_LATE_MINUTES,  # a longer one is not shown as to note: said after
    }


async def go(ctx: Context) -> Switch:
    """Hand over to ``/absence`` with the line, as if typed after the command at the moment
    the sentence was (explorer IB2)."""
    data: dict[str, object] = {"_line": _sentence(ctx).line, "_at": typed_at(ctx).isoformat()}
    # Who was asked about, named if nothing can be noted any more (explorer AF3).
    data["_named"] = list(dict.fromkeys(ctx.data.get("_who") or []))
    data["_was_late"] = bool(ctx.data.get("_late"))
    if ctx.data.get("reason"):
        data["reason"] = ctx.data["reason"]
    if ctx.data.get("justified") is not None:  # « oui justifiée » (explorer QB19)
        data["justified"] = ctx.data["justified"]
    return Switch("absence", data)


async def go_as_said(ctx: Context) -> Outcome:
    """« Oui, noter » to a question that spelled the day out: that day is not confirmed a
    second time (explorer O O17: « J'ai compris : jeudi 3 décembre 2026, le matin. C'est
    bien ça ? » came right after « Noter l'absence de Karim Benali, hier matin ? »)."""
    outcome = await go(ctx)
    day = said_day(ctx, str(ctx.data["_rest"]))
    if day is not None:
        outcome.data["_said_date"] = day.isoformat()
    return outcome


async def corrected(ctx: Context) -> Outcome | None:
    """What else than « oui » or « non » may answer « Noter l'absence … ? »."""
    return (
        corrected_length(ctx)
        or corrected_kind(ctx)
        or await corrected_day(ctx)
        or narrowed(ctx)
        or await yes_and_more(ctx)
        or await corrected_name(ctx)
        or unread_after_no(ctx)  # « non c'est Karima »: kept, said so (explorer FC1)
    )


async def yes_and_more(ctx: Context) -> Outcome | None:
    """« oui, il est malade », « oui justifiée »: a yes, and the answers to come kept
    (explorer QB19: refused, and the same question asked again); no trainee's name (SA1)."""
    names = [t.full_name for f in await visible_formations(ctx) for t in f.named_trainees]
    late = bool(ctx.data.get("_late")) and not ctx.data.get("_minutes")  # « oui, 20 min »: UA1
    ahead = said_ahead(ctx.incoming.text, ctx.now, names, late=late)
    if ahead is None:
        return None
    ctx.data.update(ahead)
    return await go_as_said(ctx)


def narrowed(ctx: Context) -> Outcome | None:
    """« moreau » to « Noter l'absence de Julien (20 stagiaires s'appellent ainsi …) ? »: the
    same question about the one meant (explorer AG6: refused, the twenty names again)."""
    who = list(dict.fromkeys(ctx.data["_who"]))
    found = match_names(ctx.incoming.text, [(name, name) for name in who])
    if len(who) < 2 or not found or len(set(found)) == len(who):
        return None
    ctx.data["_who"] = [name for name in ctx.data["_who"] if name in found]
    if len(set(found)) == 1:
        ctx.data["_names"] = [found[0], *list(ctx.data["_names"])[1:]]
    return Next("go")


async def corrected_day(ctx: Context) -> Outcome | None:
    """« non en fait mercredi » to « Noter l'absence …, hier matin ? »: the same question with
    that day (explorer U U1: refused, and a bare « non » then dropped the absence)."""
    rest = correction(ctx.incoming.text)
    if rest is None or said_day(ctx, rest, ctx.now) is None:
        return None
    ctx.data["_rest"] = half_kept(rest, str(ctx.data["_rest"]))  # its morning still
    ctx.data["_at"] = ctx.now.isoformat()  # « hier » typed now means now's yesterday (IB2)
    return Next("go")


PHRASE = Flow(
    "absence_phrase",
    role=Role.FORMATEUR,
    summary="noter une absence",
    said_as=lambda d: "noter un retard" if d.get("_late") else None,  # explorer BE7
    start=phrase_start,
    # Only the sentence's own confirmation: a sentence typed again (« julie absente lundi »
    # for the « karim absent lundi » just typed) replaces it, and a half-typed /bilan set
    # aside before stays there (explorer AG7: it was dropped for the mistaken question).
    browsing=True,
    left_saying="absence.sentence_left",
    lapsed_saying="absence.lapsed",
    steps=[
        Pick(
            "closest",
            ask="absence.ask_closest",
            options=closest_options,
            then=closest_taken,
            when=lambda c: bool(c.data.get("_closest")),
        ),
        Confirm(
            "go",
            ask="absence.sentence_confirm",
            values=confirm_values,
            yes=go_as_said,
            no=leave_saying("absence.sentence_declined"),
            yes_label="Oui, noter",
            no_label="Non",
            other=corrected,
            dates=True,
        ),
    ],
)

FLOWS = [PHRASE]
