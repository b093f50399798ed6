"""A bilan's documents (bot/deadlines/documents.py): the agenda, the invitation and the
funder's own draft e-mail, replayed from ``/bilan`` (issue 11, items 5 and 6).

The demo clock says Monday 23 November 2026, 10:00 in Paris.  "Agent de restauration
(démo)" is funded by the Région Normandie (delegates Léa Martin and Hugo Moreau),
"Projet professionnel (démo)" by the Région Centre-Val de Loire (delegate Nadia Roux,
contact M. Paul Girard), an ESP action that owes a bilan d'étape and a bilan de fin.
"""

from __future__ import annotations

from icalendar import Calendar

from bot.deadlines.documents import category_of, deadline_uid
from bot.messages import Document
from bot.storage.bilans import StoredDeadline
from tests.auxil.dialogue import Person
from tests.auxil.pdf import pdf_words


def documents(who: Person) -> dict[str, Document]:
    """By kind: ``ics``, ``txt``, ``pdf`` (the agenda) and ``emargement`` (on site)."""
    found = {}
    for reply in who.replies:
        if reply.document is not None:
            name = reply.document.filename
            kind = "emargement" if name.startswith("emargement-") else name.rsplit(".", 1)[-1]
            found[kind] = reply.document
    return found


TRANSCRIPT: list[str] = []


async def schedule(trainer: Person, lines: tuple[str, ...]) -> dict[str, Document]:
    TRANSCRIPT.clear()
    for line in lines:
        await trainer.says(line)
        TRANSCRIPT.append(trainer.all_text)
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text, trainer.all_text
    return documents(trainer)


def on_site(*ticked: str) -> tuple[str, ...]:
    """``/bilan``: the Normandie demo formation's final bilan on site, Thursday 3 December at
    14 h, the delegates and ``ticked`` (in that order) invited."""
    where = "Salle 2, 12 rue des Lilas, Caen"
    lines = ("/bilan", "Agent de restauration", "Programmer le bilan de fin", "Sur place")
    return (
        *lines,
        "jeudi 3 décembre à 14 h",
        "oui",
        "2 heures",
        where,
        *ticked,
        "Terminé",
        "Terminé",
    )


async def test_on_site_documents_list_every_trainee_ticked(trainer: Person) -> None:
    """Item 5: on site, the delegates and the other trainees ticked are all listed."""
    # Karim Benali, a trainee who is not a delegate: anyone may come on site.
    docs = await schedule(trainer, on_site("Karim Benali", "Julie Petit"))
    agenda = pdf_words(docs["pdf"].content)
    # « de … à … », as the letter and the attestation say it (explorer AH11: « à 14 h 00 –
    # 16 h 00 »), on the agenda and the sheet alike.
    assert "jeudi 3 décembre 2026 de 14 h 00 à 16 h 00 (2 h)" in agenda
    for line in (
        "Hugo Moreau, pour les stagiaires",
        "Léa Martin, pour les stagiaires",
        "Karim Benali, stagiaire",
        "Julie Petit, stagiaire",
        # One wording for the Région's contact (explorer AI19: « Pour la Région : »).
        "Mme Sophie Leroy, personne chargée de mission de la Région",
    ):
        assert line in agenda, line
    email = docs["txt"].content.decode()
    for line in (
        "- Hugo Moreau, pour les stagiaires",
        "- Léa Martin, pour les stagiaires",
        "- Karim Benali, stagiaire",
        "- Julie Petit, stagiaire",
    ):
        assert line in email, line
    # Normandie, on site: §III's proof is the sheet, reminded like the remote bilan's attestations.
    assert "- d'ici le jeudi 10 décembre 2026 : la copie de la feuille d'émargement." in email
    assert "attestations sur l'honneur" not in email
    assert "Envoyer les justificatifs de participation" in TRANSCRIPT[-1] + trainer.all_text
    sheet = pdf_words(docs["emargement"].content)
    assert "Feuille d'émargement – bilan de fin de formation" in sheet
    assert "jeudi 3 décembre 2026 de 14 h 00 à 16 h 00" in sheet
    for line in (
        "Hugo Moreau Pour les stagiaires",
        "Léa Martin Pour les stagiaires",
        "Karim Benali Stagiaire",
        "Julie Petit Stagiaire",
        "Camille Durand Équipe pédagogique",
        "Mme Sophie Leroy Personne chargée de mission de la Région",
    ):
        assert line in sheet, line


async def test_the_agenda_the_sheet_and_the_draft_list_the_participants_by_surname(
    trainer: Person,
) -> None:
    """Explorer CF11: a 203-trainee bilan listed its participants as they were added (Thomas
    Fabre, Inès Garnier, Nadia Roux, Adèle Lefèvre…): those for the trainees first, then the
    trainees, each by surname, as the chat lists them."""
    docs = await schedule(trainer, on_site("Julie Petit", "Karim Benali"))
    names = ("Léa Martin", "Hugo Moreau", "Karim Benali", "Julie Petit")
    for text in (
        pdf_words(docs["pdf"].content),
        pdf_words(docs["emargement"].content),
        docs["txt"].content.decode(),
    ):
        places = [text.index(name) for name in names]
        assert places == sorted(places), text


