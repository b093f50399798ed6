"""The organisation settings an admin changes with ``/reglages``.

Values live in ``Organisation.settings`` (JSON), keyed like the settings
the features declare in their manifests (merged in
:attr:`bot.manifest.Features.settings`): the hour of the daily digest
(:data:`DIGEST_HOUR`, which overrides ``FORMABOT_DIGEST_HOUR`` for one
organisation), the rules' :data:`bot.rules.SETTINGS` (the delays the seeds
leave open), the absences' detection thresholds, the attestations' options.
A key absent from the JSON means "the default".

The rules engine refuses a stored value it cannot use (it would rather not
guess a date); :func:`rules_settings` hands it only the values that pass the
catalogue's own check, so one bad row can never stop a formation from being
saved.  ``/reglages`` validates before storing, so this is a safety net.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.people.zones import ZONES
from bot.rules import RULES, SETTINGS, Setting, SettingError
from bot.storage.people import DEFAULT_TIMEZONE, Organisation

log = logging.getLogger(__name__)

DIGEST_HOUR = Setting(
    key="digest_hour",
    label="Heure du récapitulatif quotidien des échéances",
    type=int,
    default=8,
    minimum=0,
    maximum=23,
    rules=(),
    help="Chaque jour à cette heure (heure de l'organisme), le récapitulatif des échéances en "
    "retard et des sept prochains jours est envoyé.",
)


TIMEZONE = Setting(
    key="timezone",
    label="Fuseau horaire de l'organisme",
    type=str,
    default=DEFAULT_TIMEZONE,
    choices=tuple(ZONES),
    rules=(),
    help="Toutes les heures de l'organisme (bilans, échéances, récapitulatif) sont dites et "
    "lues dans ce fuseau, choisi à la création de l'organisme.",
)
"""Held in its own column (``organisations.timezone``), not in the settings' JSON: the
engine reads it at every turn (explorer AC, AC7: chosen by a slip at /start, it could not
be changed)."""


def spec_of(key: str, catalogue: Sequence[Setting]) -> Setting | None:
    return next((s for s in catalogue if s.key == key), None)


def stored(organisation: Organisation) -> dict[str, Any]:
    return dict(organisation.settings or {})


def rules_settings(organisation: Organisation) -> dict[str, object]:
    """The organisation's overrides that the rules can use (invalid ones dropped, key logged)."""
    return usable_rules_settings(organisation.settings)


def usable_rules_settings(raw: Mapping[str, Any] | None) -> dict[str, object]:
    """:func:`rules_settings` of an organisation's ``settings`` column read alone."""
    values: dict[str, object] = {}
    raw = raw or {}
    for spec in SETTINGS:
        if spec.key not in raw or raw[spec.key] is None:
            continue
        try:
            values[spec.key] = spec.check(raw[spec.key])
        except SettingError:
            log.warning("organisation setting %s is invalid; default used", spec.key)
    return values


def value_of(organisation: Organisation, spec: Setting, *, digest_default: int) -> object:
    """The value in force: the organisation's, else the default."""
    if spec.key == TIMEZONE.key:
        return organisation.timezone if organisation.timezone in ZONES else TIMEZONE.default
    raw = stored(organisation).get(spec.key)
    if raw is not None:
        try:
            return spec.check(raw)
        except SettingError:
            pass
    if spec.key == DIGEST_HOUR.key:
        return digest_default
    return spec.default


def is_default(organisation: Organisation, spec: Setting) -> bool:
    if spec.key == TIMEZONE.key:
        return organisation.timezone == TIMEZONE.default
    return stored(organisation).get(spec.key) is None


def digest_hour(organisation: Organisation, default: int) -> int:
    value = value_of(organisation, DIGEST_HOUR, digest_default=default)
    return value if isinstance(value, int) and 0 <= value <= 23 else 8


def store(organisation: Organisation, spec: Setting, value: object | None) -> None:
    """Save ``value`` (checked by the caller) or, with ``None``, go back to the default."""
    if spec.key == TIMEZONE.key:
        organisation.timezone = str(TIMEZONE.default if value is None else spec.check(value))
        organisation.digest_next_at = None  # its hour is the zone's
        return
    values = stored(organisation)
    if value is None:
        values.pop(spec.key, None)
    else:
        values[spec.key] = spec.check(value)
    organisation.settings = values
    # The digest hour may have moved, or the deadlines with it: the digest looks again
    # at the next tick (what it already sent today it does not send twice).
    organisation.digest_next_at = None


def digest_destination(organisation: Organisation, chat: str) -> str:
    """Where the digest goes, seen from ``chat`` (``platform:chat id``).

    ``private`` (to each admin), ``here`` (this chat) or ``elsewhere`` (another chat).
    """
    if not organisation.digest_chat:
        return "private"
    return "here" if organisation.digest_chat == chat else "elsewhere"


def toggle_reasons(spec: Setting) -> list[str]:
    """Why the rules this (boolean) setting toggles are off by default, each reason once:
    the rules' own words, which say why a rule is off; none for a setting on by default
    (explorer DA12: « Pourquoi activé par défaut : L'organisation n'applique pas la
    procédure … », six times, one per rule)."""
    if spec.default is not False:
        return []
    reasons = (
        toggle.reason for rule in RULES for toggle in rule.toggles if toggle.setting == spec.key
    )
    return list(dict.fromkeys(reasons))


def shown(value: object, spec: Setting) -> str:
    """A value as an admin reads it: « oui », « 48 », « arrondi inférieur »."""
    if spec.type is bool:
        return "activé" if value else "désactivé"
    if spec.key == DIGEST_HOUR.key:
        return f"{value} h"
    return CHOICE_WORDS.get(str(value), str(value))


ROUNDING_WORDS: Mapping[str, str] = {
    "down": "arrondi à l'inférieur",
    "nearest": "arrondi au plus proche",
    "up": "arrondi au supérieur",
}
CHOICE_WORDS: Mapping[str, str] = {**ROUNDING_WORDS, **ZONES}
"""A choice as an admin reads it (its button, its value in /reglages)."""


def markdown_table(catalogue: Sequence[Setting]) -> str:
    """The README's settings table, from the settings every feature declares."""
    lines = [
        "| réglage | ce qu'il règle | défaut | valeurs | règles |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in catalogue:
        if spec.type is bool:
            allowed = "oui / non"
        elif spec.choices:
            allowed = ", ".join(f"`{c}`" for c in spec.choices)
        else:
            allowed = f"{spec.minimum} à {spec.maximum}"
        default = "`FORMABOT_DIGEST_HOUR` (8 h)" if spec.key == DIGEST_HOUR.key else None
        cells = (
            f"`{spec.key}`",
            spec.label,
            default or shown(spec.default, spec),
            allowed,
            ", ".join(spec.rules) or "—",
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
