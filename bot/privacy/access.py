"""What formabot holds about one person (``/mesdonnees``), and the audit trail as an export.

The right of access (RGPD art. 15): anyone who writes to the bot — trainer,
admin, participant who opened a bilan's invitation, or a stranger — gets, as
a JSON document with French keys, the person record behind their chat
account, every chat identity of that person, their memberships, the
formations they are in charge of (titles only), their bilan participations
(bilan, formation, organisme, role, name, structure, contact), the
invitations they opened (issue, expiry, revocation), the trainee record a
participation stands for (name, company, e-mail, phone, whether they
represent the trainees, entry and exit), the attestations they gave
(answers, typed name, role, structure, reason, time, platform), the audit
entries about them or made by them, and the conversation in progress.
The organisme holds a participant's data: :func:`held_by` names it, and
the trainer to write to, for whoever asks how to have them corrected or
erased.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.documents.sheets import Moment
from bot.people.address import role_word
from bot.privacy.answer_words import answer_key
from bot.privacy.audit_words import (
    PARTICIPANT_ROLES,
    action_words,
    details_words,
    entity_words,
)
from bot.privacy.bilan_names import NUMBER, name_the_bilans
from bot.privacy.trainee_record import noted_about, when_said
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation, Trainee
from bot.storage.people import (
    ChatIdentity,
    Membership,
    Organisation,
    Person,
    zone_named,
    zone_of,
)
from bot.storage.state import ConversationState

ANSWERS = {"attested": "atteste avoir participé", "declined": "déclare ne pas avoir participé"}


async def data_of(session: AsyncSession, platform: str, user_id: str) -> dict[str, Any]:
    """Everything held about the person behind (platform, user id), with French keys."""
    identity = await session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == platform, ChatIdentity.user_id == user_id
        )
    )
    person = await session.get(Person, identity.person_id) if identity is not None else None
    identities = (
        (
            await session.scalars(select(ChatIdentity).where(ChatIdentity.person_id == person.id))
        ).all()
        if person is not None
        else []
    )
    accounts = {(i.platform, i.user_id) for i in identities} | {(platform, user_id)}
    held: dict[str, Any] = {
        "personne": None
        if person is None
        else {
            "identifiant": person.id,
            "nom": person.display_name,
            "créée le": when_said(person.created_at),
        },
        "comptes de messagerie": [
            {
                "plateforme": i.platform,
                "identifiant": i.user_id,
                "conversation privée": i.chat_id,
                "bot bloqué le": when_said(i.blocked_at),
                "créé le": when_said(i.created_at),
            }
            for i in identities
        ],
        "adhésions": [],
        "formations dont vous avez la charge": [],
        "participations aux bilans": [],
        "invitations reçues": [],
        "fiches de stagiaire": [],
        "attestations données": [],
        "journal des actions": [],
        "conversations en cours": [],
    }
    if person is not None:
        memberships = (
            await session.execute(
                select(Membership, Organisation)
                .join(Organisation, Organisation.id == Membership.organisation_id)
                .where(Membership.person_id == person.id)
            )
        ).all()
        held["adhésions"] = [
            {
                "organisme": o.name,
                "rôle": role_word(m.role, person.address_form),
                "depuis le": when_said(m.created_at),
            }
            for m, o in memberships
        ]
        owned = (
            await session.scalars(select(Formation).where(Formation.owner_id == person.id))
        ).all()
        held["formations dont vous avez la charge"] = [
            {"identifiant": f.id, "intitulé": f.title} for f in owned
        ]
    given = or_(
        *[
            (Attestation.platform == p) & (Attestation.chat_user_id == u)
            for p, u in sorted(accounts)
        ],
        *([Attestation.person_id == person.id] if person is not None else []),
    )
    attestations = (
        await session.scalars(select(Attestation).where(given).order_by(Attestation.id))
    ).all()
    await _participations(session, held, accounts, person, [a.participant_id for a in attestations])
    held["attestations données"] = [
        {
            NUMBER: a.bilan_id,
            "version": a.version,
            "réponse": ANSWERS.get(a.answer, a.answer),
            "nom saisi": a.typed_name,
            "rôle": PARTICIPANT_ROLES.get(a.role, a.role),
            "structure": a.structure,
            "motif": a.reason,
            "texte affiché": a.text,
            "répondu le": when_said(a.answered_at),
            "plateforme": a.platform,
        }
        for a in attestations
    ]
    if person is not None:
        held["journal des actions"] = await _audit_rows(
            session,
            or_(
                AuditEntry.actor_id == person.id,
                (AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id),
            ),
        )
    states = (
        await session.scalars(
            select(ConversationState).where(
                or_(
                    *[
                        (ConversationState.platform == p) & (ConversationState.user_id == u)
                        for p, u in sorted(accounts)
                    ]
                )
            )
        )
    ).all()
    held["conversations en cours"] = [
        {
            "plateforme": s.platform,
            "conversation": s.chat_id,
            "sujet": s.flow,
            "réponses gardées": {
                answer_key(k): v for k, v in (s.data or {}).items() if not k.startswith("_")
            },
            "expire le": when_said(s.expires_at),
        }
        for s in states
        if s.flow
    ]
    await name_the_bilans(session, held)  # « bilan : 1 » named no bilan (explorer AH12)
    return held


def _opened_by(accounts: set[tuple[str, str]], person: Person | None) -> Any:
    """The invitations opened from one of these chat accounts, or by this person."""
    return or_(
        *[
            (AttestationInvitation.redeemed_platform == p)
            & (AttestationInvitation.redeemed_user_id == u)
            for p, u in sorted(accounts)
        ],
        *([AttestationInvitation.redeemed_person_id == person.id] if person is not None else []),
    )


async def _participations(
    session: AsyncSession,
    held: dict[str, Any],
    accounts: set[tuple[str, str]],
    person: Person | None,
    answered: list[int],
) -> None:
    """The bilans the person was invited to, their invitations, and the trainee records
    those stand for: what the organisme holds about a trainee or a partner (through a
    link still valid, or an attestation given)."""
    invitations = (
        await session.scalars(
            select(AttestationInvitation)
            .where(_opened_by(accounts, person))
            .order_by(AttestationInvitation.id)
        )
    ).all()
    held["invitations reçues"] = [
        {
            NUMBER: i.bilan_id,
            "créée le": when_said(i.created_at),
            "expire le": when_said(i.expires_at),
            "ouverte le": when_said(i.redeemed_at),
            "retirée le": when_said(i.revoked_at),
        }
        for i in invitations
    ]
    # A link replaced by the trainer (it reached the wrong person, say) no longer gives
    # its participant's record to the account that opened it, unless that account
    # attested as them (explorer G G5: whoever opened Hugo's link kept his trainee file).
    wanted = sorted({i.participant_id for i in invitations if i.revoked_at is None} | set(answered))
    rows = (
        await session.execute(
            select(BilanParticipant, Bilan, Formation, Organisation)
            .join(Bilan, Bilan.id == BilanParticipant.bilan_id)
            .join(Formation, Formation.id == Bilan.formation_id)
            .join(Organisation, Organisation.id == Formation.organisation_id)
            .where(BilanParticipant.id.in_(wanted))
            .order_by(BilanParticipant.id)
        )
    ).all()
    held["participations aux bilans"] = [
        {
            "organisme": o.name,
            "formation": f.title,
            NUMBER: b.id,
            "début": when_said(b.starts_at),
            "annulé le": when_said(b.cancelled_at),
            "rôle": PARTICIPANT_ROLES.get(p.kind, p.kind),
            "nom": p.name,
            "structure": p.structure,
            "contact": p.contact,
            "ajouté le": when_said(p.created_at),
            "retiré le": when_said(p.removed_at),
            "absence notée le": when_said(p.no_show_at),
        }
        for p, b, f, o in rows
    ]
    trainee_ids = sorted({p.trainee_id for p, *_ in rows if p.trainee_id is not None})
    trainees = (
        await session.execute(
            select(Trainee, Formation)
            .join(Formation, Formation.id == Trainee.formation_id)
            .where(Trainee.id.in_(trainee_ids))
        )
    ).all()
    held["fiches de stagiaire"] = [
        {
            "formation": f.title,
            "nom": t.full_name,
            "entreprise": t.company,
            "e-mail": t.email,
            "téléphone": t.phone,
            "représente les stagiaires": t.is_delegate,
            "entrée": t.entered_on.isoformat() if t.entered_on else None,
            "sortie": t.left_on.isoformat() if t.left_on else None,
        }
        for t, f in trainees
    ]
    held.update(await noted_about(session, trainee_ids))  # explorer AH7: « tout », truly


async def held_by(session: AsyncSession, held: dict[str, Any]) -> list[dict[str, str]]:
    """Who holds a participant's data, and whom to write to: each organisme of their
    bilans with the trainer in charge of the formation (from :func:`data_of`'s bilans)."""
    bilans = sorted({p[NUMBER] for p in held["participations aux bilans"]})
    rows = (
        await session.execute(
            select(Organisation.name, Person.display_name)
            .select_from(Bilan)
            .join(Formation, Formation.id == Bilan.formation_id)
            .join(Organisation, Organisation.id == Formation.organisation_id)
            .join(Person, Person.id == Formation.owner_id)
            .where(Bilan.id.in_(bilans))
        )
    ).all()
    return [{"organisme": o, "formateur": t} for o, t in sorted(set(rows))]


def as_document(held: dict[str, Any]) -> bytes:
    return json.dumps(held, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def as_text(held: dict[str, Any], zone: ZoneInfo) -> bytes:
    """The same, for a person to read on a phone (explorer J: a trainee who never used a bot
    was handed JSON, its times in UTC, « null » and « true »): each part titled, a moment
    said in French in ``zone``, yes or no, « — » for nothing."""
    lines = ["Vos données chez formabot", ""]
    for part, value in held.items():
        lines.append(part[:1].upper() + part[1:])
        lines += _said(value, zone, "  ") or ["  (rien)"]
        lines.append("")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _said(value: Any, zone: ZoneInfo, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            if isinstance(inner, (dict, list)) and inner:
                out += [f"{indent}{key} :", *_said(inner, zone, indent + "  ")]
            else:
                out.append(f"{indent}{key} : {_word(inner, zone)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            said = _said(item, zone, indent + "  ")
            out += [f"{indent}· {said[0].strip()}", *said[1:]] if said else []
        return out
    return [f"{indent}{_word(value, zone)}"]


def _word(value: Any, zone: ZoneInfo) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Moment):  # the journal's (explorer W: « 2026-12-05T00:49:52+01:00 »)
        return dates.spell_datetime(value.at.astimezone(zone))
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return dates.spell_datetime(datetime.fromisoformat(value).astimezone(zone))
        except ValueError:
            return value
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        # A journal entry's details (explorer Z, Z12: « détails : {"stagiaires": 12} »).
        try:
            shown = json.loads(value)
        except ValueError:
            return value
        if isinstance(shown, dict):
            return ", ".join(f"{k} : {_word(v, zone)}" for k, v in shown.items()) or "—"
    if isinstance(value, str) and len(value) == 10 and value[4::3] == "--":
        try:  # a day (« entrée : 2026-11-02 »: explorer M), said as the moments are
            return dates.spell_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):  # « signes : Une absence », not Python's list (AP8)
        return ", ".join(_word(v, zone) for v in value) or "—"
    return str(value)


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
        return await _audit_rows(session, true())
    return await _audit_rows(session, AuditEntry.organisation_id == organisation_id)


async def _audit_rows(
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
    return [
        {
            "identifiant": person.id,
            "nom": person.display_name,
            "rôle": FORMER if (organisation.id, person.id) in removed else INVITED,
            "organisme": organisation.name,
            "membre depuis": None,
        }
        for person, organisation in (await session.execute(query)).all()
    ]
