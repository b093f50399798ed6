"""Steps and helpers the absence, décrochage, suivi and vacations conversations share.

- :class:`TraineeStep`: a trainee by button, number, or a few letters of the
  name typed however ("dupon", "Dupont J", "lea martin", "Dupond").
- :class:`FileStep`: a photo or a file (a proof, a screenshot, a livret),
  kept in the conversation until the flow saves it.
- :func:`CheckedDateStep`: a :class:`DateStep` whose ``then`` hook runs once
  the date is confirmed (re-check duplicates, dates of the formation…).
- :class:`FormationStep`, :func:`who_steps`: which formation, then which
  trainee; both skipped when already known (a name typed after the command).
- :func:`parse_note`: free text with letters in it, of bounded length.

Names are matched by :func:`bot.absences.line.match_names`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Unpack

from bot.absences.followups import MAX_UPLOAD_BYTES, accepted_mime
from bot.absences.line import match_names
from bot.absences.uploads import Upload, keep_upload
from bot.answers import (
    MAX_TEXT,
    Invalid,
    clean_line,
    fold,
    has_control_characters,
    worded,
)
from bot.conversations.absences.people_choice import NOBODY, offer_people, people_options
from bot.conversations.formations.choose import (
    formation_options,
    load_formation,
    visible_formations,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome, Retry, Step
from bot.conversations.kit.pages import typed_page
from bot.conversations.kit.pick import STOP_WORDS, WHOLE_WORDS, visible
from bot.conversations.kit.steps import DateStep, Hooks, Option, Pick, Text, TextParser
from bot.documents.bundle import safe_name
from bot.documents.kinds import is_what_it_says
from bot.formations.labels import SINGLE_PERSON_KINDS
from bot.formations.queries import hold_trainee
from bot.messages import Attachment, Reply
from bot.privacy.health import MEDICAL_DETAIL, SAID_TEXT, keeping, kept, reworded
from bot.storage.absences import StoredDocument
from bot.storage.formations import Formation, Trainee

__all__ = ["match_names"]  # its home is bot.absences.line; kept here for the dialogues


# --- formations and trainees ---------------------------------------------------------


async def single_formation(ctx: Context) -> list[Formation]:
    """The visible formations; the only one is preset in ``ctx.data`` (if it has trainees:
    otherwise the formation question says so)."""
    formations = await visible_formations(ctx)
    if len(formations) == 1 and "formation_id" not in ctx.data and formations[0].trainees:
        ctx.data["formation_id"] = formations[0].id
    return formations


async def chosen_formation(ctx: Context, picked: str) -> Formation | None:
    """The formation just picked, kept as ``formation_id``; ``None`` (forgotten) if not visible."""
    formation = await load_formation(ctx, picked)
    if formation is None:
        ctx.data.pop("formation_id", None)
        return None
    ctx.data["formation_id"] = formation.id
    return formation


async def current_formation(ctx: Context) -> Formation | None:
    return await load_formation(ctx, ctx.data.get("formation_id"))


async def current_trainee(ctx: Context, *, lock: bool = False) -> Trainee | None:
    """``lock`` (saving): their row held and read again, so an erasure at the same moment
    is waited for and seen (explorer UD4)."""
    formation = await current_formation(ctx)
    if formation is None:
        return None
    wanted = str(ctx.data.get("trainee_id"))
    if lock and wanted.isdigit() and len(wanted) < 19:
        await hold_trainee(ctx.session, int(wanted))
    return next((t for t in formation.named_trainees if str(t.id) == wanted), None)


async def trainee_options(ctx: Context) -> list[Option]:
    formation = await current_formation(ctx)
    if formation is None:
        return []
    return [
        Option(ctx.label("absence.trainee_option", t=t), str(t.id))
        for t in formation.named_trainees
    ]


class TraineeStep(Pick):
    """Pick a trainee of the formation in ``ctx.data["formation_id"]``."""

    def __init__(self, name: str, *, ask: str, **hooks: Unpack[Hooks]) -> None:
        super().__init__(name, ask=ask, options=trainee_options, columns=1, **hooks)

    async def take(self, ctx: Context) -> Outcome:
        text = ctx.incoming.text.strip()
        if ctx.incoming.choice is not None or not text or text.isdigit():
            return await super().take(ctx)
        if has_control_characters(text) or len(text) > 200:
            return Retry(ctx.render("suivi.trainee_unclear"))
        if typed_page(text, 0, 2) is not None or fold(text) in WHOLE_WORDS:
            return await super().take(ctx)
        offered = [Option(label, value) for label, value in ctx.data.get("_options", [])]
        # The name alone is matched, not what the label says beside it (« – sortie le … »).
        people = [
            (o.label.split(" – ")[0], o.value) for o in offered if not o.value.startswith("_")
        ]
        # « c'est Karim », « pour Julie »: the name said in a sentence (explorer AW8).
        text = re.sub(r"(?i)^(?:c'est|c’est|pour|de|avec)\s+", "", text) or text
        found = [str(value) for value in match_names(text, people)]
        if not found and fold(text) in STOP_WORDS:  # « annuler »: the way out (explorer AD24)
            return self.narrow(ctx, [], text, visible(ctx, offered))
        if not found:  # in another formation, perhaps: said, with the way back to it
            elsewhere = await trainee_anywhere(ctx, text)
            return Retry(
                ctx.render("suivi.trainee_not_found", typed=text[:40], elsewhere=elsewhere[:3])
            )
        # Several: shown alone, numbered (one is taken at once, as a button).
        outcome = self.narrow(ctx, found, text, visible(ctx, offered))
        if isinstance(outcome, Next) and self.then is not None:
            return await self.then(ctx, ctx.data.get(self.store))
        return outcome


# --- files ----------------------------------------------------------------------------


class FileStep(Step):
    """A photo or a file, or (when optional) the skip button.

    The bytes wait in the conversation (base64) until the flow saves them
    with the rest, so that abandoning leaves nothing behind.
    """

    def __init__(
        self, name: str, *, ask: str, skip_label: str | None = None, **hooks: Unpack[Hooks]
    ) -> None:
        super().__init__(name, **hooks)
        self.prompt = ask
        self.skip_label = skip_label

    async def question(self, ctx: Context) -> Reply:
        choices = (ctx.choice(self.skip_label, "skip"),) if self.skip_label else ()
        return Reply(text=await self.render(ctx, self.prompt), choices=choices)

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        if attachment is None:
            if self.skip_label:
                picked = ctx.chosen(
                    ["skip"],
                    labels={"skip": self.skip_label},
                    synonyms={"non": "skip", "passer": "skip", "aucun": "skip", "rien": "skip"},
                )
                # A stale button is said; a number typed (« 0 », « -1 ») is told the file is
                # wanted, not « tapez un numéro entre 1 et 1 » (explorer GD2).
                if isinstance(picked, Invalid) and ctx.incoming.choice is not None:
                    return Retry(picked.message)
                if picked == "skip":
                    ctx.data[self.store] = None
                    return Next()
            return Retry(ctx.render("suivi.file_expected", optional=bool(self.skip_label)))
        stored = file_kept(ctx, attachment)
        if isinstance(stored, Retry):
            return stored
        ctx.data[self.store] = stored
        return Next()


def file_kept(ctx: Context, attachment: Attachment) -> dict[str, str] | Retry:
    """What a :class:`FileStep` keeps of a file, or why it is refused."""
    if not accepted_mime(attachment.mime_type):
        return Retry(ctx.render("suivi.file_refused_type"))
    if not attachment.content:
        return Retry(ctx.render("suivi.file_empty"))
    if len(attachment.content) > MAX_UPLOAD_BYTES:
        return Retry(ctx.render("suivi.file_too_big", limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
    if not is_what_it_says(attachment.mime_type, attachment.content):  # explorer EC4
        name = safe_name(attachment.filename or "fichier", limit=60)
        return Retry(ctx.render("suivi.file_not_what_it_says", name=name))
    return {
        "filename": safe_name(attachment.filename or "fichier", limit=120),  # its « .pdf » (AA4)
        "mime": attachment.mime_type.lower().strip()[:100],
        "b64": base64.b64encode(attachment.content).decode("ascii"),
    }


class ReasonText(Text):
    """The motive of an absence: a file sent there (the justificatif) is told where it goes
    in this very dialogue, not the list of commands taking files (explorer JA2: « se joint
    avec /absences (ou en notant l'absence) » while noting it)."""

    proof_next = False
    """Whether the justificatif is the next question."""

    file_said = "absence.file_at_reason"
    """What a file sent here is told."""

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        words = bool(ctx.incoming.text.strip())
        if attachment is not None and not (self.proof_next and words):
            said = ctx.render(self.file_said, proof_next=self.proof_next, words=words)
            return Retry(said)
        return await super().answer(ctx)


class GroupReasonText(ReasonText):
    """The motive of several absences at once (:mod:`~bot.conversations.absences.group`),
    which asks no justificatif: a file there is told it is joined to each absence once
    noted, with /absences (explorer JB7: the list of commands taking files, « ou en notant
    l'absence », while noting it)."""

    file_said = "absence_appel.group_file_at_reason"


class TextWithProof(ReasonText):
    """A text question whose answer may come as the caption of the proof itself: « arrêt
    maladie » sent with the scan of the arrêt, the motive taken and the file kept as the
    proof the next question asks for (explorer EE6: refused whole, the scan thought
    unwanted)."""

    proof_next = True

    def __init__(self, name: str, *, proof: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.proof = proof

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        if attachment is None or not ctx.incoming.text.strip():
            return await super().answer(ctx)
        stored = file_kept(ctx, attachment)
        if isinstance(stored, Retry):
            return stored
        ctx.incoming = replace(ctx.incoming, attachment=None)
        outcome = await super().answer(ctx)
        if not isinstance(outcome, Retry):
            ctx.data[self.proof] = stored
        return outcome


def upload_of(stored: Any) -> Upload | None:
    """What a :class:`FileStep` kept (in ``ctx.data``), if anything."""
    if not isinstance(stored, dict) or "b64" not in stored:
        return None
    return Upload(str(stored["filename"]), str(stored["mime"]), base64.b64decode(stored["b64"]))


async def keep_file(
    ctx: Context,
    key: str,
    *,
    organisation_id: int,
    kind: str,
    followup_id: int | None = None,
) -> StoredDocument | None:
    """Store the file a :class:`FileStep` kept under ``key`` (if any), in this transaction."""
    upload = upload_of(ctx.data.get(key))
    if upload is None:
        return None
    return await keep_upload(
        ctx.session,
        upload,
        organisation_id=organisation_id,
        kind=kind,
        followup_id=followup_id,
        by=ctx.person_id,
        now=ctx.now,
    )


# --- dates ----------------------------------------------------------------------------


def CheckedDateStep(
    name: str,
    *,
    after: Callable[[Context], Awaitable[Outcome | None]] | None = None,
    **kwargs: Any,
) -> DateStep:
    """A :class:`DateStep` that runs ``after`` once the date is confirmed.

    ``after`` may send the dialogue elsewhere; ``None`` goes on.  (The
    step's ``then`` hook, under the name the follow-up dialogues know.)
    """
    if after is None:
        return DateStep(name, **kwargs)
    checked = after

    async def then(ctx: Context, value: object) -> Outcome:
        instead = await checked(ctx)
        return Next() if instead is None else instead

    return DateStep(name, then=then, **kwargs)


# --- free text ------------------------------------------------------------------------


def parse_note(limit: int) -> TextParser:
    """One answer of at most ``limit`` characters, with letters in it; line breaks kept; a
    medical detail pointed out once (:mod:`bot.privacy.health`), an instruction after it
    (« mettez raison personnelle ») read for the words it gives, as the participant's reason
    is (explorer BB13: saved whole as the motive)."""
    assert limit <= MAX_TEXT

    async def parse(ctx: Context, text: str) -> str | Invalid:
        if has_control_characters(text):
            cleaned = clean_line(text, limit=limit)
            assert isinstance(cleaned, Invalid)
            return cleaned
        lines = [" ".join(line.split()) for line in text.splitlines()]
        note = "\n".join(line for line in lines if line).strip()
        if not note:
            return Invalid(ctx.render("suivi.note_empty"))
        if len(note) > limit:
            return Invalid(ctx.render("suivi.note_too_long", length=len(note), limit=limit))
        if not worded(note):  # the same check as a participant's reason (UC1)
            return Invalid(ctx.render("suivi.note_no_letters"))
        if ctx.data.get(SAID_TEXT) is not None and not keeping(note):
            # « mettez raison personnelle » after the warning: its words (explorer BB13).
            note = reworded(note)
        answer = kept(ctx.data, note, MEDICAL_DETAIL)  # explorer Z, Z5
        if answer is None:
            return Invalid(ctx.render("suivi.note_medical_detail"))
        return answer

    return parse


# --- a formation, or straight a trainee's name ------------------------------------------


async def trainee_anywhere(ctx: Context, text: str) -> list[tuple[Formation, Trainee]]:
    """The trainees of the visible formations whose name fits ``text``."""
    formations = await visible_formations(ctx)
    people = [(t.full_name, (f, t)) for f in formations for t in f.named_trainees]
    return match_names(text, people)


class FormationStep(Pick):
    """Pick a formation; typing a trainee's name instead picks both at once (``then`` needed)."""

    def __init__(self, name: str, *, ask: str, options: Any, **hooks: Unpack[Hooks]) -> None:
        super().__init__(name, ask=ask, options=options, **hooks)
        assert self.then is not None, "FormationStep needs then="

    async def take(self, ctx: Context) -> Outcome:
        outcome = await super().take(ctx)
        text = ctx.incoming.text.strip()
        if (
            not isinstance(outcome, Retry)
            or ctx.incoming.choice is not None
            or not text
            or text.isdigit()
            or len(text) > 200
            or has_control_characters(text)
        ):
            return outcome
        found = await trainee_anywhere(ctx, text)
        if len(found) > 1:
            await offer_people(ctx, text, found)
            return Next("person")
        if not found:
            return outcome
        formation, trainee = found[0]
        ctx.data["trainee_id"] = trainee.id
        ctx.data["name"] = trainee.full_name
        assert self.then is not None
        return await self.then(ctx, str(formation.id))


async def preset_trainee(ctx: Context, command: str) -> None:
    """``/decrochage karim``, ``/suivi Dupont``: a name after the command picks the trainee."""
    text = ctx.incoming.argument if ctx.incoming.command == command else ""
    if not text or len(text) > 200 or has_control_characters(text):
        return
    found = await trainee_anywhere(ctx, text)
    if len(found) == 1:
        formation, trainee = found[0]
        ctx.data.update(formation_id=formation.id, trainee_id=trainee.id, name=trainee.full_name)
    elif found:
        await offer_people(ctx, text, found)
    else:
        ctx.say("suivi.trainee_nowhere", typed=text[:40])


AfterTrainee = Callable[[Context, str], Awaitable[Outcome]]


def who_steps(topic: str, after_trainee: AfterTrainee) -> list[Step]:
    """Which formation, then which trainee: how every follow-up dialogue opens.

    Both questions are skipped when the one-line form (``/absence Dupont …``)
    already answered them, the trainee's too in a bilan de compétences or a VAE of one
    person; ``after_trainee`` is the flow's own next move.
    """

    async def the_only_one(ctx: Context) -> Outcome | None:
        """A bilan de compétences or a VAE follows one person: she is the one, named by the
        next question (explorer CD7: « De qui s'agit-il ? » with her one button, and a day
        typed there « Je ne trouve personne qui corresponde à « vendredi 5 février » »)."""
        formation = await current_formation(ctx)
        if formation is None or formation.kind not in SINGLE_PERSON_KINDS:
            return None
        if len(people := formation.named_trainees) != 1:
            return None
        ctx.data["trainee_id"], ctx.data["name"] = str(people[0].id), people[0].full_name
        return await after_trainee(ctx, str(people[0].id))

    async def choose_formation(ctx: Context, picked: str) -> Outcome:
        formation = await chosen_formation(ctx, picked)
        if formation is None:
            return Retry(ctx.render("formation.not_found"))
        if not formation.named_trainees:
            ctx.say("absence.no_trainees", f=formation)
            return Leave()
        if "trainee_id" in ctx.data:
            trainee = await current_trainee(ctx)
            if trainee is None:
                ctx.data.pop("trainee_id", None)
                return Retry(ctx.render("formation.trainee_not_found"))
            ctx.data["name"] = trainee.full_name
            return await after_trainee(ctx, str(trainee.id))
        return Next()

    async def choose_person(ctx: Context, picked: str) -> Outcome:
        ctx.data.pop("_people", None)
        if picked == NOBODY:
            return Next()
        formation_id, _, trainee_id = picked.partition(":")
        ctx.data["trainee_id"] = trainee_id
        return await choose_formation(ctx, formation_id)

    return [
        Pick(
            "person",
            ask="suivi.ask_person",
            options=people_options,
            when=lambda ctx: bool(ctx.data.get("_people")),
            then=choose_person,
        ),
        FormationStep(
            "formation",
            ask=f"{topic}.ask_formation",
            options=formation_options,
            store="formation_id",
            unless_known=True,
            then=choose_formation,
        ),
        TraineeStep(
            "trainee",
            ask=f"{topic}.ask_trainee",
            store="trainee_id",
            unless_known=True,
            before=the_only_one,
            then=after_trainee,
            help="absence.help_trainee",
        ),
    ]
