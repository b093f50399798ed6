"""How many messages the common tasks take: what a trainer types or touches, what the bot says.

    python -m bench.messages

Each task runs on a fresh SQLite file with the demo organisation (its
"Agent de restauration" group grown to twelve trainees, a real group's size),
through the real engine, in process, as the console's person
(:class:`tests.auxil.dialogue.Person`): one message is one thing typed or
one button touched.  The clock is Monday 23 November 2026, 10 h in Paris, so
the figures do not depend on the day it runs.  Counted: the trainer's
messages, the bot's replies to them, the participants' messages (for the
attestations), and the texts the trainer must forward by hand (invitations
the bot could not deliver itself).  Each task checks what it stored, so a
dialogue that changed shape stops the script instead of printing a wrong
count.  It prints a table; it asserts nothing about the figures.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update

from bot import demo
from bot.app import build_engine
from bot.config import Settings
from bot.formations.labels import name_key
from bot.messages import Incoming, Platform, Reply
from bot.storage.absences import Absence
from bot.storage.attestations import Attestation
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.dialogue import Clock, Person

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
"""Monday 23 November 2026, 10 h in Paris."""
MORE_TRAINEES = (
    "Adam Roussel",
    "Chloé Faure",
    "Emma Girard",
    "Lucas Henry",
    "Manon Perrin",
    "Noah Lemaire",
    "Sarah Vidal",
    "Yanis Fontaine",
)
"""Added to the demo's four: twelve, by surname Benali, Faure, Fontaine, Girard, Henry,
Lemaire, Martin, Moreau, Perrin, Petit, Roussel, Vidal; Julie Petit is made a third delegate."""
FIVE = ("Karim", "Léa", "Hugo", "Julie", "Chloé")


@dataclass
class Tally:
    """What one task took."""

    trainer: int = 0
    replies: int = 0
    participants: int = 0
    forwarded: int = 0


@dataclass
class Counted(Person):
    """A person whose messages, and the bot's replies to them, go to a tally."""

    tally: Tally = field(default_factory=Tally)
    participant: bool = False

    async def send(self, message: Incoming) -> list[Reply]:
        replies = await super().send(message)
        if self.participant:
            self.tally.participants += 1
        else:
            self.tally.trainer += 1
            self.tally.forwarded += sum(1 for r in replies if r.extras.get("invite_code"))
        self.tally.replies += len(replies)
        return replies


@dataclass
class World:
    db: Database
    trainer: Counted
    people: Callable[[str], Counted]
    clock: Clock


async def grow_group(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent"))
        )
        assert formation is not None
        for trainee in formation.trainees:
            # Three delegates, so the bilan invites three people who attest.
            trainee.is_delegate = trainee.is_delegate or trainee.full_name == "Julie Petit"
        for name in MORE_TRAINEES:
            session.add(
                Trainee(
                    formation_id=formation.id,
                    full_name=name,
                    name_key=name_key(name),
                    entered_on=formation.start_date,
                )
            )


async def count(db: Database, model: type[Absence] | type[Attestation] | type[Bilan]) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def expect(done: bool, task: str) -> None:
    if not done:
        raise SystemExit(
            f"« {task} » n'a pas abouti : le dialogue a changé, mettez le script à jour"
        )


# --- the tasks ---------------------------------------------------------------------------


async def one_absence(w: World, who: str = "Karim") -> None:
    """The one-line form, as the issue measured it."""
    before = await count(w.db, Absence)
    await w.trainer.says(f"/absence {who} ce matin")
    await w.trainer.presses("Oui, c'est ça")
    await w.trainer.presses("Non")  # not justified
    await w.trainer.presses("Passer")
    await w.trainer.presses("Enregistrer")
    expect(await count(w.db, Absence) == before + 1, "une absence")


async def five_one_by_one(w: World) -> None:
    for who in FIVE:
        await one_absence(w, who)
    expect(await count(w.db, Absence) == 5, "cinq absences une à une")


async def five_by_appel_typed(w: World) -> None:
    await w.trainer.says("/appel")
    await w.trainer.presses("Agent de restauration")
    await w.trainer.presses("Ce matin")
    await w.trainer.says("absents : 1, 2, 4, 7, 9")
    await w.trainer.presses("Enregistrer l'appel")
    expect(await count(w.db, Absence) == 5, "/appel, numéros tapés")


async def five_by_appel_one_running(w: World) -> None:
    """The same, for a trainer with one formation running: its question is skipped."""
    async with w.db.sessions() as session, session.begin():
        await session.execute(
            update(Formation)
            .where(Formation.title.startswith("Projet"))
            .values(end_date=NOW.date().replace(day=1))
        )
    await w.trainer.says("/appel")
    await w.trainer.presses("Ce matin")
    await w.trainer.says("absents : 1, 2, 4, 7, 9")
    await w.trainer.presses("Enregistrer l'appel")
    expect(await count(w.db, Absence) == 5, "/appel, une formation en cours")


async def five_by_appel_touched(w: World) -> None:
    await w.trainer.says("/appel")
    await w.trainer.presses("Agent de restauration")
    await w.trainer.presses("Ce matin")
    for name in ("Karim Benali", "Léa Martin", "Hugo Moreau", "Julie Petit", "Chloé Faure"):
        await w.trainer.presses(name)
    await w.trainer.presses("Valider l'appel")
    await w.trainer.presses("Enregistrer l'appel")
    expect(await count(w.db, Absence) == 5, "/appel, noms touchés")


