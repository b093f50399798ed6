"""What ``/suivi`` and ``/exporter`` hand out in chat, each handing-out in the audit trail.

A trainee's timeline as a PDF, a formation's absences as a table (XLSX or CSV), or its
Qualiopi bundle (ZIP).  The documents themselves are built by
:mod:`bot.absences.exports`; here they are produced for one person, who is
recorded (by ids, never names) as having taken them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.absences.exports import ABSENCE_COLUMNS, absence_rows, qualiopi_bundle, timeline_pdf
from bot.config import Settings
from bot.documents.bundle import slug
from bot.documents.sheets import Format
from bot.documents.sheets import write as sheet
from bot.formations.queries import named_in_organisation
from bot.messages import Document, Reply
from bot.storage import audit
from bot.storage.formations import Formation, Trainee


async def timeline_document(
    session: AsyncSession, formation: Formation, trainee: Trainee, actor_id: int, now: datetime
) -> bytes:
    """The trainee's timeline as a PDF."""
    content = await timeline_pdf(session, formation, trainee, now)
    audit.record(
        session,
        organisation_id=formation.organisation_id,
        actor_id=actor_id,
        action="export_timeline",
        entity="trainee",
        entity_id=trainee.id,
    )
    return content


async def formation_export(
    session: AsyncSession,
    formation: Formation,
    what: str,
    actor_id: int,
    now: datetime,
    fmt: Format = "xlsx",
) -> bytes | None:
    """``absences`` (a table in ``fmt``, ``None`` when there is none) or ``qualiopi`` (ZIP)."""
    if what == "absences":
        rows = await absence_rows(
            session, organisation_id=formation.organisation_id, formation_id=formation.id
        )
        if not rows:
            return None
        content = sheet(rows, ABSENCE_COLUMNS, fmt, title="Absences")
    else:
        content = await qualiopi_bundle(
            session, formation.id, organisation_id=formation.organisation_id, now=now
        )
    audit.record(
        session,
        organisation_id=formation.organisation_id,
        actor_id=actor_id,
        action="export",
        entity="formation",
        entity_id=formation.id,
        what=what,
    )
    return content


async def organisation_absences(
    session: AsyncSession,
    organisation_id: int,
    formation_ids: list[int],
    actor_id: int,
    fmt: Format = "xlsx",
) -> bytes | None:
    """The absences of every formation an administrator lists, in one table (``None`` when
    there is none): the rows and columns of ``formabot export absences --organisation``,
    asked in the chat, where an administrator of forty formations made forty three-step
    exports (explorer KB8).  A formation deleted is no longer listed, so not exported."""
    rows = await absence_rows(session, organisation_id=organisation_id, among=formation_ids)
    if not rows:
        return None
    content = sheet(rows, ABSENCE_COLUMNS, fmt, title="Absences")
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=actor_id,
        action="export",
        entity="organisation",
        entity_id=organisation_id,
        what="absences",
    )
    return content


def qualiopi_reply(name: str, content: bytes) -> Reply:
    """The Qualiopi bundle of the formation ``name`` (its title, with its start day when
    another of the organisation has the same: explorer XB3, two « qualiopi-cariste-caen.zip »
    on one phone) as the chat sends it, with its warning."""
    return Reply(
        text=texts.say("suivi.export_ready", what="le dossier Qualiopi"),
        document=Document(
            filename=f"qualiopi-{_named(name)}.zip",
            mime_type="application/zip",
            content=content,
            caption="Dossier Qualiopi",
        ),
    )


def _named(name: str) -> str:
    """A file name's part for the formation ``name``: its title cut, never the start day that
    tells a twin apart (explorer ZA11: a long title lost it again)."""
    title, _, day = name.rpartition(" (") if name.endswith(")") else (name, "", "")
    if not title:
        return slug(name, empty="formation")
    return "-".join(part for part in (slug(title, empty="formation"), slug(day, empty="")) if part)


async def qualiopi_work(
    session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
) -> list[Reply]:
    """The long work ``absences.qualiopi`` (:mod:`bot.progress`): the bundle for the trainer
    who asked in ``/exporter`` (``args``: ``formation_id``, ``person_id``; their right to see
    the formation was checked when they asked), built and audited after their turn."""
    formation = await session.get(Formation, int(args["formation_id"]))
    if formation is None or formation.deleted_at is not None:
        return [Reply(text=texts.say("formation.not_found"))]
    content = await formation_export(session, formation, "qualiopi", int(args["person_id"]), now)
    if content is None:
        return [Reply(text=texts.say("suivi.export_empty"))]
    return [qualiopi_reply(await named_in_organisation(session, formation), content)]
