"""The Région's chargée de mission answering a bilan's invitation: present, another date, or not.

The invitation the bot sends her on Matrix/Tchap ends with three numbered
answers (:data:`ANSWERS`); she types « 1 », the label or a word of her own
(« je confirme », « empêchée »), and :mod:`bot.conversations.bilans.cm_answer`
asks what is missing (which bilan, the date she proposes, a word for the
trainer).  Her answer is kept on the bilan for its current version
(``sequence``): once the bilan moves, it no longer counts, and the new
invitation asks again.  The trainer is told at once (outbox) and reads it in
``/bilans``.  Her words are only queued for the trainer, never logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import asks, fold, visible
from bot.bilans.view import kind_label
from bot.messages import Choice, Reply
from bot.people.chats import tell_person
from bot.storage import audit
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation, followed_by
from bot.storage.people import Organisation, Person, zone_of

CONFIRMED, OTHER_DATE, CANNOT = "confirmed", "other_date", "cannot"

ANSWERS = {
    CONFIRMED: "Je confirme ma présence",
    OTHER_DATE: "Je propose une autre date",
    CANNOT: "Je ne pourrai pas venir",
}
"""Her three answers, in the order the invitation numbers them (« 1 » confirms)."""

WORDS = {
    CONFIRMED: (
        *("je confirme", "confirme", "confirmee", "oui", "ok", "d accord", "c est note"),
        *("je serai la", "je serai presente", "je serai present", "presente", "present"),
    ),
    OTHER_DATE: ("autre date", "une autre date", "proposer une autre date", "je propose"),
    CANNOT: (
        *("je ne pourrai pas", "empeche", "empechee", "indisponible", "je ne peux pas"),
        *("je ne pourrai pas venir", "je ne pourrai pas etre la", "je ne serai pas la"),
    ),
}
"""What else she may type for each, folded (accents and case aside)."""

ACKNOWLEDGING = frozenset({"oui", "ok", "d accord", "c est note"})
"""Alone, her answer to the invitation; with a greeting, a word that she read a message."""

POLITE = re.compile(
    r"^(?:(?:bonjour|bonsoir|madame|monsieur|oui)\s+)*"
    r"|(?:\s+(?:desolee|desole|merci|cordialement|bonne journee|bien a vous|a bientot))+$"
)
"""Greetings around her answer (« Bonjour, je serai là », « je ne pourrai pas venir,
désolée »: explorer AG5, passed on as a message and the bilan left « pas encore reçue »)."""


IN_A_SENTENCE = (
    (OTHER_DATE, re.compile(r"\b(?:autre date|decaler|reporter|deplacer|je (?:vous )?propose)\b")),
    (
        CANNOT,
        re.compile(
            r"\b(?:ne (?:vais|pourrai|pourrais|peux|serai|serais)(?: \w+ment)? (?:pas|plus)"
            r" (?:y )?(?:pouvoir )?(?:venir"
            r"|etre (?:la|presente?|disponible)|assister|participer|me (?:rendre|connecter)"
            r"|disponible|presente?|la)|pas disponible|indisponible|empechee?|serai absente?)\b"
        ),
    ),
    (
        CONFIRMED,
        re.compile(
            r"\b(?:je (?:vous )?confirme|je serai (?:bien )?(?:la|presente?)|ok pour moi"
            r"|j y serai|je participerai)\b"
        ),
    ),
)
"""Her answer inside a sentence of her own (folded), in this order: « je ne pourrai pas être
présente le 18, pouvez-vous décaler ? » asks for another date, « je ne serai pas la » is no
« je serai la » (explorer AL1: « Je confirme ma présence au bilan du 15 décembre. », « Je ne
serai pas disponible le 15, désolée » were passed on as messages, the bilan left « pas encore
reçue »)."""
WITH_A_CONDITION = re.compile(r"\b(?:si|sauf|sous reserve|peut etre|normalement)\b")
"""A presence said with a condition (« je serai là si … ») is no confirmation."""


APPROVING = re.compile(
    r"^(?:[\U0001F44D\U0001F44C\u2705\U0001F197\u2714][\U0001F3FB-\U0001F3FF\uFE0F]*\s*)+$"
)
"""A thumbs up, an OK hand or a check mark alone, Tchap's « ok » (explorer DB1: passed on as a
message only, the bilan left « pas encore reçue »)."""


def answer_in_sentence(text: str) -> str | None:
    """The answer a sentence of hers gives, read as :data:`IN_A_SENTENCE` (or a sign of
    approval alone, :data:`APPROVING`); ``None`` when it gives none, or confirms only with a
    condition or a question in it."""
    if APPROVING.match(text.strip()):
        return CONFIRMED
    folded = fold(text[:2000])
    for code, said in IN_A_SENTENCE:
        if said.search(folded) is None:
            continue
        if code == CONFIRMED and (asks(text) or WITH_A_CONDITION.search(folded)):
            return None
        return code
    return None


def answer_choices() -> tuple[Choice, ...]:
    """The invitation's answers, numbered 1 to 3 on Matrix."""
    return tuple(Choice(label, f"cm:{code}") for code, label in ANSWERS.items())