async def five_by_appel_line(w: World) -> None:
    await w.trainer.says("/appel restauration ce matin")
    await w.trainer.says("absents : 1, 2, 4, 7, 9")
    await w.trainer.presses("Enregistrer l'appel")
    expect(await count(w.db, Absence) == 5, "/appel restauration ce matin")


async def five_by_sentence(w: World) -> None:
    await w.trainer.says("Karim, Léa, Hugo, Julie et Chloé absents ce matin")
    await w.trainer.presses("Enregistrer")
    expect(await count(w.db, Absence) == 5, "une phrase, cinq noms")


BILAN = (
    "/bilan",
    "Agent de restauration",
    "Programmer le bilan de fin",
    "À distance",
    "jeudi 26 novembre à 14 h",
    "oui",
    "2 heures",
    "https://visio.example.org/bilan",
    "oui",
    "oui",
    "non",
)


async def remote_bilan(w: World) -> None:
    """Remote final bilan, Thursday 14 h, the three delegates invited (ticked already)."""
    for line in BILAN:
        await w.trainer.says(line)
    await w.trainer.says("Terminé")  # participants
    await w.trainer.says("Terminé")  # partners
    await w.trainer.presses("Programmer le bilan")
    expect(await count(w.db, Bilan) == 1, "un bilan à distance")


async def remote_bilan_by_email(w: World) -> None:
    """The same bilan where the delegates' e-mails came with the trainees' list and SMTP is
    configured: the bot e-mails their links itself (nothing sent here: it is queued)."""
    async with w.db.sessions() as session, session.begin():
        for trainee in (await session.scalars(select(Trainee).where(Trainee.is_delegate))).all():
            trainee.email = f"{name_key(trainee.full_name).replace(' ', '.')}@example.org"
    await remote_bilan(w)


WITH_SMTP = {remote_bilan_by_email}
"""Tasks run with SMTP configured (nothing is sent: e-mails wait in the outbox)."""


async def three_attestations(w: World) -> None:
    """The bilan for three, the three answers, the trainer's bundle: everything but the bilan."""
    await remote_bilan(w)
    codes = {
        r.text.split("\n", 1)[0].removeprefix("Bonjour ").rstrip(","): r.extras["invite_code"]
        for r in w.trainer.replies
        if r.extras.get("invite_code")
    }
    expect(len(codes) == 3, "trois invitations")
    w.trainer.tally.trainer = 0  # the bilan is counted on its own line
    w.trainer.tally.replies = 0
    w.trainer.tally.forwarded = 0
    w.clock.advance(days=3, hours=7, minutes=30)  # Thursday 17 h 30: the bilan took place
    for name, code in codes.items():
        who = w.people(name_key(name).replace(" ", "-"))
        await who.says(f"/start {code}")
        await who.says(name)
        await who.presses("Je représente les stagiaires")
        await who.presses("Je l'atteste")
    expect(await count(w.db, Attestation) == 3, "trois attestations")
    await w.trainer.says("/attestations")
    await w.trainer.presses("Recevoir le dossier")
    expect(any(r.document for r in w.trainer.replies), "le dossier de preuves")


TASKS: list[tuple[str, Callable[[World], Awaitable[None]]]] = [
    ("Une absence (/absence Karim ce matin)", one_absence),
    ("Cinq absences, une à une (/absence)", five_one_by_one),
    ("Cinq absences, /appel (numéros tapés)", five_by_appel_typed),
    ("Cinq absences, /appel, une seule formation en cours", five_by_appel_one_running),
    ("Cinq absences, /appel (noms touchés)", five_by_appel_touched),
    ("Cinq absences, /appel restauration ce matin", five_by_appel_line),
    ("Cinq absences, une phrase (« Karim, Léa… absents ce matin »)", five_by_sentence),
    ("Un bilan à distance (/bilan)", remote_bilan),
    ("Un bilan à distance, e-mails des délégués connus et SMTP configuré", remote_bilan_by_email),
    ("Trois attestations (après le bilan ; ses 3 invitations transférées)", three_attestations),
]


async def run(task: Callable[[World], Awaitable[None]], directory: Path) -> Tally:
    database = Database(f"sqlite+aiosqlite:///{directory / 'formabot.db'}")
    await database.migrate()
    async with database.sessions() as session, session.begin():
        await demo.fill(session, today=NOW.date())
    await grow_group(database)
    settings = Settings(database_url=database.url, data_dir=directory)
    if task in WITH_SMTP:
        settings = replace(settings, smtp_host="127.0.0.1", smtp_from="formabot@example.org")
    clock = Clock(NOW)
    engine = build_engine(database, settings, clock=clock)
    tally = Tally()
    trainer = Counted(engine, demo.DEMO_USER, Platform.CONSOLE, tally=tally)

    def participant(user: str) -> Counted:
        return Counted(engine, user, Platform.CONSOLE, tally=tally, participant=True)

    try:
        await task(World(database, trainer, participant, clock))
    finally:
        await database.dispose()
    return tally


async def measure() -> list[tuple[str, Tally]]:
    """Every task on its own fresh database."""
    results = []
    for label, task in TASKS:
        with tempfile.TemporaryDirectory() as directory:
            results.append((label, await run(task, Path(directory))))
    return results


def table(results: list[tuple[str, Tally]]) -> str:
    lines = [
        "| tâche | messages du formateur | réponses du bot | messages des participants"
        " | textes à transférer à la main |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, t in results:
        lines.append(
            f"| {label} | {t.trainer} | {t.replies} | {t.participants or '–'} | {t.forwarded or '–'} |"
        )
    return "\n".join(lines)


def main() -> None:
    print(table(asyncio.run(measure())))


if __name__ == "__main__":
    main()
