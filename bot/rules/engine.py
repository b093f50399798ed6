"""The one place where rules become dates: offsets counted from anchors.

:func:`deadlines` is a pure function of a formation's facts, the
organisation's settings and its time zone.  Rules name what they need
(an anchor, a scope of subjects, a predicate) and the small registries of
:mod:`bot.rules.subjects` resolve those names, so a new Région's rule is a new
entry in ``RULES``.

The time arithmetic every rule shares is :mod:`bot.rules.arithmetic`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dates import (
    day_off,
    next_working_day,
    previous_working_day,
    public_holiday,
    spell_day_month,
    spell_time,
    weekend_day,
)
from bot.rules.arithmetic import Moment, add_months, local_date, local_moment, shift_hours
from bot.rules.catalogue import RULES
from bot.rules.facts import (
    FormationFacts,
)
from bot.rules.french import of, plural, spell_date, spell_datetime
from bot.rules.model import Deadline, Milestone, Offset, Rule
from bot.rules.settings import SETTINGS_BY_KEY, bool_setting, int_setting
from bot.rules.subjects import (
    ANCHORS,
    PREDICATES,
    SCOPES,
    Subject,
    entretien_of,
    holds,
    path_end,
    sign_of,
    worded,
)

DEFAULT_TZ = ZoneInfo("Europe/Paris")


def amount_of(offset: Offset, settings: Mapping[str, object]) -> int:
    return offset.amount if offset.setting is None else int_setting(settings, offset.setting)


def _due(
    offset: Offset, subject: Subject, settings: Mapping[str, object], tz: ZoneInfo
) -> tuple[date, datetime | None, Moment] | None:
    """(due day, exact moment or None, anchor) for one milestone, or None when the anchor is unknown."""
    anchor = ANCHORS[offset.anchor](subject)
    if anchor is None:
        return None
    amount = amount_of(offset, settings)
    sign = -1 if offset.direction == "before" else 1
    if offset.unit == "hours":
        due_at = shift_hours(local_moment(anchor, tz), sign * amount, tz)
        return due_at.date(), due_at, anchor
    day = local_date(anchor, tz)
    if offset.unit == "days":
        return day + timedelta(days=sign * amount), None, anchor
    if offset.unit == "months":
        return add_months(day, sign * amount), None, anchor
    # percent: a point of the way from the anchor to ``towards``.
    towards = ANCHORS[offset.towards or ""](subject)
    if towards is None:
        return None
    span = (local_date(towards, tz) - day).days
    return day + timedelta(days=span * amount // 100), None, anchor


def spell_delay(offset: Offset, settings: Mapping[str, object]) -> str:
    amount = amount_of(offset, settings)
    if offset.unit == "hours":
        return f"{amount} h"
    if offset.unit == "days":
        return plural(amount, "jour")
    if offset.unit == "months":
        return f"{amount} mois"
    return f"{amount} %"


# ---------------------------------------------------------------------- wording

_SAME_DAY = (
    ("{delay} après le ", "le jour du "),
    ("{delay} après ", "le jour de "),
    ("s'est donné {delay} (", "le demande le jour même ("),
)


def _same_day(milestone: Milestone, settings: Mapping[str, object]) -> str:
    """The explanation, where a delay set to 0 (« 0 = le jour de la fin ») reads « le jour
    de la fin retenue », not « 0 mois après la fin retenue », and an Elycoop delay said
    alone « l'organisme le demande le jour même », not « s'est donné 0 jour » (CD8)."""
    text = milestone.explanation
    if "{delay}" not in text or amount_of(milestone.offset, settings) != 0:
        return text
    for delay, same_day in _SAME_DAY:
        text = text.replace(delay, same_day)
    return text


def _context(
    subject: Subject,
    milestone: Milestone,
    settings: Mapping[str, object],
    tz: ZoneInfo,
    due_on: date,
    due_at: datetime | None,
    anchor: Moment,
) -> dict[str, str]:
    formation = subject.formation
    chargee = formation.chargee_de_mission
    anchor_text = (
        spell_datetime(anchor.astimezone(tz))
        if isinstance(anchor, datetime)
        else spell_date(anchor)
    )
    context = {
        "due": "le " + (spell_datetime(due_at) if due_at else spell_date(due_on)),
        "delay": spell_delay(milestone.offset, settings),
        "anchor": "le " + anchor_text,
        "formation": f"« {formation.title} »",
        "a_chargee": f"à {chargee}" if chargee else "à la personne chargée de mission",
    }
    if subject.bilan is not None:
        kind = "de fin de formation" if subject.bilan.kind == "fin" else "d'étape"
        context["bilan"] = (
            f"bilan {kind} du {spell_datetime(subject.bilan.starts_at.astimezone(tz))}"
        )
    if subject.owed is not None:
        context["span"] = subject.owed.scope_label
    if subject.span is not None:
        context["span"] = subject.span.label
    if subject.kind in ("trainee", "followup"):
        trainee_id = subject.followup.trainee_id if subject.followup else subject.id
        name = subject.trainee.name if subject.trainee else None
        context["trainee"] = name or f"la personne en formation n° {trainee_id}"
        context["of_trainee"] = of(context["trainee"])
    if subject.followup is not None:
        context["opened"] = "le " + spell_date(subject.followup.opened_at.astimezone(tz).date())
        sign = sign_of(subject)
        assert sign is not None
        context["sign"] = "le " + spell_date(local_date(sign, tz))
        context["path_end"] = "le " + spell_date(path_end(subject))
        entretien = entretien_of(subject)
        context["entretien"] = (
            "du " + spell_datetime(entretien.astimezone(tz)) if entretien else "individuel"
        )
    return context


# ------------------------------------------------------------------- the rules


def _applies(rule: Rule, formation: FormationFacts) -> bool:
    """Whether ``rule`` concerns ``formation`` at all (before toggles and exclusions)."""
    if rule.funder is not None and rule.funder != formation.funder:
        return False
    if rule.programmes is not None and formation.programme not in rule.programmes:
        return False
    whole = Subject(formation, "formation", formation.id)
    return all(holds(p, whole) for p in rule.applies_if)


def _off_reason(
    rule: Rule, formation: FormationFacts, settings: Mapping[str, object]
) -> str | None:
    whole = Subject(formation, "formation", formation.id)
    for exclusion in rule.exclusions:
        if holds(exclusion.predicate, whole):
            return exclusion.reason
    for toggle in rule.toggles:
        if not bool_setting(settings, toggle.setting):
            return toggle.reason
    return None


def disabled_rules(
    formation: FormationFacts, settings: Mapping[str, object]
) -> list[tuple[Rule, str]]:
    """Rules that concern ``formation`` but are off, each with the French reason.

    The bot shows these so nobody wonders why a rule of the seeds is silent:
    CVL-TABLE for Parcours Métiers (the later 001 dropped it), the Elycoop
    procedure for a subcontracted formation or an organisation that opted out.
    """
    found = []
    for rule in RULES:
        if _applies(rule, formation):
            reason = _off_reason(rule, formation, settings)
            if reason is not None:
                found.append((rule, reason))
    return found


def _detail(subject: Subject, tz: ZoneInfo) -> str | None:
    """The words that tell two deadlines of one title apart (no personal data)."""
    if subject.owed is not None and subject.owed.key_suffix:
        return subject.owed.scope_label
    if subject.span is not None and subject.key_suffix:  # one of several sessions
        return subject.span.label
    if subject.bilan is not None:
        kind = "de fin" if subject.bilan.kind == "fin" else "d'étape"
        return f"bilan {kind} du {subject.bilan.starts_at.astimezone(tz):%d/%m}"
    return None


def _key(rule: Rule, milestone: Milestone, subject: Subject) -> str:
    rule_part = f"{rule.id}-{milestone.key}" if milestone.key else rule.id
    return f"{rule_part}:{subject.kind}:{subject.id}{subject.key_suffix}"


def deadlines(
    formation: FormationFacts,
    settings: Mapping[str, object] | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> list[Deadline]:
    """Every dated deadline ``formation`` owes, sorted by due day then moment.  Pure: no
    clock, no I/O; past ones included (late, done, notified: the scheduler's, keyed on
    :attr:`Deadline.key`, which does not change when dates move)."""
    settings = settings or {}
    found: list[Deadline] = []
    for rule in RULES:
        if not _applies(rule, formation) or _off_reason(rule, formation, settings):
            continue
        for subject in (replace(s, tz=tz) for s in SCOPES[rule.scope](formation)):
            if not all(holds(p, subject) for p in rule.subject_if):
                continue
            dues: dict[str | None, date] = {}
            for milestone in (worded(m, subject) for m in rule.milestones):
                due = _due(milestone.offset, subject, settings, tz)
                if due is None:
                    continue
                due_on, due_at, anchor = due
                later = dues.get(milestone.not_before) if milestone.not_before else None
                if later is not None and later > due_on:
                    due_on = later  # what it closes comes first
                event, off = due_on, day_off(due_on)
                if due_at is None and milestone.moves_off(due_on, local_date(anchor, tz)):
                    due_on = next_working_day(due_on)
                moved = due_on != event and off is not None
                booked = _booked_late(subject, due_on, tz) if milestone.booked_late else None
                ended = _within_path(subject, due_on, tz) if milestone.within_path else None
                due_on = booked or ended or due_on
                dues[milestone.key] = due_on
                context = _context(subject, milestone, settings, tz, due_on, due_at, anchor)
                whole = moved and milestone.day_off_explanation  # the day said once (UB5)
                if whole:
                    context["off_on"] = _off_on(event, due_on)
                template = (
                    milestone.day_off_explanation if whole else _same_day(milestone, settings)
                )
                sentence = template.format_map(context)
                if due_on == later:
                    sentence += milestone.not_before_said
                if moved and not whole:
                    sentence += milestone.day_off_after.format(day=spell_date(event), off=off)
                if booked is not None:
                    sentence += milestone.booked_late.format_map(context)
                if ended is not None:
                    sentence += milestone.within_path.format_map(context)
                sentence += _clock_changed(due_at, anchor, tz)
                if beyond := rule.beyond_for(formation.programme):
                    sentence += f". {beyond}"  # kept by prudence (explorer UB3)
                found.append(
                    Deadline(
                        key=_key(rule, milestone, subject),
                        rule_id=rule.id,
                        formation_id=formation.id,
                        subject=subject.kind,
                        subject_id=subject.id,
                        due_on=due_on,
                        due_at=due_at,
                        title=milestone.title,
                        explanation=f"{sentence} ({rule.citation_for(formation.programme)}).",
                        source=rule.citation_for(formation.programme),
                        audience=rule.audience,
                        postponable=milestone.postponable,
                        detail=_detail(subject, tz),
                        anchor_on=local_date(anchor, tz),
                    )
                )
    return sorted(found, key=_order)


CLOCK_CHANGE = "le changement d'heure retire une heure"
"""Why an hour counted in hours is not the wall-clock one; the one-line lists find it in the
stored explanation (:func:`bot.deadlines.documents.clock_moved`; WB)."""


def _clock_changed(due_at: datetime | None, anchor: Moment, tz: ZoneInfo) -> str:
    """Why a moment counted in hours from another is an hour off its wall-clock count: a
    clock change in between, elapsed hours the earlier (:func:`bot.rules.arithmetic.shift_hours`;
    explorer UB4: « samedi … à 13 h 00 » for a Monday 14 h bilan, unexplained); "" when no
    change moved it (the autumn one before a bilan keeps the wall clock; « 50 h avant », set
    by the organisation, is 12 h by design)."""
    if due_at is None or not isinstance(anchor, datetime):
        return ""
    was, now = anchor.astimezone(tz).utcoffset(), due_at.astimezone(tz).utcoffset()
    if was is None or now is None or now >= was:
        return ""
    counted = (due_at.astimezone(tz) + (was - now)).time()
    return f". {spell_time(due_at)} et non {spell_time(counted)} : {CLOCK_CHANGE}"


def _off_on(event: date, due_on: date) -> str:
    """« un samedi (le 2 janvier) », « un jour férié (lundi de Pâques, le 29 mars) »: the day
    off an event fell on, after the working day it is done on (its year when not the same)."""
    day = spell_day_month(event) + (f" {event.year}" if event.year != due_on.year else "")
    holiday = None if weekend_day(event) else public_holiday(event)
    return f"un jour férié ({holiday}, le {day})" if holiday else f"{day_off(event)} (le {day})"


def _booked_late(subject: Subject, due_on: date, tz: ZoneInfo) -> date | None:
    """Where a target before the bilan goes when the bilan was booked after it
    (:attr:`Milestone.booked_late`); ``None`` when it was not."""
    bilan = subject.bilan
    if bilan is None or bilan.scheduled_at is None:
        return None
    booked = local_date(bilan.scheduled_at, tz)
    if due_on >= booked:
        return None
    return max(booked, previous_working_day(local_date(bilan.starts_at, tz)))


def _within_path(subject: Subject, due_on: date, tz: ZoneInfo) -> date | None:
    """The path's last day for a step due after it, of a follow-up opened by then
    (:attr:`Milestone.within_path`); ``None`` otherwise."""
    if subject.followup is None:
        return None
    end = path_end(subject)
    if due_on <= end or local_date(subject.followup.opened_at, tz) > end:
        return None
    return end


def _order(d: Deadline) -> tuple[date, int, float, str]:
    """By day; within a day, timed deadlines first (by moment), then by key."""
    if d.due_at is None:
        return d.due_on, 1, 0.0, d.key
    return d.due_on, 0, d.due_at.timestamp(), d.key


def validate_rules(rules: Iterable[Rule] = RULES) -> list[str]:
    """Problems in rule data (unknown anchor, setting, scope, predicate…), in English.

    Run by the tests and at import, so a rule added as data cannot fail
    silently at the first scheduler tick.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            problems.append(f"{rule.id}: duplicate id")
        seen.add(rule.id)
        if rule.scope not in SCOPES:
            problems.append(f"{rule.id}: unknown scope {rule.scope!r}")
        if not rule.milestones:
            problems.append(f"{rule.id}: no milestone")
        for name in (*rule.applies_if, *rule.subject_if, *(e.predicate for e in rule.exclusions)):
            if name.removeprefix("!").partition(":")[0] not in PREDICATES:
                problems.append(f"{rule.id}: unknown predicate {name!r}")
        for toggle in rule.toggles:
            spec = SETTINGS_BY_KEY.get(toggle.setting)
            if spec is None or spec.type is not bool:
                problems.append(f"{rule.id}: toggle {toggle.setting!r} is not a bool setting")
        milestone_keys = [s.key for s in rule.milestones]
        if len(set(milestone_keys)) != len(milestone_keys) or (
            len(milestone_keys) > 1 and None in milestone_keys
        ):
            problems.append(f"{rule.id}: milestone keys must be distinct, and named when several")
        for milestone in rule.milestones:
            offset = milestone.offset
            for anchor in (offset.anchor, offset.towards):
                if anchor is not None and anchor not in ANCHORS:
                    problems.append(f"{rule.id}: unknown anchor {anchor!r}")
            if offset.unit == "percent" and offset.towards is None:
                problems.append(f"{rule.id}: a percent offset needs 'towards'")
            if offset.setting is not None:
                spec = SETTINGS_BY_KEY.get(offset.setting)
                if spec is None or spec.type is not int:
                    problems.append(f"{rule.id}: {offset.setting!r} is not an int setting")
                elif rule.id not in spec.rules:
                    problems.append(f"{rule.id}: setting {spec.key!r} does not list this rule")
    return problems


_PROBLEMS = validate_rules()
if _PROBLEMS:  # pragma: no cover - guarded by tests
    raise RuntimeError("invalid rules: " + "; ".join(_PROBLEMS))