def answer_of(text: str) -> str | None:
    """The answer ``text`` gives (« 1 », a label, a word of :data:`WORDS`), or ``None`` for a
    message of her own, which goes to the trainer as it is: so is a question (« je serai
    là ? », « ok ? »), which fold would read as her answer (explorer BE14)."""
    if asks(text):
        return None
    whole = fold(text).strip(" .!")
    typed = POLITE.sub("", whole)
    if typed != whole and typed in ACKNOWLEDGING:
        return None  # « c'est noté, merci » after a message of hers: no confirmation
    for number, (code, label) in enumerate(ANSWERS.items(), start=1):
        if typed in (str(number), fold(label), *WORDS[code]) or typed == f"reponse {number}":
            return code
    return None


@dataclass(frozen=True)
class HerBilan:
    """A bilan coming up that she is invited to, with what the messages name."""

    bilan: Bilan
    formation: Formation
    tz: ZoneInfo

    @property
    def local_day(self) -> date:
        return self.bilan.starts_at.astimezone(self.tz).date()

    @property
    def label(self) -> str:
        """« Agent de restauration – jeudi 14 janvier 2027 à 14 h 00 »."""
        start = dates.spell_datetime(self.bilan.starts_at.astimezone(self.tz))
        return f"{visible(self.formation.title)} – {start}"


async def her_bilans(session: AsyncSession, user: str, now: datetime) -> list[HerBilan]:
    """The bilans not cancelled nor over whose formation names ``user`` as its chargée de
    mission on Matrix, soonest first."""
    formations = {f.id: f for f in await followed_by(session, user)}
    if not formations:
        return []
    rows = (
        await session.execute(
            select(Bilan, Organisation)
            .join(Organisation, Organisation.id == Bilan.organisation_id)
            .where(
                Bilan.formation_id.in_(list(formations)),
                Bilan.cancelled_at.is_(None),
                Bilan.ends_at >= now,
            )
            .order_by(Bilan.starts_at, Bilan.id)
        )
    ).all()
    return [
        HerBilan(bilan, formations[bilan.formation_id], zone_of(organisation))
        for bilan, organisation in rows
    ]


async def keep_answer(
    session: AsyncSession,
    her: HerBilan,
    *,
    answer: str,
    proposed: datetime | None,
    note: str | None,
    now: datetime,
    event: str,
) -> str | None:
    """Keep her answer on the bilan's current version and tell its trainer; the trainer's
    name, or ``None`` when the bot cannot reach them (she is told to write directly)."""
    bilan, formation = her.bilan, her.formation
    bilan.cm_answer, bilan.cm_answer_sequence = answer, bilan.sequence
    bilan.cm_answered_at, bilan.cm_proposed_at = now, proposed if answer == OTHER_DATE else None
    bilan.cm_note = note
    audit.record(
        session,
        organisation_id=bilan.organisation_id,
        actor_id=None,
        action="charge_de_mission_answer",
        entity="bilan",
        entity_id=bilan.id,
        answer=answer,
    )
    trainer = await session.get(Person, formation.owner_id)
    if trainer is None:
        return None
    told = await tell_person(
        session,
        formation.owner_id,
        Reply(
            text=texts.say(
                "charge_de_mission.answer_to_trainer",
                name=visible(formation.cm_name).strip(),
                bilan=f"{kind_label(bilan.kind)} du "
                + dates.spell_datetime(bilan.starts_at.astimezone(her.tz)),
                title=visible(formation.title),
                funder=formation.funder,
                answer=answer,
                proposed=dates.spell_datetime(proposed.astimezone(her.tz)) if proposed else "",
                note=note or "",
            )
        ),
        key=f"charge-de-mission-answer:{bilan.id}:{bilan.sequence}:{event}"[:255],
        organisation_id=bilan.organisation_id,
    )
    return visible(trainer.display_name) if told else None


@dataclass(frozen=True)
class AnswerLine:
    """Her answer as ``/bilans`` shows it: who, when, what (``answer`` ``None``: none yet)."""

    name: str
    answer: str | None
    funder: str | None = None
    """Whose words name her, unnamed: « la personne référente territoriale » (DE5)."""
    day: str = ""
    proposed: str = ""
    note: str = ""


def answer_line(bilan: Bilan, formation: Formation, tz: ZoneInfo) -> AnswerLine | None:
    """Her answer to the bilan's current version; ``None`` when she cannot answer through the
    bot (no Matrix ID on the formation) or the bilan is cancelled."""
    if not formation.cm_matrix or bilan.cancelled_at is not None:
        return None
    name = visible(formation.cm_name).strip()
    if not bilan.cm_answered or bilan.cm_answered_at is None:
        return AnswerLine(name, None, formation.funder)
    return AnswerLine(
        name,
        bilan.cm_answer,
        formation.funder,
        day=dates.spell_day_month(bilan.cm_answered_at.astimezone(tz)),
        proposed=dates.spell_datetime(bilan.cm_proposed_at.astimezone(tz))
        if bilan.cm_proposed_at
        else "",
        note=visible(bilan.cm_note or ""),
    )