async def normandie_remote(
    trainer: Person, when: str, *, speakers: tuple[str, ...] = ("oui", "non")
) -> dict[str, Document]:
    """The demo's Normandie formation's final bilan, remote, ``when``: its documents
    (``speakers``: whether the tool manages the speaking turns, and what follows)."""
    lines = ("/bilan", "Agent de restauration", "Programmer le bilan de fin", "À distance")
    answers = (when, "oui", "2 heures", "https://visio.example.org/bilan", "oui", *speakers)
    return await schedule(trainer, (*lines, *answers, "Terminé", "Terminé"))


async def test_the_normandie_draft_promises_the_normandie_documents(trainer: Person) -> None:
    """Item 6: the Région Normandie's procedure, its 48 h and its proofs."""
    docs = await normandie_remote(trainer, "jeudi 26 novembre à 14 h")
    email = docs["txt"].content.decode()
    assert email.startswith("Objet : Bilan de fin de formation à distance")
    assert "Bonjour Madame," in email
    assert "au plus tard le mardi 24 novembre 2026 à 14 h 00 : le bilan pédagogique" in email
    assert "l'ensemble des attestations sur l'honneur" in email
    assert "bilan qualitatif" not in email and "gestionfp" not in email
    agenda = pdf_words(docs["pdf"].content)
    assert "2. Échange avec les délégués sur leur parcours" in agenda
    assert "fiche procédure bilan à distance de la Région Normandie" in agenda
    assert "main levée, micros coupés hors temps de parole" in agenda  # the tool manages them
    assert "emargement" not in docs  # remote: the proofs are the attestations


async def test_the_agenda_promises_no_speaking_turns_the_tool_cannot_manage(
    trainer: Person,
) -> None:
    """Explorer C: the agenda said « main levée, micros coupés » for a tool that cannot."""
    docs = await normandie_remote(
        trainer, "jeudi 26 novembre à 14 h", speakers=("non", "Non, continuer", "non")
    )
    agenda = pdf_words(docs["pdf"].content)
    assert "main levée" not in agenda and "micros coupés" not in agenda
    assert "donne la parole à tour de rôle" in agenda


async def test_a_letter_promises_a_weekend_deadline_for_the_friday(trainer: Person) -> None:
    """A Monday's bilan: its 48 h fall on the Saturday; the draft promises the Friday."""
    docs = await normandie_remote(trainer, "lundi 30 novembre à 14 h")
    email = docs["txt"].content.decode()
    assert "au plus tard le vendredi 27 novembre 2026 : le bilan pédagogique" in email
    assert "samedi" not in email


async def test_a_letter_written_after_the_48_hours_promises_today(trainer: Person) -> None:
    """Explorer F: booked within its 48 h, the draft promised the bilan pédagogique for a
    day already past, while the chat told the trainer to send it at once."""
    docs = await normandie_remote(trainer, "demain à 10 h")
    email = docs["txt"].content.decode()
    assert "au plus tard le lundi 23 novembre 2026 : le bilan pédagogique" in email
    assert "dimanche 22 novembre" not in email


async def test_a_letter_written_after_today_s_hour_promises_today_without_it(
    trainer: Person,
) -> None:
    """Explorer AH3: written at 20 h 42, the draft promised the bilan pédagogique « au plus
    tard le samedi 5 décembre 2026 à 14 h 00 », an hour already gone."""
    docs = await normandie_remote(trainer, "mercredi 25 novembre à 9 h")  # 48 h: today 9 h
    email = docs["txt"].content.decode()
    assert "au plus tard le lundi 23 novembre 2026 : le bilan pédagogique" in email
    assert "à 9 h 00 : le bilan pédagogique" not in email


async def test_the_centre_val_de_loire_draft_asks_nothing_of_normandie(trainer: Person) -> None:
    """Item 6: the Centre-Val de Loire's contact gets its own message: the written bilan
    qualitatif (001, 002 §2), no bilan pédagogique at 48 h, no attestations."""
    docs = await schedule(
        trainer,
        (
            "/bilan",
            "Projet professionnel",
            "Programmer le bilan de fin",
            "À distance",
            "jeudi 3 décembre à 9 h 30",
            "oui",
            "2 heures",
            "https://visio.example.org/projet",
            "non",  # no password: the Normandie requirement is not this funder's
            "non",
            "Thomas Fabre",  # no delegates-only rule outside Normandie
            "Terminé",
            "Terminé",
        ),
    )
    email = docs["txt"].content.decode()
    assert email.startswith("Objet : Bilan de fin de formation – Projet professionnel (démo)")
    assert "Bonjour Monsieur," in email
    assert "le bilan qualitatif écrit de la formation" in email
    assert "le bilan de fin de formation, par e-mail, au plus tard le lundi 26 avril 2027" in (
        email
    )
    assert "gestionfp@centrevaldeloire.fr au moment du solde" in email
    assert "- Nadia Roux, pour les stagiaires" in email
    assert "- Thomas Fabre, stagiaire" in email
    for normandie in ("bilan pédagogique", "attestations", "48 h", "Normandie", "émargement"):
        assert normandie not in email, normandie
    agenda = pdf_words(docs["pdf"].content)
    assert "2. Échange avec les stagiaires sur leur parcours" in agenda
    assert "Normandie" not in agenda and "§II" not in agenda
    assert "bilan qualitatif écrit" in agenda
    # The Région's contact as its texts name her, beside the « référents territoriaux » the
    # written bilan goes to (explorer CF10: « personne chargée de mission »).
    assert "M. Paul Girard, personne référente territoriale de la Région" in agenda
    assert "chargée de mission" not in agenda
    assert "Région Normandie" not in "\n".join(TRANSCRIPT)  # nor the NOR-VISIO draft
    calendar = Calendar.from_ical(docs["ics"].content)
    [event] = calendar.events
    assert str(event["LOCATION"]) == "https://visio.example.org/projet"


