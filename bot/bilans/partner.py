"""The Région's chargée de mission writing back to the bot on Matrix/Tchap.

The bot sends her the bilan's invitation itself (:func:`bot.bilans.notify.
invite_charge_de_mission`), to the Matrix ID stored on the formation
(``cm_matrix``), and says it only passes things on.  She is no member of any
organisation, so whatever she answered in that chat (« je propose le 15 à
10 h ») used to get the stranger's answer and reach nobody: her message goes
to the trainer of each formation she follows instead, once per trainer,
quoted, with the formation and its bilan.  Her text is personal data: it is
only queued for the trainer, never logged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import fold, visible
from bot.bilans.queries import scheduled_bilans
from bot.bilans.view import kind_label
from bot.messages import Reply
from bot.people.chats import capped, tell_person
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation, Trainee, followed_by
from bot.storage.people import Organisation, Person, zone_of


@dataclass(frozen=True)
class Followed:
    """One formation she follows, in the words of the messages."""

    formation: Formation
    title: str
    bilan: str | None
    """« bilan de fin de formation du jeudi 14 janvier 2027 à 14 h 00 »: the next one, else the
    last one held; ``None`` when none is scheduled."""
    visio: Bilan | None = None
    """That bilan when it is remote, has its link and is not over: the link she may ask for
    (explorer UE4)."""


@dataclass(frozen=True)
class Trainer:
    """A trainer she is told about: who, of which organisme, and the formations concerned."""

    person_id: int
    name: str
    organisation: str
    organisation_id: int
    followed: tuple[Followed, ...]


async def trainers_of(session: AsyncSession, user: str, now: datetime) -> list[Trainer]:
    """The trainers whose formations name ``user`` as their chargée de mission (one entry per
    trainer, formations not deleted), in a stable order."""
    formations = await followed_by(session, user)
    by_owner: dict[int, list[Formation]] = defaultdict(list)
    for formation in formations:
        by_owner[formation.owner_id].append(formation)
    found: list[Trainer] = []
    for owner_id, theirs in by_owner.items():
        person = await session.get(Person, owner_id)
        organisation = await session.get(Organisation, theirs[0].organisation_id)
        followed = [await _followed(session, f, organisation, now) for f in theirs]
        found.append(
            Trainer(
                person_id=owner_id,
                name=visible(person.display_name) if person is not None else "",
                organisation=visible(organisation.name) if organisation is not None else "",
                organisation_id=theirs[0].organisation_id,
                followed=tuple(followed),
            )
        )
    return found


async def _followed(
    session: AsyncSession, formation: Formation, organisation: Organisation | None, now: datetime
) -> Followed:
    bilans = await scheduled_bilans(session, formation.id)
    coming = [b for b in bilans if b.ends_at >= now]
    bilan = coming[0] if coming else (bilans[-1] if bilans else None)
    when = None
    if bilan is not None:
        start = dates.spell_datetime(bilan.starts_at.astimezone(zone_of(organisation)))
        when = f"{kind_label(bilan.kind)} du {start}"
    live = bilan is not None and bilan.remote and bool(bilan.visio_url) and bilan.ends_at >= now
    return Followed(formation, visible(formation.title), when, bilan if live else None)


async def meant_for(
    session: AsyncSession, trainers: list[Trainer], text: str, chat: str
) -> list[Trainer] | None:
    """The trainers of the one organisation her message is for; ``None`` when she follows
    several and nothing says which (then it goes to nobody, and she is asked).

    Explorer AX1: a Région's chargée de mission follows formations of several organisations,
    and her « Karim Benali … est hospitalisé » about one of them reached every one.  Which
    one: an organisation, a formation or a trainee her message names.  Never guessed from
    the last message the bot wrote her (explorer AY10: a trainee's health went to the other
    organisation, the last to have written), nor from a formation's title met as words of
    her sentence (:func:`names_formation`, explorer AF7)."""
    organisations = {t.organisation_id for t in trainers}
    if len(organisations) == 1:
        return trainers
    said = f" {fold(text)} "
    quoted = {fold(q) for q in QUOTED.findall(text)}
    named = {
        t.organisation_id
        for t in trainers
        if f" {fold(t.organisation)} " in said
        or any(names_formation(f.title, said, quoted) for f in t.followed)
    }
    formations = {f.formation.id: t.organisation_id for t in trainers for f in t.followed}
    people = await session.execute(
        select(Trainee.formation_id, Trainee.full_name).where(Trainee.formation_id.in_(formations))
    )
    named |= {
        formations[formation_id]
        for formation_id, name in people.all()
        if fold(name) and f" {fold(name)} " in said
    }
    if len(named) != 1:
        return None
    return [t for t in trainers if t.organisation_id in named]


QUOTED = re.compile(r"[«“\"]\s*([^«»“”\"]{1,200}?)\s*[»”\"]")
"""A phrase she wrote between quotes (« … », “…” or "…")."""


def names_formation(title: str, said: str, quoted: set[str]) -> bool:
    """Whether her sentence (``said``: folded, a space at each end; ``quoted``: the phrases
    she wrote between quotes, folded) names the formation ``title``: quoted, or after the
    word « formation ».  A title met as ordinary words is no naming (explorer AF7: « la
    stagiaire qui devait faire une remise à niveau est hospitalisée », about one
    organisation's trainee, went to the other, whose formation is « Remise à niveau »): she
    is asked which formation instead (:mod:`bot.conversations.bilans.cm_which`)."""
    folded = fold(title)
    return bool(folded) and (folded in quoted or f" formation {folded} " in said)


def her_name(trainers: list[Trainer]) -> str:
    """The name the formations give her (« Mme Sophie Leroy »), or ``""``."""
    for trainer in trainers:
        for followed in trainer.followed:
            name = visible(followed.formation.cm_name).strip()
            if name:
                return name
    return ""


async def forward(
    session: AsyncSession,
    trainers: list[Trainer],
    *,
    user: str,
    platform: str,
    event: str,
    text: str,
) -> list[Trainer]:
    """Queue her message for each trainer, once per message (the key holds its event, so a
    message handled again after a crash is not sent twice); the trainers who can be reached."""
    shown, full_length = capped(text)
    reached: list[Trainer] = []
    for trainer in trainers:
        told = await tell_person(
            session,
            trainer.person_id,
            Reply(
                text=texts.say(
                    "charge_de_mission.forwarded",
                    name=her_name([trainer]),
                    matrix_id=visible(user),
                    followed=trainer.followed,
                    email=_email(trainer),
                    message=shown,
                    full_length=full_length,
                )
            ),
            key=f"charge-de-mission:{platform}:{event}:{trainer.person_id}"[:255],
            organisation_id=trainer.organisation_id,
        )
        if told:
            reached.append(trainer)
    return reached


def _email(trainer: Trainer) -> str:
    for followed in trainer.followed:
        email = (followed.formation.cm_email or "").strip()
        if email:
            return visible(email)
    return ""


_LINK = re.compile(r"\b(?:lien|liens|url|adresse de la visio|rejoindre|(?:me )?connecter)\b")
"""« pouvez-vous me renvoyer le lien de la visio ? », « comment rejoindre ? »: she asks how to
join (folded)."""


def links_asked(trainers: list[Trainer], text: str) -> list[Followed]:
    """The bilans whose visio link her message asks for: each remote one not over, with its
    link, of the trainers it is for; none when she does not ask (explorer UE4: she was
    told « Camille Durand vous répondra », the trainer busy animating that very visio)."""
    if _LINK.search(fold(text)) is None:
        return []
    return [f for t in trainers for f in t.followed if f.visio is not None]
