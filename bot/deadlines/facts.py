"""SQL rows → the rules' facts (:mod:`bot.rules.facts`).

The rules refuse unknown codes rather than silently computing nothing, so
the mapping is where the database's looser vocabulary is narrowed: the
conversations offer "Autre type d'action" (``autre``), which the rules do
not know as an action type and read as "no action type" (the general rule
of the PRF, 001).

Follow-ups are read from the absences' tables by
:func:`bot.absences.facts.followup_facts` (only open ones where the
procedure applies).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.facts import followup_facts
from bot.deadlines.org_settings import usable_rules_settings
from bot.rules import (
    BilanFacts,
    FollowUpFacts,
    FormationFacts,
    SessionFacts,
    TraineeFacts,
    disabled_rules,
)
from bot.rules.facts import ACTION_TYPES, FUNDERS, PROGRAMMES
from bot.storage.base import utcnow
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation
from bot.storage.people import Organisation


def bilan_facts(bilan: Bilan) -> BilanFacts:
    return BilanFacts(
        id=bilan.id,
        kind="etape" if bilan.kind == "etape" else "fin",
        remote=bilan.remote,
        starts_at=bilan.starts_at,
        ends_at=bilan.ends_at,
        cancelled=bilan.cancelled_at is not None,
        link_missing=bilan.remote and bilan.visio_link_later and not bilan.visio_url,
        scheduled_at=bilan.created_at or utcnow(),
    )


async def formation_facts(
    session: AsyncSession,
    formation: Formation,
    *,
    bilans: Sequence[Bilan] | None = None,
    extra: Sequence[BilanFacts] = (),
) -> FormationFacts:
    """The formation as the rules see it; ``extra`` adds bilans not yet stored (a preview)."""
    await session.refresh(formation, ["trainees", "sessions"])
    if bilans is None:
        bilans = list(
            (
                await session.scalars(
                    select(Bilan)
                    .where(Bilan.formation_id == formation.id)
                    .execution_options(populate_existing=True)  # as stored now (explorer XB6)
                )
            ).all()
        )
    followups = await followup_facts(session, formation.id)
    return facts_of(formation, (*(bilan_facts(b) for b in bilans), *extra), followups)


def facts_of(
    formation: Formation,
    bilans: tuple[BilanFacts, ...] = (),
    followups: tuple[FollowUpFacts, ...] = (),
) -> FormationFacts:
    """The formation in hand, with its trainees and sessions, as the rules see it.

    No SQL: a formation just created is read from what was written (it has
    no bilan and no follow-up yet); :func:`formation_facts` reads a stored
    one's first.
    """
    action_type = formation.action_type if formation.action_type in ACTION_TYPES else None
    programme = formation.programme if formation.programme in PROGRAMMES else None
    return FormationFacts(
        id=formation.id,
        title=formation.title,
        funder=formation.funder if formation.funder in FUNDERS else "autre",
        start=formation.start_date,
        end=max(formation.end_date, formation.start_date),
        mode="esp" if formation.mode == "esp" else "dates",
        kind=formation.kind,
        programme=programme,
        action_type=action_type,
        extended_end=formation.extended_end,
        sessions=tuple(
            SessionFacts(
                start=s.start_date,
                end=max(s.end_date, s.start_date),
                composante=s.composante,
                id=s.id,
                label=s.label,
            )
            for s in formation.sessions
        ),
        remote_coaching=formation.remote_coaching,
        chargee_de_mission=formation.cm_name,
        trainees=tuple(
            TraineeFacts(
                id=t.id,
                entered_on=t.entered_on,
                left_on=t.left_on,
                name=t.full_name,
                path_end=t.path_end,
                session_id=t.session_id,
                erased=t.erased,
            )
            for t in formation.trainees
        ),
        bilans=bilans,
        followups=followups,
        subcontracted=bool(formation.subcontracted),
    )


async def rules_off(session: AsyncSession, formation: Formation) -> list[str]:
    """Why what the texts ask is off for ``formation``, each reason once, as its detail says
    it (a CVL Parcours Métiers' tracking table: explorer BB3, said only in an admin's
    /reglages; the Elycoop procedure off: one line, not one per rule, explorer CB9)."""
    organisation = await session.get(Organisation, formation.organisation_id)
    settings = usable_rules_settings(organisation.settings if organisation else None)
    off = disabled_rules(facts_of(formation), settings)
    return list(dict.fromkeys(why for _rule, why in off))