async def centre_val_de_loire_esp(trainer: Person) -> None:
    """The outside tester's action: ESP, Parcours Métiers, 7 December to 31 January, whose
    bilan d'étape falls by default on Sunday 3 January (mid-way)."""
    for press, answer in (
        (False, "/formation"),
        (False, "Prépa métiers"),
        (True, "Une formation"),
        (True, "Centre-Val de Loire"),
        (True, "Parcours Métiers"),
        (True, "projet professionnel"),
        (True, "Entrées et sorties"),
        (False, "du 7 décembre au 31/01/2027"),
        (True, "Oui"),
        (True, "Non"),  # one session
        (True, "Non"),  # not certifying
        (True, "Longue"),
        (False, "Mme Anne Roy"),
        (False, "anne.roy@example.org"),
        (True, "Plus tard"),
        (True, "Enregistrer"),
    ):
        await (trainer.presses(answer) if press else trainer.says(answer))
    assert "C'est enregistré : Prépa métiers" in trainer.all_text


async def test_the_written_bilan_d_etape_is_promised_consistently_with_the_meeting(
    trainer: Person,
) -> None:
    """Outside test: the draft said "je vous transmettrai ensuite … le bilan d'étape, d'ici le
    dimanche 3 janvier 2027" for a meeting on Monday 4 January.  The written bilan's date is
    the one to agree with the référent(e) (001 note 1, 002 note *); due before the meeting,
    it is proposed for the meeting's day at the latest, and "ensuite" is not written."""
    await centre_val_de_loire_esp(trainer)
    lines = ("/bilan", "Prépa métiers", "Programmer le bilan d'étape", "Sur place")
    docs = await schedule(
        trainer, (*lines, "4/01 10h", "oui", "2 heures", "Salle 3", "Terminé", "Terminé")
    )
    email = docs["txt"].content.decode()
    assert "le bilan d'étape de la formation « Prépa métiers », le lundi 4 janvier 2027" in email
    assert "ensuite" not in email and "dimanche" not in email
    assert "je vous transmettrai le bilan qualitatif écrit de la formation" in email
    assert (
        "- le bilan d'étape, au plus tard le jour de cette rencontre, le lundi 4 janvier 2027 : "
        "la Région demande que nous en arrêtions la date ensemble, dites-moi si celle-ci vous "
        "convient." in email
    )


async def test_a_written_bilan_due_after_the_meeting_is_sent_afterwards(trainer: Person) -> None:
    """The same action, its étape meeting held early: the written bilan, due on the
    mid-way day, comes after it ("ensuite"); the mid-way day is a Sunday after New Year's
    Day, so the letter promises the working day before."""
    await centre_val_de_loire_esp(trainer)
    lines = ("/bilan", "Prépa métiers", "Programmer le bilan d'étape", "Sur place")
    docs = await schedule(
        trainer, (*lines, "15/12 10h", "oui", "2 heures", "Salle 3", "Terminé", "Terminé")
    )
    email = docs["txt"].content.decode()
    assert "je vous transmettrai ensuite le bilan qualitatif écrit de la formation" in email
    assert "- le bilan d'étape, d'ici le jeudi 31 décembre 2026 : la Région demande" in email


def test_a_deadline_s_calendar_uid_is_its_organisation_s_and_the_same_each_export() -> None:
    """Explorer AE4: « deadline-44@formabot » of two organismes a freelance trainer works for
    was one event in her calendar, the second import replacing the first."""
    row = StoredDeadline(id=44)
    first, other = "1/2026-09-01T08:00:00.123456", "1/2026-10-14T16:30:00.654321"
    assert deadline_uid(row, first) == deadline_uid(StoredDeadline(id=44), first)
    assert deadline_uid(row, first) != deadline_uid(row, other)
    assert deadline_uid(row, first) != deadline_uid(StoredDeadline(id=45), first)
    assert deadline_uid(row, first).endswith("@formabot")


def test_a_deadline_s_calendar_category_is_who_sets_it_in_words() -> None:
    assert category_of("NOR-DOCS") == "Région Normandie"
    assert category_of("CVL-EOS") == "Région Centre-Val de Loire"
    assert category_of("REC-CONTRACT") == "Rectorat"
    assert category_of("ELY-LONG") == "Procédure Elycoop de prévention des ruptures"
