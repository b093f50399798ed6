"""The audit trail and the organisation's members as rows: ``/journal``'s workbook and
``formabot export audit`` / ``membres`` (who did what, who belongs; never what was noted)."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import visible
from bot.documents.sheets import Moment
from bot.people.address import role_word
from bot.privacy.audit_words import (
    action_words,
    details_words,
    entity_words,
)
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import BilanParticipant
from bot.storage.formations import Formation, Trainee
from bot.storage.people import (
    Membership,
    Organisation,
    Person,
    zone_named,
    zone_of,
)

# --- the audit trail ---------------------------------------------------------------------

AUDIT_TITLE = "Journal des actions"
"""The name of the workbook's sheet, in ``/journal`` and ``formabot export audit``."""
AUDIT_COLUMNS = (
    "identifiant",
    "date",
    "identifiant de l'organisme",
    "identifiant de la personne qui a agi",
    "action",
    "objet",
    "identifiant de l'objet",
    "détails",
)


def audit_row(entry: AuditEntry, zone: ZoneInfo) -> dict[str, Any]:
    """One entry as the admin and the auditor read it: French words, the local time."""
    return {
        "identifiant": entry.id,
        "date": Moment(entry.at.astimezone(zone), "seconds"),
        "identifiant de l'organisme": entry.organisation_id,
        "identifiant de la personne qui a agi": entry.actor_id,
        "action": action_words(entry.action),
        "objet": entity_words(entry.entity),
        "identifiant de l'objet": entry.entity_id,
        "détails": details_words(entry.details or {}),
    }


async def audit_of(session: AsyncSession, organisation_id: int | None) -> list[dict[str, Any]]:
    """The trail, oldest first (ids and actions, no names); one organisation's, or all.

    Each entry's time is in its organisation's zone (Paris for one without).
    """
    if organisation_id is None:
        return await audit_rows_where(session, true())
    return await audit_rows_where(session, AuditEntry.organisation_id == organisation_id)


async def audit_rows_where(
    session: AsyncSession, condition: ColumnElement[bool]
) -> list[dict[str, Any]]:
    query = (
        select(AuditEntry, Organisation.timezone)
        .outerjoin(Organisation, Organisation.id == AuditEntry.organisation_id)
        .where(condition)
        .order_by(AuditEntry.id)
    )
    found = (await session.execute(query)).all()
    return [audit_row(entry, zone_named(timezone)) for entry, timezone in found]


async def audit_rows(session: AsyncSession, args: argparse.Namespace) -> list[dict[str, Any]]:
    """``formabot export audit [--organisation ID]``."""
    return await audit_of(session, getattr(args, "organisation", None))


async def trainees_in_journal(session: AsyncSession, organisation_id: int) -> list[dict[str, Any]]:
    """The trainees the organisation's journal numbers (objet « stagiaire », or « identifiant
    de stagiaire » in the details), by number: ``identifiant``, ``nom`` (``None`` once
    erased, or gone with a removal from the formation) and ``effacé``.

    Their numbers are a series of their own, which nothing resolved and which read as the
    members' « n° » (explorer KC4: « stagiaire 1 » taken for n° 1 Camille Durand).  For the
    admin's message only: the journal itself names no one.
    """
    entries = await session.execute(
        select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.details).where(
            AuditEntry.organisation_id == organisation_id
        )
    )
    numbers: set[int] = set()
    for entity, entity_id, details in entries.all():
        if entity == "trainee" and entity_id is not None:
            numbers.add(entity_id)
        if isinstance(named := (details or {}).get("trainee_id"), int):
            numbers.add(named)
    if not numbers:
        return []
    found = await session.scalars(
        select(Trainee)
        .join(Formation, Formation.id == Trainee.formation_id)
        .where(Trainee.id.in_(numbers), Formation.organisation_id == organisation_id)
    )
    kept = {t.id: t for t in found.all()}
    return [
        {
            "identifiant": n,
            "nom": t.full_name if (t := kept.get(n)) is not None and not t.erased else None,
            "effacé": t is not None and t.erased,
        }
        for n in sorted(numbers)
    ]


MEMBER_COLUMNS = ("identifiant", "nom", "rôle", "organisme", "membre depuis")
"""``formabot export membres``: the numbers the audit trail gives people, with their names."""


async def member_rows(session: AsyncSession, args: argparse.Namespace) -> list[dict[str, Any]]:
    return await members_of(session, args.organisation)


