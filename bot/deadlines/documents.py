"""What a scheduled bilan produces: the invitation, the agenda, the e-mail to the Région;
and the deadlines as a calendar.

- The invitation (``.ics``) has a UID fixed for the bilan's life and its
  ``sequence``: a moved bilan updates the event in the participants'
  calendars, a cancelled one (METHOD:CANCEL) removes it.  It asks for no
  answer (METHOD:PUBLISH): there is no organiser's address to answer to.  The visio
  password is written in it only when the trainer asked for that.
- The agenda (PDF, ``templates/documents/ordre_du_jour.html.j2``) follows
  §II of the Normandie procedure (000): a collective feedback, an exchange
  with the delegates on their paths, a time with the teaching team and the
  partners.
- The e-mail to the Région's contact is the funder's own
  (``templates/documents/email_bilan_<funder>.txt.j2``): the Normandie one
  promises the bilan pédagogique and the proofs of participation, the
  Centre-Val de Loire one its written bilan qualitatif; each lists what will
  be sent and when, from the stored deadlines.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.bilans.participants import agreement_words
from bot.bilans.view import BilanView, kind_label
from bot.dates import (
    day_off,
    day_to_act,
    spell_date,
    spell_datetime,
    spell_minutes,
    spell_span,
    spell_time,
    working_day_before,
)
from bot.deadlines.service import Listed
from bot.deadlines.settled import SETTLED
from bot.deadlines.status import status_label
from bot.documents import ics
from bot.documents.pdf import render_pdf
from bot.mailer import EMAIL
from bot.messages import Document
from bot.outbox_payload import Mail
from bot.rules.catalogue import rule_label
from bot.rules.engine import CLOCK_CHANGE
from bot.rules.model import without_source
from bot.storage.bilans import StoredDeadline

AGENDA_PARTS = (
    "Retour collectif",
    "Échange avec les délégués sur leur parcours",
    "Temps avec l'équipe pédagogique et les partenaires",
)
"""The three times §II of the Normandie procedure asks for "à minima"."""

GROUP_AGENDA_PARTS = (
    "Retour collectif",
    "Échange avec les stagiaires sur leur parcours",
    "Temps avec l'équipe pédagogique et les partenaires",
)
"""A bilan collectif elsewhere (Centre-Val de Loire): no rule reserves the floor to the
delegates, so the second time is the trainees'."""

EMAIL_TEMPLATES = {
    "normandie": "documents/email_bilan_normandie.txt.j2",
    "cvl": "documents/email_bilan_cvl.txt.j2",
}
"""Each funder's draft: its own contact, its own documents and delays."""


def agenda(view: BilanView) -> list[tuple[str, str, str]]:
    """(from, to, part) for the three parts, the time split in equal thirds."""
    third = timedelta(minutes=view.minutes / 3)
    rows = []
    parts = AGENDA_PARTS if view.formation.funder == "normandie" else GROUP_AGENDA_PARTS
    for index, part in enumerate(parts):
        begin = view.start + third * index
        finish = view.end if index == 2 else view.start + third * (index + 1)
        begin = begin.replace(second=0, microsecond=0)
        finish = finish.replace(second=0, microsecond=0)
        rows.append((spell_time(begin), spell_time(finish), part))
    return rows


def invitation(view: BilanView, *, stamp: datetime, cancelled: bool = False) -> bytes:
    """The bilan's ``.ics``; ``cancelled``: a cancellation for one person removed from it."""
    bilan = view.bilan
    description = texts.render_document(
        "documents/invitation_bilan.txt.j2",
        v=view,
        kind=kind_label(bilan.kind),
        when=spell_datetime(view.start),
        duration=spell_minutes(view.minutes),
        agenda=agenda(view),
    )
    emails = [
        p.contact for p in view.bilan.participants if p.contact and EMAIL.match(p.contact.strip())
    ]
    if view.formation.cm_email and EMAIL.match(view.formation.cm_email):
        emails.append(view.formation.cm_email)
    # No organiser: neither the trainer nor the organisation has an e-mail address in
    # formabot, and the bot reads no mail, so an « Accepter » would go nowhere; the event
    # is published (METHOD:PUBLISH, see bot.documents.ics), updated by its UID.
    return ics.invitation(
        uid=bilan.calendar_uid,
        start=view.start,
        end=view.end,
        summary=f"{kind_label(bilan.kind).capitalize()} – {view.formation.title}",
        description=description,
        location=bilan.visio_url if bilan.remote else bilan.location,
        attendees=emails,
        sequence=bilan.sequence,
        cancelled=cancelled or bilan.cancelled_at is not None,
        stamp=stamp,
    )


