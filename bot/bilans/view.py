"""A bilan as every message and document about it shows it, in the organisation's zone.

The invitation, the agenda and the e-mail of a scheduled bilan
(:mod:`bot.deadlines.documents`) and the attestations' messages, PDFs and
proof bundles (:mod:`bot.attestations`) all speak of the same bilan: one
view, read by one query, so they cannot disagree on a time or a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import by_surname, visible
from bot.documents.bundle import slug
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person, zone_of

KIND_LABELS = {"etape": "bilan d'étape", "fin": "bilan de fin de formation"}
ROLE_WORDS = {"delegate": "pour les stagiaires", "trainee": "stagiaire", "partner": "partenaire"}
"""A participant's role beside their name, as the agenda says it: the bot does not know a
participant's gender, so « pour les stagiaires » rather than « délégué » or « déléguée »."""

LISTING_ORDER = {"delegate": 0, "trainee": 1, "partner": 2}
"""Where each role stands in a list of participants (:attr:`BilanView.listed`)."""


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "bilan")


@dataclass(frozen=True)
class BilanView:
    """A bilan with its formation, organisation and trainer, in the organisation's zone."""

    bilan: Bilan
    formation: Formation
    organisation: Organisation | None
    trainer: str
    tz: ZoneInfo

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation is not None else ""

    @property
    def start(self) -> datetime:
        return self.bilan.starts_at.astimezone(self.tz)

    @property
    def end(self) -> datetime:
        return self.bilan.ends_at.astimezone(self.tz)

    @property
    def minutes(self) -> int:
        return int((self.bilan.ends_at - self.bilan.starts_at).total_seconds() // 60)

    @property
    def kind_label(self) -> str:
        return kind_label(self.bilan.kind)

    @property
    def listed(self) -> list[BilanParticipant]:
        """The participants as the documents list them: those for the trainees, the
        trainees, then the partners, each by surname, as the chat lists them (explorer CF11:
        in the order they were added, a name was slow to find on an 8-page sheet)."""
        return sorted(
            self.bilan.participants,
            key=lambda p: (LISTING_ORDER.get(p.kind, len(LISTING_ORDER)), by_surname(p.name)),
        )

    @property
    def delegates(self) -> list[BilanParticipant]:
        return [p for p in self.bilan.participants if p.kind == "delegate"]

    @property
    def partners(self) -> list[BilanParticipant]:
        return [p for p in self.bilan.participants if p.kind == "partner"]

    @property
    def file_stem(self) -> str:
        return (
            f"bilan-{self.start.date().isoformat()}-{slug(self.formation.title, empty='formation')}"
        )

    def participant(self, participant_id: int) -> BilanParticipant | None:
        return next((p for p in self.bilan.participants if p.id == participant_id), None)


async def view_of(session: AsyncSession, bilan: Bilan | int) -> BilanView | None:
    """The view of ``bilan`` (a row or an id), participants loaded; ``None`` if gone."""
    row = bilan if isinstance(bilan, Bilan) else await session.get(Bilan, bilan)
    if row is None:
        return None
    formation = await session.get(Formation, row.formation_id)
    if formation is None:
        return None
    return await view_with(session, row, formation)


async def view_with(session: AsyncSession, bilan: Bilan, formation: Formation) -> BilanView:
    """The view of a bilan whose formation is already at hand."""
    organisation = await session.get(Organisation, formation.organisation_id)
    owner = await session.get(Person, formation.owner_id)
    await session.refresh(bilan, ["participants"])
    return BilanView(
        bilan=bilan,
        formation=formation,
        organisation=organisation,
        trainer=visible(owner.display_name) if owner else "",
        tz=zone_of(organisation),
    )