async def members_of(session: AsyncSession, organisation_id: int | None) -> list[dict[str, Any]]:
    """Each member of each organisation (or of one): who a number of the journal is
    (explorer J: it names people by number only, nothing to resolve them); then the people
    invited to a bilan who acted in it (a link used, an attestation given), who are no
    members (explorer W, W10: their numbers in the journal resolved to no one)."""
    query = (
        select(Membership, Person, Organisation)
        .join(Person, Person.id == Membership.person_id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .order_by(Organisation.id, Person.id)
    )
    if organisation_id is not None:
        query = query.where(Membership.organisation_id == organisation_id)
    rows = [
        {
            "identifiant": person.id,
            "nom": person.display_name,
            "rôle": role_word(membership.role, person.address_form),
            "organisme": organisation.name,
            "membre depuis": Moment(
                membership.created_at.astimezone(zone_of(organisation)), "minutes"
            ),
        }
        for membership, person, organisation in (await session.execute(query)).all()
    ]
    return rows + await _invited_actors(session, organisation_id)


INVITED = "personne invitée à un bilan (pas membre)"
FORMER = "ne fait plus partie de l'organisme"


async def _invited_actors(
    session: AsyncSession, organisation_id: int | None
) -> list[dict[str, Any]]:
    """The people of an organisation's journal who are none of its members."""
    member = (
        select(Membership.id)
        .where(
            Membership.person_id == AuditEntry.actor_id,
            Membership.organisation_id == AuditEntry.organisation_id,
        )
        .exists()
    )
    actors = (
        select(AuditEntry.actor_id, AuditEntry.organisation_id)
        .where(AuditEntry.actor_id.is_not(None), ~member)
        .distinct()
    )
    if organisation_id is not None:
        actors = actors.where(AuditEntry.organisation_id == organisation_id)
    acted = actors.subquery()  # distinct ids first: PostgreSQL compares no JSON column
    query = (
        select(Person, Organisation)
        .join(acted, acted.c.actor_id == Person.id)
        .join(Organisation, Organisation.id == acted.c.organisation_id)
        .order_by(Organisation.id, Person.id)
    )
    gone = select(AuditEntry).where(AuditEntry.action == "remove_member")  # none invited (AP4)
    if organisation_id is not None:
        gone = gone.where(AuditEntry.organisation_id == organisation_id)
    removed = {(e.organisation_id, e.details.get("person_id")) for e in await session.scalars(gone)}
    found = (await session.execute(query)).all()
    named = await names_on_bilans(session, {person.id for person, _ in found})
    return [
        {
            "identifiant": person.id,
            "nom": (
                person.display_name
                if (organisation.id, person.id) in removed
                else named.get((organisation.id, person.id), person.display_name)
            ),
            "rôle": FORMER if (organisation.id, person.id) in removed else INVITED,
            "organisme": organisation.name,
            "membre depuis": None,
        }
        for person, organisation in found
    ]


async def names_on_bilans(session: AsyncSession, people: set[int]) -> dict[tuple[int, int], str]:
    """How each organisation knows these people from its own bilans, by (organisation,
    person): the name typed in their last attestation of its bilans, else the participant's
    name of its invitation they used.

    One chat account is one person for every organisation, and the name typed is a fact of
    one attestation, not the person's: an organisation's journal never shows what was typed
    for another's bilan (explorer AF5: « Oui, je suis Zoé Autre », answered on another
    organisation's link, named the person who used Léa Martin's link in the demo's
    /journal; the person is therefore no longer renamed at each attestation)."""
    if not people:
        return {}
    names: dict[tuple[int, int], str] = {}
    used = await session.execute(
        select(
            AttestationInvitation.organisation_id,
            AttestationInvitation.redeemed_person_id,
            BilanParticipant.name,
        )
        .join(BilanParticipant, BilanParticipant.id == AttestationInvitation.participant_id)
        .where(AttestationInvitation.redeemed_person_id.in_(people))
        .order_by(AttestationInvitation.id)
    )
    typed = await session.execute(
        select(Attestation.organisation_id, Attestation.person_id, Attestation.typed_name)
        .where(Attestation.person_id.in_(people))
        .order_by(Attestation.id)
    )
    for organisation_id, person_id, name in [*used.all(), *typed.all()]:  # the last wins
        if person_id is not None and name:
            names[(organisation_id, person_id)] = visible(name)[:200]
    return names