def invitation_document(
    view: BilanView, *, stamp: datetime, caption: str, cancelled: bool = False
) -> Document:
    cancelled = cancelled or view.bilan.cancelled_at is not None
    suffix = "-annulation" if cancelled else ""
    return Document(
        filename=f"{view.file_stem}{suffix}.ics",
        mime_type="text/calendar",
        content=invitation(view, stamp=stamp, cancelled=cancelled),
        caption=caption,
    )


def agreements(view: BilanView, to: str | None = None) -> dict[int, str]:
    """The chargé(e) de mission's agreement, in words, for each trainee invited by derogation
    (``to``: written to that person, « avec votre accord » where it is hers: explorer UE5)."""
    found = {}
    for participant in view.bilan.participants:
        words = agreement_words(participant, to)
        if words is not None:
            found[participant.id] = words
    return found


def agenda_pdf(view: BilanView) -> bytes:
    return render_pdf(
        "ordre_du_jour.html.j2",
        v=view,
        agreement=agreements(view),
        kind=kind_label(view.bilan.kind),
        span=spell_span(view.start, view.end),  # « de 14 h 00 à 16 h 00 » (explorer AH11)
        duration=spell_minutes(view.minutes),
        agenda=agenda(view),
        normandie=view.formation.funder == "normandie",
    )


def agenda_document(view: BilanView, *, caption: str) -> Document:
    return Document(
        filename=f"ordre-du-jour-{view.file_stem}.pdf",
        mime_type="application/pdf",
        content=agenda_pdf(view),
        caption=caption,
    )


def sheet_document(view: BilanView, *, caption: str) -> Document:
    """The feuille d'émargement of an on-site bilan, every participant on it, to sign."""
    content = render_pdf(
        "feuille_emargement.html.j2",
        v=view,
        kind=kind_label(view.bilan.kind),
        span=spell_span(view.start, view.end),
        normandie=view.formation.funder == "normandie",
    )
    return Document(
        filename=f"emargement-{view.file_stem}.pdf",
        mime_type="application/pdf",
        content=content,
        caption=caption,
    )


def due_text(row: Listed, tz: ZoneInfo) -> str:
    if row.due_at is not None and row.status != "postponed":
        return spell_datetime(row.due_at.astimezone(tz))
    return spell_date(row.effective_due)


_CLOCK_MOVED = re.compile(rf"(\d{{1,2}} h \d\d et non \d{{1,2}} h \d\d) : {CLOCK_CHANGE}")


def clock_moved(row: Listed) -> str:
    """« 13 h 00 et non 14 h 00 » when the hour :func:`due_text` shows is one a clock change
    moved (the explanation says so: :func:`bot.rules.engine.deadlines`), else "".  The
    one-line lists (the digest, « C'est programmé ») mark that hour « * » and explain it once
    under the list (``chat/_clock_change.j2``; WB: the hour alone, unexplained, UB4)."""
    if row.due_at is None or row.status == "postponed":
        return ""
    found = _CLOCK_MOVED.search(row.explanation)
    return found.group(1) if found else ""


def promised(rows: Sequence[StoredDeadline], tz: ZoneInfo, now: datetime) -> dict[str, str]:
    """When a letter to the funder's contact promises each rule's document: a deadline on a
    Saturday, a Sunday or a holiday is promised for the working day before, while that
    day is still to come (nobody writes to the Région « au plus tard le samedi »); one
    already past when the letter is written (a bilan booked within its 48 h) is promised
    for today (explorer F: « au plus tard le mercredi 2 décembre », written on the 4th), and
    so is one whose hour of today has passed (explorer AH3: « au plus tard le samedi 5
    décembre 2026 à 14 h 00 », written at 20 h 42)."""
    today = now.astimezone(tz).date()
    said = {}
    for row in rows:
        hour_gone = row.due_at is not None and row.due_at <= now
        if row.effective_due < today or (hour_gone and row.status != "postponed"):
            # Booked too late: promised for today, not for a past day or hour.
            said[row.rule_id] = spell_date(today)
            continue
        before = working_day_before(row.effective_due, today)
        said[row.rule_id] = spell_date(before) if before is not None else due_text(row, tz)
    return said


