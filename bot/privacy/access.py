"""What formabot holds about one person (``/mesdonnees``), and the audit trail as an export.

The right of access (RGPD art. 15): anyone who writes to the bot — trainer,
admin, participant who opened a bilan's invitation, or a stranger — gets, as
a JSON document with French keys, the person record behind their chat
account, every chat identity of that person, their memberships, the
formations they are in charge of (titles only), their bilan participations
(bilan, formation, organisme, role, name, structure, contact), the
invitations they opened (issue, expiry, revocation), the trainee record a
participation stands for (name, company, e-mail, phone, whether they
represent the trainees, entry and exit; not what the organisme noted on it,
named with whom to ask: a link is no proof of identity), the attestations they gave
(answers, typed name, role, structure, reason, time, platform, and the organisme's review
of each flagged one: explorer KC9), the audit
entries about them or made by them, and the conversation in progress.
The organisme holds a participant's data: :func:`held_by` names it, and
the trainer to write to, for whoever asks how to have them corrected or
erased.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.attestations.bundle import concern_words
from bot.documents.sheets import Moment, Record
from bot.people.address import role_word
from bot.privacy.answer_words import answer_key
from bot.privacy.audit_words import (
    PARTICIPANT_ROLES,
)
from bot.privacy.bilan_names import NUMBER, name_the_bilans
from bot.privacy.followed import KEY as FOLLOWED
from bot.privacy.followed import as_charge_de_mission
from bot.privacy.journal_rows import audit_rows_where
from bot.privacy.moments import when_said
from bot.storage.attestations import Attestation, AttestationInvitation, AttestationReview
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation, Trainee
from bot.storage.people import (
    ChatIdentity,
    Membership,
    Organisation,
    Person,
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
                # Blocking is Telegram's word; on Matrix she left the chat (explorer EF5).
                ("conversation quittée le" if i.platform == "matrix" else "assistant bloqué le"): (
                    when_said(i.blocked_at)
                ),
                "créé le": when_said(i.created_at),
            }
            for i in identities
        ],
        "adhésions": [],
        "formations dont vous avez la charge": [],
        "participations aux bilans": [],
        "invitations reçues": [],
        "fiches de stagiaire": [],
        "notes de l'organisme": [],
        "attestations données": [],
        "journal des actions": [],
        "conversations en cours": [],
        FOLLOWED: await as_charge_de_mission(session, platform, user_id),
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
    reviewed = await _reviews(session, attestations)
    held["attestations données"] = [
        {
            NUMBER: a.bilan_id,
            "version": a.version,
            "réponse": ANSWERS.get(a.answer, a.answer),
            "nom saisi": a.typed_name,
            "rôle": PARTICIPANT_ROLES.get(a.role, a.role),
            "structure": a.structure,
            "motif": a.reason,
            "écrit avant de répondre": a.words_before,
            "texte affiché": a.text,
            "répondu le": when_said(a.answered_at),
            "plateforme": a.platform,
            "examen par l'organisme": reviewed.get(a.id, []),
        }
        for a in attestations
    ]
    if person is not None:
        held["journal des actions"] = await audit_rows_where(
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


async def _reviews(
    session: AsyncSession, attestations: Sequence[Attestation]
) -> dict[int, list[dict[str, Any]]]:
    """The organisme's decisions on each answer, by its id: what was flagged, validated or
    set aside, by whom and when, as the dossier sent to the Région says them (explorer KC9:
    the file gave the words written before attesting, not that the answer was examined)."""
    by_id = {a.id: a for a in attestations}
    rows = (
        await session.execute(
            select(AttestationReview, Person.display_name)
            .outerjoin(Person, Person.id == AttestationReview.decided_by)
            .where(AttestationReview.attestation_id.in_(by_id))
            .order_by(AttestationReview.id)
        )
    ).all()
    found: dict[int, list[dict[str, Any]]] = {}
    for review, decider in rows:
        answer = by_id[review.attestation_id]
        found.setdefault(answer.id, []).append(
            {
                "motif": concern_words(review.concern, answer.typed_name, answer.words_before),
                "décision": "validée" if review.decision == "validated" else "écartée",
                "par": decider,
                "le": when_said(review.decided_at),
            }
        )
    return found


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
    # A link tried from another account than the one that opened it (explorer AX5: forwarded
    # to a classmate) shows that account no one's trainee record.
    contested = {i.participant_id for i in invitations if i.contested_at is not None}
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
    trainee_ids = sorted(
        {p.trainee_id for p, *_ in rows if p.trainee_id is not None and p.id not in contested}
    )
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
    # What the organisme noted (absences and their motives, a décrochage follow-up: health,
    # private life) is handed over by the organisme, which checks who asks, not to whoever
    # holds a link (explorer AX5: a classmate read « idées noires, suivie par un psychologue »).
    held["notes de l'organisme"] = [
        {
            "organisme": o.name,
            "formation": f.title,
            "absences et suivi": "gardés par l'organisme : demandez-les-lui, il vérifiera "
            "votre identité avant de vous les remettre",
        }
        for p, b, f, o in rows
        if p.trainee_id in trainee_ids
    ]


async def held_by(session: AsyncSession, held: dict[str, Any]) -> list[dict[str, str]]:
    """Who holds a participant's data, and whom to write to: each organisme of their
    bilans with the trainer in charge of the formation (from :func:`data_of`'s bilans)."""
    bilans = sorted({p[NUMBER] for p in held["participations aux bilans"]})
    followed = {(f["organisme"], f["formation"]) for f in held.get(FOLLOWED) or []}
    rows: list[tuple[str, str]] = [
        (o, t)
        for o, t in (
            await session.execute(
                select(Organisation.name, Person.display_name)
                .select_from(Bilan)
                .join(Formation, Formation.id == Bilan.formation_id)
                .join(Organisation, Organisation.id == Formation.organisation_id)
                .join(Person, Person.id == Formation.owner_id)
                .where(Bilan.id.in_(bilans))
            )
        ).all()
    ]
    if followed:  # a chargée de mission: the trainers of the formations naming her (AX4)
        found = await session.execute(
            select(Organisation.name, Formation.title, Person.display_name)
            .select_from(Formation)
            .join(Organisation, Organisation.id == Formation.organisation_id)
            .join(Person, Person.id == Formation.owner_id)
            .where(Formation.title.in_({t for _, t in followed}))
        )
        rows += [(o, p) for o, t, p in found.all() if (o, t) in followed]
    return [{"organisme": o, "formateur": t} for o, t in sorted(set(rows))]


def as_document(held: dict[str, Any]) -> bytes:
    return json.dumps(held, ensure_ascii=False, indent=2, default=_jsonable).encode("utf-8")


def _jsonable(value: Any) -> Any:
    """A journal entry's details as an object (explorer CF4: JSON text inside JSON)."""
    return value.jsonable() if isinstance(value, Record) else str(value)


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
    if isinstance(value, Record):
        # A journal entry's details (explorer Z, Z12: « détails : {"stagiaires": 12} »).
        return _pairs(value.values, zone)
    if isinstance(value, Mapping):  # within the details: the values before a correction
        return f"({_pairs(value, zone)})"
    if isinstance(value, date) and not isinstance(value, datetime):
        return dates.spell_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4::3] == "--":
        try:  # a day (« entrée : 2026-11-02 »: explorer M), said as the moments are
            return dates.spell_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):  # « signes : Une absence », not Python's list (AP8)
        return ", ".join(_word(v, zone) for v in value) or "—"
    return str(value)


def _pairs(values: Mapping[str, Any], zone: ZoneInfo) -> str:
    return ", ".join(f"{k} : {_word(v, zone)}" for k, v in sorted(values.items())) or "—"