def email_to_chargee(view: BilanView, deadlines: Sequence[StoredDeadline], now: datetime) -> str:
    """The draft e-mail to the Région's contact (plain text, to copy or forward), the
    funder's own (:data:`EMAIL_TEMPLATES`), written ``now``."""
    due = promised(deadlines, view.tz, now)
    # Whether each is due after the meeting's day: the draft says "ensuite" only then.
    after = {row.rule_id: row.effective_due > view.start.date() for row in deadlines}
    template = EMAIL_TEMPLATES.get(view.formation.funder, EMAIL_TEMPLATES["normandie"])
    return (
        texts.render_document(
            template,
            v=view,
            agreement=agreements(view, to=view.formation.cm_name),  # written to her
            kind=kind_label(view.bilan.kind),
            when=spell_datetime(view.start),
            until=spell_time(view.end),
            duration=spell_minutes(view.minutes),
            due=due,
            after=after,
            meeting_day=spell_date(view.start),
        ).strip()
        + "\n"
    )


def email_document(view: BilanView, mail: Mail, *, caption: str) -> Document:
    """The e-mail to the chargé(e) de mission as a file the trainer forwards."""
    return Document(
        filename=f"message-charge-de-mission-{view.file_stem}.txt",
        mime_type="text/plain",
        content=f"Objet : {mail.subject}\n\n{mail.body}".encode(),
        caption=caption,
    )


# --- the deadlines as a calendar -------------------------------------------------


def _clean(value: str, *, multiline: bool = False) -> str:
    """Calendar text without control characters (some clients reject the file for them)."""
    kept = "".join(
        ch for ch in value if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    if multiline:
        return "\n".join(" ".join(line.split()) for line in kept.split("\n")).strip()
    return " ".join(kept.split())


def deadline_uid(row: StoredDeadline, origin: str) -> str:
    """The same from one export to the next (re-importing updates the events), and unlike any
    other organisation's: ``origin`` names the organisation (its id and creation moment), so
    the « deadline-44 » of two organismes a freelance trainer works for are two events
    (explorer AE4: one replaced the other in her calendar)."""
    return f"deadline-{uuid.uuid5(uuid.NAMESPACE_URL, f'{origin}/{row.id}').hex}@formabot"


def category_of(rule_id: str) -> str:
    """Who sets the deadline, as a calendar shows its categories next to the event: « Région
    Normandie », « Procédure Elycoop de prévention des ruptures » (never the rule's code)."""
    return texts.upper_first(rule_label(rule_id).split(" – ")[0])


def deadlines_calendar(
    rows: Sequence[StoredDeadline],
    titles: Mapping[int, str],
    tz: ZoneInfo,
    *,
    origins: Mapping[int, str],
    stamp: datetime | None = None,
    settled: Collection[int] = (),
) -> bytes:
    """One VEVENT per deadline: at its hour when it has one (30 min), else all day.

    METHOD:PUBLISH (a calendar to subscribe to or import, not an invitation); ``origins``
    names each formation's organisation for the UIDs (:func:`deadline_uid`).
    """
    from icalendar import Calendar, Event  # loaded when a calendar is asked for, not at start

    calendar = Calendar()
    calendar.add("prodid", ics.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Échéances formabot")
    first: date | None = None
    last: date | None = None
    for row in rows:
        event = Event()
        event.add("uid", deadline_uid(row, origins.get(row.formation_id, "")))
        event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
        formation = titles.get(row.formation_id, "")
        summary = f"{row.title} – {formation}" if formation else row.title
        event.add("summary", _clean(summary))
        status = SETTLED if row.id in settled else status_label(row)  # explorer AH4
        said = without_source(row.explanation, row.source)
        description = f"{said}\nSource : {row.source}\nStatut : {status}"
        if row.status == "postponed" and row.postpone_reason:
            description += f" ({row.postpone_reason})"
        event.add("description", _clean(description, multiline=True))
        # A day off is no day to act: the event sits on the working day before, its
        # description keeps the texts' date (« échéance du dimanche 6 décembre 2026 »); at
        # the same hour for a deadline that has one (explorer T T1: NOR-DOCS on a Saturday).
        timed = row.due_at is not None and row.status != "postponed"
        due = row.due_at.astimezone(tz) if row.due_at is not None and timed else None
        texts_day = due.date() if due is not None else row.effective_due
        day = day_to_act(texts_day, row.created_at.astimezone(tz).date()) or texts_day
        if day != texts_day:
            hour = f" à {due:%H} h {due:%M}" if due is not None else ""
            description += (
                f"\nÉchéance : {spell_date(texts_day)}{hour}, {day_off(texts_day)} ;"
                " placée ici, le jour ouvré d'avant."
            )
            event["description"] = _clean(description, multiline=True)
        if due is not None:
            start = datetime.combine(day, due.time()).replace(tzinfo=tz)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=30))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [category_of(row.rule_id)])
        calendar.add_component(event)
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is not None and last is not None:
        ics.with_timezones(calendar, first, last)
    data: bytes = calendar.to_ical()
    return data
