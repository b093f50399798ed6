"""Creating and editing a formation by chat, including every kind of bad answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from bot.app import build_engine
from bot.config import Settings
from bot.formations import exports
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.state import ConversationState
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, FOR_TEXT, HTML, Bad, step_of, survives
from tests.auxil.statements import counting

README = Path(__file__).resolve().parent.parent / "README.md"

# The happy path of /formation, step by step: (step name, kind of answer, answer).
HAPPY = [
    ("title", "say", "Agent de restauration"),
    ("kind", "press", "Une formation"),
    ("funder", "press", "Région Normandie"),
    ("mode", "press", "De date à date"),
    ("period", "say", "du 1er décembre 2026 au 15 juin 2027"),
    ("period", "press", "Oui"),
    ("certifying", "press", "Oui"),
    ("length", "press", "Longue"),
    ("cm_name", "say", "Mme Sophie Leroy"),
    ("cm_email", "say", "sophie.leroy@example.org"),
    ("trainees", "say", "Marie Dupont ; Boulangerie Martin\nKarim Benali\nJulie Petit"),
    ("delegates", "press", "Marie Dupont"),
    ("delegates", "press", "Terminé"),
    ("recap", "press", "Enregistrer"),
]
TEXT_STEPS = {
    "title": FOR_NAMES,
    "cm_name": FOR_NAMES,
    "cm_email": (*FOR_TEXT,),
    "trainees": FOR_NAMES,
    "period": FOR_CHOICES,
}


async def answer(who: Person, kind: str, value: str) -> None:
    if kind == "say":
        await who.says(value)
    else:
        await who.presses(value)


async def at_the_trainees(trainer: Person) -> None:
    """/formation answered as :data:`HAPPY` up to its list of trainees."""
    await trainer.says("/formation")
    await trainer.says("Agent de restauration")
    for _step, kind, value in HAPPY[1:10]:
        await answer(trainer, kind, value)


async def cvl_formation(trainer: Person, title: str, action: str) -> None:
    """/formation for the Centre-Val de Loire's Parcours Métiers, ``action`` the action type's
    button, up to the dates of a formation « de date à date »."""
    await trainer.says("/formation")
    await trainer.says(title)
    await trainer.presses("Une formation")
    await trainer.presses("Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    await trainer.presses(action)
    await trainer.presses("De date à date")


async def cvl_sessions_saved(
    trainer: Person, title: str, action: str, period: str, sessions: str
) -> None:
    """:func:`cvl_formation` given ``period`` and its ``sessions``, then saved as it comes
    (not certifying, short, no chargé(e) de mission)."""
    await cvl_formation(trainer, title, action)
    await trainer.says(period)
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says(sessions)
    for label in ("Non", "Courte", "Passer", "Plus tard", "Enregistrer"):
        await trainer.presses(label)


SPRING = "du 1er mars au 30 juin 2027"
TWO_SESSIONS = "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 3 mai au 30 juin 2027"
"""Explorer IC5's example: a Centre-Val de Loire formation in two sessions, spring 2027."""


async def two_sessions_with(
    trainer: Person, title: str, action: str, trainees: str, sessions: str = TWO_SESSIONS
) -> None:
    """:func:`cvl_sessions_saved` over :data:`SPRING` in ``sessions``, then ``trainees`` typed
    at « Ajouter des stagiaires »."""
    await cvl_sessions_saved(trainer, title, action, SPRING, sessions)
    await trainer.says("/formations")
    await trainer.presses(title)
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says(trainees)


async def formations(db: Database) -> list[Formation]:
    async with db.sessions() as session:
        rows = await session.scalars(select(Formation).order_by(Formation.id))
        result = list(rows.all())
        for f in result:
            await session.refresh(f, ["trainees", "sessions"])
        return result


async def test_a_trainer_creates_a_formation_step_by_step(db: Database, trainer: Person) -> None:
    before = len(await formations(db))
    await trainer.says("/formation")
    assert "intitulé" in trainer.last
    for _step, kind, value in HAPPY:
        await answer(trainer, kind, value)
        if value.startswith("du 1er"):
            assert "mardi 1er décembre 2026" in trainer.last
            assert "mardi 15 juin 2027" in trainer.last
    assert "C'est enregistré" in trainer.last
    assert "3 stagiaires" in trainer.last
    saved = (await formations(db))[before:]
    assert len(saved) == 1
    f = saved[0]
    assert (f.title, f.funder, f.mode, f.kind) == (
        "Agent de restauration",
        "normandie",
        "dates",
        "formation",
    )
    assert (f.start_date, f.end_date) == (date(2026, 12, 1), date(2027, 6, 15))
    assert f.certifying and f.long
    assert (f.cm_name, f.cm_email) == ("Mme Sophie Leroy", "sophie.leroy@example.org")
    people = {t.full_name: t for t in f.trainees}
    assert set(people) == {"Marie Dupont", "Karim Benali", "Julie Petit"}
    assert people["Marie Dupont"].company == "Boulangerie Martin"
    assert [t.full_name for t in f.trainees if t.is_delegate] == ["Marie Dupont"]
    assert await step_of(db, trainer) == (None, None)


async def test_a_signed_or_huge_number_at_a_choice_is_said_as_typed(
    db: Database, trainer: Person
) -> None:
    """Explorer GD2: « -1 » at « De quoi s'agit-il ? » was « Il n'y a pas de choix numéro 1 :
    tapez un numéro entre 1 et 3 » (choice 1 exists), twenty nines quoted as twelve."""
    await trainer.says("/formation")
    await trainer.says("Agent de restauration")
    await trainer.says("-1")
    assert trainer.all_text.startswith(
        "« -1 » n'est pas un des choix : choisissez une des réponses proposées, ou tapez son"
        " numéro tel qu'il est affiché (sans signe)."
    )
    await trainer.says("9" * 20)
    assert trainer.all_text.startswith(
        "Il n'y a pas de choix portant ce numéro : tapez un numéro entre 1 et 3."
    )
    await trainer.says("44")
    assert trainer.all_text.startswith("Il n'y a pas de choix numéro 44 : tapez un numéro")
    assert await step_of(db, trainer) == ("formation", "kind")


async def test_a_list_pasted_at_the_chargee_de_mission_s_name_is_no_one_s_name(
    db: Database, trainer: Person
) -> None:
    """Explorer U U3: the trainees' list pasted a question early became the Région's adviser
    « Anne Un Bob Deux Cyril Trois », and the formation had no trainee."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[: HAPPY.index(("cm_name", "say", "Mme Sophie Leroy"))]:
        await answer(trainer, kind, value)
    # Her civility asked for by its example (explorer DC1: « Bonjour Sophie Leroy, »).
    assert "Son nom avec Madame ou Monsieur, par exemple « Mme Sophie Leroy »" in trainer.last
    await trainer.says("Anne Un\nBob Deux\nCyril Trois")
    assert trainer.last.startswith("Vous avez envoyé 3 lignes : ici, j'attends un seul nom")
    assert await step_of(db, trainer) == ("formation", "cm_name")
    await trainer.says("Mme")  # explorer AD5: « Bonjour Mme, » in the message to the Région
    assert trainer.last.startswith("« Mme » seul ne suffit pas : écrivez aussi le nom")
    assert await step_of(db, trainer) == ("formation", "cm_name")
    await trainer.presses("Passer")
    await trainer.says("Anne Un\nBob Deux\nCyril Trois")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    [f] = [f for f in await formations(db) if f.title == "Agent de restauration"]
    assert f.cm_name is None
    assert sorted(t.full_name for t in f.trainees) == ["Anne Un", "Bob Deux", "Cyril Trois"]


async def test_names_pasted_decomposed_are_taken_and_stored_composed(
    db: Database, trainer: Person
) -> None:
    """Explorer AK1: « Marie-Hélène Le Bœuf » pasted from a Mac (« e » and an accent mark)
    was « ne ressemble pas à un nom », though it looked exactly as typed."""
    await at_the_trainees(trainer)
    await trainer.says(unicodedata.normalize("NFD", "Marie-Hélène Le Bœuf\nÉric Noël"))
    assert "ne ressemble pas à un nom" not in trainer.last
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    [f] = [f for f in await formations(db) if f.title == "Agent de restauration"]
    assert sorted(t.full_name for t in f.trainees) == ["Marie-Hélène Le Bœuf", "Éric Noël"]


async def test_invisible_direction_marks_and_joiners_in_names_are_left_out(
    db: Database, trainer: Person
) -> None:
    """Explorer GD4: a right-to-left mark (as a copy from a mail carries) or a joiner inside
    a name gave « « Sophie Leroy » ne ressemble pas à un nom », nothing visible to correct;
    only such marks were quoted as « « ‌‍ » »."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[: HAPPY.index(("cm_name", "say", "Mme Sophie Leroy"))]:
        await answer(trainer, kind, value)
    await trainer.says("Mme Sophie\u200f Leroy\u200e")
    assert await step_of(db, trainer) == ("formation", "cm_email")
    await trainer.says("sophie.leroy@example.org")
    await trainer.says("\u200b\u200c\u200d\u2060\u200f")
    assert trainer.last.startswith("La liste est vide : collez les noms, un par ligne.")
    await trainer.says("Ana\u200f Lopes\nJu\u200dlie Pe\u200ctit\nKarim\u061c Benali")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    [f] = [f for f in await formations(db) if f.title == "Agent de restauration"]
    assert f.cm_name == "Mme Sophie Leroy"
    assert sorted(t.full_name for t in f.trainees) == ["Ana Lopes", "Julie Petit", "Karim Benali"]


async def test_nothing_typed_for_her_e_mail_is_said_received_as_nothing(
    db: Database, trainer: Person
) -> None:
    """Coverage BC's rough edge: a blank message where the chargée de mission's e-mail is
    asked got « Je n'ai pas reconnu une adresse », as if something had been typed."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[: HAPPY.index(("cm_email", "say", "sophie.leroy@example.org"))]:
        await answer(trainer, kind, value)
    assert await step_of(db, trainer) == ("formation", "cm_email")
    await trainer.says("   ")
    assert trainer.last.startswith("Je n'ai rien reçu : écrivez votre réponse"), trainer.last
    assert await step_of(db, trainer) == ("formation", "cm_email")


async def test_fancy_letters_are_read_plain_and_letters_no_document_prints_refused(
    db: Database, trainer: Person
) -> None:
    """Explorer AK4: « 𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱 » and « 王伟 Li » were taken, and the compte rendu and
    the sworn attestation printed « ? ? » for the person they are about."""
    await at_the_trainees(trainer)
    await trainer.says("王伟 Li\nAnne Roc")
    assert (
        "Ligne 1 : « 王伟 Li » contient des lettres que les documents (attestations, comptes "
        "rendus, listes) ne peuvent pas imprimer (王伟) : écrivez ce nom en lettres latines"
        in trainer.last
    )
    await trainer.says("𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱\nWang Wei\nÉlise Ωmega")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    [f] = [f for f in await formations(db) if f.title == "Agent de restauration"]
    assert sorted(t.full_name for t in f.trainees) == ["Marie Dupont", "Wang Wei", "Élise Ωmega"]


async def test_dates_corrected_after_a_no_are_taken_as_the_new_dates(
    db: Database, trainer: Person
) -> None:
    """Explorer U U1: « non, du 14/12 au 30/04 » was refused though the bot says « ou donnez
    directement d'autres dates »."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[: HAPPY.index(("period", "press", "Oui"))]:
        await answer(trainer, kind, value)
    await trainer.says("non, du 14/12/2026 au 30/04/2027")
    assert trainer.last.startswith(
        "J'ai compris : du lundi 14 décembre 2026 au vendredi 30 avril 2027."
    )
    await trainer.says("non en fait du 4/01/2027 au 30/04/2027")
    assert "du lundi 4 janvier 2027 au vendredi 30 avril 2027" in trainer.last
    await trainer.says("non")  # alone: the dates asked again
    assert await step_of(db, trainer) == ("formation", "period")
    assert "J'ai compris" not in trainer.last


async def test_the_same_dialogue_sent_again_makes_no_twin(db: Database, trainer: Person) -> None:
    """A paste replayed, or the whole dialogue re-sent after a crash: the same title, funder,
    dates and trainees are the formation already saved; another group (other trainees) is
    a formation of its own."""
    before = len(await formations(db))
    for _ in range(2):
        await trainer.says("/formation")
        for _step, kind, value in HAPPY:
            await answer(trainer, kind, value)
    assert trainer.last.startswith(
        "Cette formation est déjà enregistrée : Agent de restauration, du mardi 1er décembre "
        "2026 au mardi 15 juin 2027, avec les mêmes stagiaires."
    )
    assert len(await formations(db)) == before + 1
    await trainer.says("/formation")
    for _step, kind, value in HAPPY:
        if _step == "trainees":
            value = "Nora Ali\nHugo Moreau"
        if _step == "delegates" and value != "Terminé":
            value = "Nora Ali"
        await answer(trainer, kind, value)
    assert "C'est enregistré" in trainer.last
    assert len(await formations(db)) == before + 2


async def test_the_saving_turn_issues_no_more_statements_than_the_readme_says(
    db: Database, trainer: Person
) -> None:
    """Issue 14: « Enregistrer » looks for a twin (one query), writes the formation, its
    trainees and the audit entry in one INSERT each and reads only the organisation's
    settings for the rules, around the engine's own three statements (this formation owes
    nothing before its first bilan)."""
    figure = re.search(
        r"saving turn of `/formation`\s+issues\s+\*\*(\d+) SQL statements\*\*",
        README.read_text("utf-8"),
    )
    assert figure is not None, "the README states how many statements the saving turn issues"
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, value)
    with counting(db) as sent:
        await trainer.presses("Enregistrer")
    assert "C'est enregistré" in trainer.last
    statements = [s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert len(statements) <= int(figure.group(1)), statements
    assert [" ".join(s.split()[:3]) for s in statements if s.startswith("INSERT")] == [
        "INSERT INTO formations",
        "INSERT INTO trainees",
        "INSERT INTO audit_log",
        "INSERT INTO processed_events",
    ]


async def test_the_saving_turn_s_reads_go_straight_to_the_driver(
    db: Database, trainer: Person
) -> None:
    """ZP: on a SQLite file the look for a twin and the organisation's rules are read by the
    driver (:meth:`bot.storage.turn_rows.TurnRows.every`, no SQLAlchemy execution context:
    a tenth of the saving turn); what is saved is unchanged (the tests above)."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, value)
    reads: list[tuple[str, bool]] = []

    def seen(
        _conn: object, _cursor: object, sql: str, _params: object, context: object, *_: object
    ) -> None:
        if sql.lstrip().startswith("SELECT"):
            reads.append((" ".join(sql.split())[:60], context is None))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        await trainer.presses("Enregistrer")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert "C'est enregistré" in trainer.last
    assert len(reads) == 3, reads  # the engine's LOAD, the twin, the rules
    assert all(direct for _, direct in reads), reads


async def test_the_saving_turn_opens_no_orm_session(db: Database, trainer: Person) -> None:
    """BA: on a SQLite file « Enregistrer » writes the formation, its trainees and the audit
    entry through the turn's rows, every statement straight to the driver, and commits with
    the driver: no ORM session, no SQLAlchemy connection (no ``begin``/``commit`` event;
    opening, flushing and committing one was a sixth of the turn).  The stored rows are
    those of the tests above."""
    before = len(await formations(db))
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, value)
    through: list[bool] = []

    def seen(
        _conn: object, _cursor: object, _sql: str, _params: object, context: object, *_: object
    ) -> None:
        through.append(context is None)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with counting(db) as sent:
            await trainer.presses("Enregistrer")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert "C'est enregistré" in trainer.last
    assert "BEGIN" not in sent and "COMMIT" not in sent, sent
    assert len(through) == 8 and all(through), sent
    assert [len(f.trainees) for f in (await formations(db))[before:]] == [3]


async def test_every_step_survives_bad_input_and_nothing_is_lost(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await trainer.says("/formation")
    seen_confirm = False
    for step, kind, value in HAPPY:
        if step == "period" and kind == "press":
            seen_confirm = True
        bads = (
            TEXT_STEPS.get(step, FOR_CHOICES)
            if not seen_confirm or step != "period"
            else FOR_CHOICES
        )
        await survives(db, trainer, bads)
        assert len(await formations(db)) == before, f"something saved at {step}"
        await answer(trainer, kind, value)
    saved = (await formations(db))[before:]
    assert len(saved) == 1
    assert saved[0].title == "Agent de restauration"
    assert len(saved[0].trainees) == 3


async def test_a_title_of_digits_or_a_date_only_is_refused(db: Database, trainer: Person) -> None:
    """Explorer UC2: « 12345 » or « 31/02 » was taken as the title, though the refusal of
    « 😀🎉🔥 » says « avec des lettres »: a letter is now required, as said."""
    await trainer.says("/formation")
    for typed in ("12345", "2026", "31/02", "01/12/2026", "42 !"):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Un intitulé d'au moins trois caractères, avec des lettres"
        ), typed
        assert await step_of(db, trainer) == ("formation", "title")
    await trainer.says("CAP 2")
    assert await step_of(db, trainer) != ("formation", "title")


async def test_markup_typed_by_the_user_is_refused_or_shown_escaped(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formation")
    # Printed on every document (explorer O), a formula too (explorer DF8).
    for typed in (HTML, "Cuisine 🍳 niveau 2", '=HYPERLINK("http://x";"Cuisine")', "+1 Cuisine"):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "L'intitulé est imprimé sur les attestations et les documents envoyés au financeur : "
            "écrivez-le sans balises (« < > ») ni émoticônes, et sans « = », « + » ou « @ » au "
            "début."
        ), typed
        assert await step_of(db, trainer) == ("formation", "title")
    await trainer.says("Cuisine & service n° 2")  # a sign, no picture (explorer P: « ° »)
    for _step, kind, value in HAPPY[1:10]:
        await answer(trainer, kind, value)
    await trainer.says("Zoé <i>Durand</i> & fils")  # markup is no trainee's name (explorer A)
    assert "ne ressemble pas à un nom" in trainer.last
    await trainer.says("Karim Benali, Léa Martin, 😀")
    assert "plusieurs noms sur la même ligne" in trainer.last or "pas à un nom" in trainer.last
    await trainer.says("Karim Benali, Léa Martin")
    assert "plusieurs noms sur la même ligne" in trainer.last
    await trainer.says("DUPONT, Zoé ; <i>Durand</i> & fils")  # markup in a company: refused
    assert "contient des signes de mise en forme" in trainer.last  # (explorer L)
    await trainer.says("DUPONT, Zoé ; Durand & fils")  # a surname, a comma: one name
    await trainer.presses("Terminé")
    recap = trainer.replies[-1].text
    assert "Cuisine &amp; service n° 2" in recap and "Cuisine & service" not in recap
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[-1]
    assert saved.title == "Cuisine & service n° 2"
    assert saved.trainees[0].full_name == "DUPONT, Zoé"
    assert saved.trainees[0].company == "Durand & fils"


async def test_dates_are_checked_and_can_be_corrected(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:4]:
        await answer(trainer, kind, value)
    await trainer.says("du 15 juin 2027 au 1er mars 2027")
    assert "fin est avant" in trainer.last
    await trainer.says("dès que possible")
    assert "pas compris" in trainer.last
    await trainer.says("du 2 mars au 15 juin 2027")
    assert "mardi 2 mars 2027" in trainer.last
    await trainer.presses("Non, corriger")
    assert "Redonnez les dates" in trainer.last
    await trainer.says("du 3 mars au 16 juin 2027")
    await trainer.presses("Oui")
    assert await step_of(db, trainer) == ("formation", "certifying")


async def test_trainee_lists_are_checked(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:10]:
        await answer(trainer, kind, value)
    await trainer.says("Marie Dupont\nKarim Benali\nmarie DUPONT")
    assert "apparaît deux fois" in trainer.last
    await trainer.says("\n\n")
    assert "vide" in trainer.last or "rien reçu" in trainer.last.lower()
    await trainer.says("\n".join(f"Stagiaire {i}" for i in range(250)))
    assert "250 noms : c'est plus que les 200 que j'accepte en un message" in trainer.last
    assert "en plusieurs fois" in trainer.last and "cette ligne" not in trainer.last  # (M)
    await trainer.says("Marie Dupont\n1234")
    assert "ne ressemble pas à un nom" in trainer.last
    await trainer.says("Marie Dupont\nGaston ; Boulangerie Martin\nMme Martin\nJean .")
    for number, alone in ((2, "Gaston"), (3, "Mme Martin"), (4, "Jean .")):  # explorers L, M
        assert (
            f"Ligne {number} : « {alone} » seul ne suffit pas : écrivez le prénom" in trainer.last
        )
    await trainer.says("Marie Dupont\n<b>Hacker</b>\n=HYPERLINK(x)\nGaston\nmarie DUPONT")
    said = trainer.last  # every wrong line at once, in order (explorer L)
    for wrong in (
        "Ligne 2 : « <b>Hacker</b> » ne ressemble pas à un nom",
        "Ligne 3 : « =HYPERLINK(x) » ne ressemble pas à un nom",
        "Ligne 4 : « Gaston » seul ne suffit pas",
        "« Marie Dupont » apparaît deux fois (lignes 1 et 5) : retirez le doublon.",
        "Je n'ai rien gardé de cette liste : renvoyez-la en entier, ces lignes corrigées.",
    ):
        assert wrong in said, wrong
    await trainer.says("Jean Dupont\nAnne Roc\nJEAN DUPONT\njean  dupont")  # thrice: one line
    assert (
        "« Jean Dupont » apparaît trois fois (lignes 1, 3 et 4) : retirez les doublons."
        in trainer.last
    )
    assert trainer.last.count("apparaît") == 1
    await trainer.says("\n".join(f"Nom{i}" for i in range(12)))
    assert "Ligne 10 : « Nom9 »" in trainer.last and "Ligne 11" not in trainer.last
    assert "… et 2 autres lignes à corriger." in trainer.last
    assert await step_of(db, trainer) == ("formation", "trainees")
    await trainer.presses("Plus tard")
    assert "Récapitulatif" in trainer.last
    await trainer.presses("Enregistrer")
    assert (await formations(db))[-1].trainees == []


async def test_the_trainee_list_s_example_is_accepted_and_a_wrong_line_says_to_resend(
    db: Database, trainer: Person
) -> None:
    """Outside test: the example « entrée le 30 novembre » was refused for a formation
    starting on 1 December, and a list refused for one line kept nothing, silently."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:10]:
        await answer(trainer, kind, value)
    assert "Karim Benali ; entrée le 8 décembre" in trainer.last  # a week after the start
    await trainer.says("Marie Dupont\nLéa Martin ; entrée le 30 novembre\nKarim Benali")
    assert trainer.last.startswith("Ligne 2 : l'entrée le lundi 30 novembre 2026 tombe hors")
    assert "Je n'ai rien gardé de cette liste : renvoyez-la en entier" in trainer.last
    await trainer.says("Marie Dupont\nLéa Martin ; entrée le 8 décembre\nKarim Benali")
    assert await step_of(db, trainer) == ("formation", "delegates")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[-1]
    entries = {t.full_name: t.entered_on for t in saved.trainees}
    assert entries["Léa Martin"] == date(2026, 12, 8)
    assert entries["Marie Dupont"] == date(2026, 12, 1)


async def test_passer_typed_where_the_button_says_plus_tard_skips(
    db: Database, trainer: Person
) -> None:
    """« Passer » typed at the trainee list became a trainee called Passer."""
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:10]:
        await answer(trainer, kind, value)
    await trainer.says("Passer")
    assert "Récapitulatif" in trainer.last
    await trainer.presses("Enregistrer")
    assert (await formations(db))[-1].trainees == []


async def test_centre_val_de_loire_asks_programme_action_type_and_sessions(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formation")
    await trainer.says("Premiers gestes cuisine")
    await trainer.presses("Une formation")
    await trainer.presses("Centre-Val de Loire")
    assert "programme" in trainer.last
    await trainer.presses("Parcours Métiers")
    await trainer.presses("premiers gestes")
    await trainer.presses("De date à date")
    await trainer.says("du 1er mars au 30 juin 2027")
    await trainer.presses("Oui")
    assert "plusieurs sessions" in trainer.last
    await trainer.presses("Oui")
    await trainer.says(
        "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 2 mai au 30 juillet 2027"
    )
    assert "sort des dates" in trainer.last
    await trainer.says("Session 1 : du 1er au 31 mars 2027\nSession 2 : du 2 mai au 30 juin 2027")
    await trainer.presses("Non")  # not certifying
    await trainer.presses("Courte")
    await trainer.presses("Passer")
    await trainer.presses("Plus tard")
    recap = trainer.last  # what was asked is shown before saving (explorer U, U15)
    assert "Financeur : Région Centre-Val de Loire – Parcours Métiers" in recap
    assert "Type d'action : Acquisition des premiers gestes professionnels" in recap
    await trainer.presses("Enregistrer")
    f = (await formations(db))[-1]
    assert (f.funder, f.programme, f.action_type) == ("cvl", "parcours_metiers", "premiers_gestes")
    assert [(s.label, s.start_date, s.end_date) for s in f.sessions] == [
        ("Session 1", date(2027, 3, 1), date(2027, 3, 31)),
        ("Session 2", date(2027, 5, 2), date(2027, 6, 30)),
    ]
    assert f.cm_name is None


async def test_abandoning_at_the_recap_saves_nothing(db: Database, trainer: Person) -> None:
    before = len(await formations(db))
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, value)
    await trainer.presses("Abandonner")
    assert "je n'enregistre rien" in trainer.last
    assert len(await formations(db)) == before


async def test_cancel_in_the_middle_saves_nothing(db: Database, trainer: Person) -> None:
    before = len(await formations(db))
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:8]:
        await answer(trainer, kind, value)
    await trainer.says("/annuler")
    assert "annulé" in trainer.last
    assert len(await formations(db)) == before
    assert await step_of(db, trainer) == (None, None)


async def test_list_open_and_edit_a_formation(db: Database, trainer: Person) -> None:
    await trainer.says("/formations")
    assert "Agent de restauration (démo)" in " ".join(trainer.buttons)
    await trainer.presses("Agent de restauration")
    await trainer.presses("Voir le détail")
    assert (
        "Léa Martin" in trainer.all_text
        and "Léa Martin (Brasserie du Port) – représente les stagiaires" in trainer.all_text
    )

    await trainer.presses("Modifier les dates")
    await trainer.says("du 1er octobre 2026 au 20 février 2027")
    await trainer.presses("Oui")
    assert "Nouvelles dates" in trainer.all_text
    # Each change comes back to the menu of the same formation.
    assert trainer.last == "Que voulez-vous faire d'« Agent de restauration (démo) » ?"

    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("léa martin")  # already there, alone: nothing to add
    assert "« Léa Martin » est déjà dans la formation : rien à ajouter." in trainer.last
    assert "se change avec" not in trainer.last
    await trainer.says("Léa Martin ; Garage du Port")  # a company for her: not taken, said
    assert "se change avec /formations → « Entrées et sorties" in trainer.last
    # A name already there is left out and said, the rest added (as a file's import does).
    await trainer.says("léa martin\nPaul Henry")
    assert (
        "« Léa Martin » est déjà dans la formation : je ne l'ajoute pas une seconde fois."
        in trainer.all_text
    )
    assert "1 stagiaire ajouté" in trainer.all_text
    assert "Que voulez-vous faire" in trainer.last

    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Karim Benali")
    await trainer.presses("Oui, retirer")
    assert "C'est fait : Karim Benali ne figure plus dans la formation." in trainer.all_text

    await trainer.presses("Choisir les délégués")
    await trainer.presses("Léa Martin")  # untick
    await trainer.presses("Paul Henry")  # tick
    await trainer.presses("Terminé")
    assert "Hugo Moreau" in trainer.all_text and "Paul Henry" in trainer.all_text
    assert "Léa Martin ne représente plus les stagiaires." in trainer.all_text  # (explorer O)
    await trainer.presses("Choisir les délégués")
    await trainer.says("Pas de délégués")  # none, saved at once
    assert (
        "Paul Henry et Hugo Moreau ne représentent plus les stagiaires. Personne ne les "
        "représente pour l'instant." in trainer.all_text
    )
    await trainer.presses("Choisir les délégués")  # back as they were
    await trainer.says("Hugo, Paul")
    await trainer.presses("Terminé")
    assert re.search(r"Pour représenter les stagiaires : \w+ \w+ et \w+ \w+\.", trainer.all_text)
    await trainer.presses("Terminé")
    assert "À tout moment : /formations" in trainer.last
    assert await step_of(db, trainer) == (None, None)

    f = next(f for f in await formations(db) if f.title.startswith("Agent"))
    assert (f.start_date, f.end_date) == (date(2026, 10, 1), date(2027, 2, 20))
    names = {t.full_name: t.is_delegate for t in f.trainees}
    assert names == {
        "Léa Martin": False,
        "Julie Petit": False,
        "Hugo Moreau": True,
        "Paul Henry": True,
    }


async def test_a_formateur_cannot_open_another_organisations_formation(
    db: Database, trainer: Person, person: object
) -> None:
    async with db.sessions() as session:
        other_id = await session.scalar(select(func.max(Formation.id)))
    await trainer.says("/formations")
    forged = f"{trainer.replies[-1].choices[0].data.split('|')[0]}|{(other_id or 0) + 100}"
    await trainer.presses_data(forged)
    assert "pas (ou plus) proposé" in trainer.last
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Trainee.id))) == 7


async def test_every_editing_step_survives_bad_input(db: Database, trainer: Person) -> None:
    async def open_formation() -> None:
        await trainer.says("/formations")
        await survives(db, trainer, FOR_CHOICES)
        await trainer.presses("Agent de restauration")
        await survives(db, trainer, FOR_CHOICES)

    await open_formation()
    await trainer.presses("Modifier les dates")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("du 1er octobre 2026 au 20 février 2027")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui")

    await open_formation()
    await trainer.presses("Ajouter des stagiaires")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Paul Henry")

    await open_formation()
    await trainer.presses("Retirer un stagiaire")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Karim Benali")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non, garder")

    await open_formation()
    await trainer.presses("Choisir les délégués")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Terminé")

    f = next(f for f in await formations(db) if f.title.startswith("Agent"))
    assert (f.start_date, f.end_date) == (date(2026, 10, 1), date(2027, 2, 20))
    assert {t.full_name for t in f.trainees} == {
        "Léa Martin",
        "Karim Benali",
        "Julie Petit",
        "Hugo Moreau",
        "Paul Henry",
    }
    assert {t.full_name for t in f.trainees if t.is_delegate} == {"Léa Martin", "Hugo Moreau"}


async def test_on_matrix_the_charge_de_mission_s_matrix_id_is_asked_and_kept(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    before = len(await formations(db))
    await trainer.says("/formation")
    for step, kind, value in HAPPY:
        await answer(trainer, kind, value)
        if step == "cm_email":
            assert "identifiant Tchap ou Matrix" in trainer.last
            await survives(db, trainer, FOR_TEXT)
            await trainer.says("sophie.leroy@example.org")
            assert "Je n'ai pas reconnu un identifiant Matrix" in trainer.last
            await trainer.says("@sophie.leroy-normandie.fr:agent.tchap.gouv.fr")
    assert "C'est enregistré" in trainer.last
    [saved] = (await formations(db))[before:]
    assert saved.cm_matrix == "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"


async def test_the_charge_de_mission_s_matrix_id_typed_with_capitals_is_kept_lower_case(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer JB4: « @Sophie.Leroy:Agent.Tchap.Gouv.fr » was accepted as a partner's
    contact (JA12) but refused here; one reading of a typed Matrix ID everywhere."""
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    before = len(await formations(db))
    await trainer.says("/formation")
    for step, kind, value in HAPPY:
        await answer(trainer, kind, value)
        if step == "cm_email":
            await trainer.says("@Sophie.Leroy-Normandie.fr:Agent.Tchap.Gouv.fr")
    assert "C'est enregistré" in trainer.last
    [saved] = (await formations(db))[before:]
    assert saved.cm_matrix == "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"


# --- issue 11: composantes (13), dates in context (19), single-person formats (22) ----------


async def stored_deadlines(db: Database, formation_id: int) -> dict[str, date]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
        )
        return {r.key: r.due_on for r in rows}


async def test_year_less_dates_are_read_in_context_and_a_saturday_end_is_questioned_once(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """As reported on 1 December: "du 5 octobre au 27 novembre" was pushed to next year."""
    clock.advance(days=8)  # Tuesday 1 December 2026
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:4]:
        await answer(trainer, kind, value)
    await trainer.says("du 5 octobre au 27 novembre")
    assert trainer.last == (
        "J'ai compris : du lundi 5 octobre 2026 au vendredi 27 novembre 2026. C'est bien ça ?"
    )
    assert "samedi" not in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("du 5 octobre au 28 novembre")
    assert trainer.last == (
        "J'ai compris : du lundi 5 octobre 2026 au samedi 28 novembre 2026. "
        "Attention, elle finirait un samedi. C'est bien ça ?"
    )
    await trainer.presses("Oui")  # once is enough
    assert await step_of(db, trainer) == ("formation", "certifying")
    for _step, kind, value in HAPPY[6:]:
        await answer(trainer, kind, value)
    f = (await formations(db))[-1]
    assert (f.start_date, f.end_date) == (date(2026, 10, 5), date(2026, 11, 28))


async def test_a_trade_composante_in_several_sessions_stays_one_composante(
    db: Database, trainer: Person, clock: Clock
) -> None:
    clock.advance(days=8)  # Tuesday 1 December 2026
    await cvl_formation(trainer, "Cuisinier", "Se former au(x) métier(s)")
    await trainer.says("du 1er septembre au 30 juin")
    assert "mardi 1er septembre 2026" in trainer.last and "mercredi 30 juin 2027" in trainer.last
    await trainer.presses("Oui")
    await trainer.presses("Oui")  # several sessions
    assert "Composante Cuisine" in trainer.last  # the example shows how to group them
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Composante Cuisine\nComposante Service\nSession 1 : du 4 mai au 12 juin")
    assert "La composante « Cuisine » n'a aucune session" in trainer.last
    await trainer.says("Cuisine du 2 mars au 10 avril\nSession 2 : du 4 mai au 12 juin")
    assert "Ligne 1 : Je n'ai pas compris ces dates" in trainer.last  # not a composante
    await trainer.says(
        "Composante Cuisine\n"
        "Session 1 : du 7 septembre au 16 octobre\n"
        "Session 2 : du 2 mars au 10 avril\n"
        "Service en salle :\n"
        "Session 3 : du 4 mai au 12 juin"
    )
    for label in ("Non", "Longue"):
        await trainer.presses(label)
    await trainer.presses("Passer")
    await trainer.presses("Plus tard")
    assert "Session 2 (composante « Cuisine ») : du mardi 2 mars 2027" in trainer.last
    await trainer.presses("Enregistrer")
    f = (await formations(db))[-1]
    assert [(s.label, s.composante, s.start_date) for s in f.sessions] == [
        ("Session 1", "Cuisine", date(2026, 9, 7)),
        ("Session 2", "Cuisine", date(2027, 3, 2)),
        ("Session 3", "Service en salle", date(2027, 5, 4)),
    ]
    keys = set(await stored_deadlines(db, f.id))
    assert {k for k in keys if k.startswith("CVL-BQ")} == {
        f"CVL-BQ-MID:formation:{f.id}:composante:cuisine",
        f"CVL-BQ-END:formation:{f.id}:composante:cuisine",
        f"CVL-BQ-END:formation:{f.id}:composante:service-en-salle",
    }


async def test_every_cvl_action_type_may_have_sessions(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    await trainer.says("Élaborer son projet")
    await trainer.presses("Une formation")
    await trainer.presses("Centre-Val de Loire")
    await trainer.presses("Visa")
    # No action type for a Visa: they are the Parcours Métiers' (002), explorer F.
    assert "type d'action" not in trainer.last
    await trainer.presses("De date à date")
    await trainer.says("du 1er mars au 30 juin 2027")
    await trainer.presses("Oui")
    assert "plusieurs sessions" in trainer.last
    await trainer.presses("Oui")
    await trainer.says("Session 1 : du 1er au 31 mars\nSession 2 : du 3 mai au 30 juin")
    for label in ("Non", "Courte", "Passer", "Plus tard", "Enregistrer"):
        await trainer.presses(label)
    f = (await formations(db))[-1]
    assert [(s.start_date, s.composante) for s in f.sessions] == [
        (date(2027, 3, 1), None),
        (date(2027, 5, 3), None),
    ]
    # A bilan de fin per session de date à date (001).
    assert len([k for k in await stored_deadlines(db, f.id) if k.startswith("CVL-BQ-END")]) == 2


async def test_a_bilan_de_competences_is_not_asked_group_questions(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formation")
    await trainer.says("Bilan de compétences Mme Roux")
    await trainer.presses("Un bilan de compétences")
    assert trainer.last.startswith("Qui le finance ?")  # explorer AD20: not « la »
    await trainer.presses("Autre financeur")
    assert trainer.last.startswith("Quel financeur ?")  # explorer AD27
    await trainer.presses("Passer")
    # No "Comment le groupe est-il organisé ?", and a bilan's dates, not « de la formation ».
    assert trainer.last.startswith("Quelles sont les dates du bilan de compétences ?")
    await trainer.says("du 4 janvier au 26 février 2027")
    await trainer.presses("Oui")
    assert "la personne accompagnée" in trainer.last
    await trainer.says("Nadia Roux\nKarim Benali")
    assert "une seule personne" in trainer.last
    await trainer.says("Nadia Roux")
    assert "Récapitulatif" in trainer.last  # no delegates to choose
    assert "groupe" not in trainer.all_text.split("Bilan de compétences Mme Roux")[-1]
    await trainer.presses("Enregistrer")
    assert ", pour Nadia Roux." in trainer.last and "stagiaire" not in trainer.last  # AA9
    assert "Vous le retrouvez avec /formations." in trainer.last
    f = (await formations(db))[-1]
    assert (f.kind, f.mode) == ("bilan_competences", "dates")
    assert [(t.full_name, t.is_delegate) for t in f.trainees] == [("Nadia Roux", False)]
    await trainer.says("/formations")
    await trainer.presses("Bilan de compétences")
    assert "Choisir les délégués" not in trainer.buttons
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Karim Benali")
    assert "une seule personne" in trainer.last


async def test_a_huge_answer_is_told_its_length_and_the_limit(trainer: Person) -> None:
    await trainer.says("/formation")
    await trainer.says("x" * 10_000)
    assert trainer.last.startswith(
        "Votre message est trop long (10\u202f000 caractères, pour 4\u202f000 au plus)."
    )
    assert "intitulé" in trainer.last  # the question again


async def test_an_e_mail_in_the_pasted_list_is_the_trainee_s_e_mail(
    db: Database, trainer: Person
) -> None:
    """Explorer E: « Alice Bleu ; alice@example.org » was stored as Alice's company."""
    await at_the_trainees(trainer)
    await trainer.says(
        "Alice Bleu ; Alice@Example.org\nBob Vert ; Garage Vert ; bob@example.org\nZoé Blanc"
    )
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: (t.company, t.email) for t in (await formations(db))[-1].trainees}
    assert people == {
        "Alice Bleu": (None, "alice@example.org"),
        "Bob Vert": ("Garage Vert", "bob@example.org"),
        "Zoé Blanc": (None, None),
    }


async def test_a_phone_in_the_pasted_list_is_kept_and_anything_else_refused(
    db: Database, trainer: Person
) -> None:
    """Explorer U U2: a third « ; » field, a phone or free text, was dropped without a word."""
    await at_the_trainees(trainer)
    await trainer.says("Paul Henry ; Garage Vert ; 06 12 34 56 78\nAli Baba ; SARL X ; truc machin")
    assert (
        "Ligne 2 : je ne sais pas où mettre « truc machin ». Après le nom, mettez l'entreprise, "
        "l'e-mail, le téléphone ou « entrée le … »" in trainer.all_text
    )
    assert await step_of(db, trainer) == ("formation", "trainees")
    await trainer.says("Paul Henry ; 06.12.34.56.78 ; Garage Vert\nAli Baba ; SARL X")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: (t.company, t.phone) for t in (await formations(db))[-1].trainees}
    assert people == {"Paul Henry": ("Garage Vert", "06.12.34.56.78"), "Ali Baba": ("SARL X", None)}


async def test_a_bare_day_in_the_pasted_list_is_the_entry_day_never_the_company(
    db: Database, trainer: Person
) -> None:
    """Explorer Z Z1: « Karim Benali ; ; 2 nov » stored « 2 nov » as his company, printed on the
    follow-up documents; « ; Boulangerie ; 02/11 » refused the whole list."""
    await at_the_trainees(trainer)
    await trainer.says(
        "Karim Benali ; ; 8 déc\nLéa Martin ; Boulangerie du Port ; 02/01\n"
        "Zoé Petit ; Hôtel du 14 juillet"
    )
    assert "Karim Benali (8 déc)" not in trainer.all_text
    # 2 January 2027 is a Saturday: asked, as every entry on a day off (explorer UB1).
    assert trainer.last.startswith("Attention, Léa Martin entrerait le 2 janvier 2027, un samedi.")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: (t.company, t.entered_on) for t in (await formations(db))[-1].trainees}
    assert people == {
        "Karim Benali": (None, date(2026, 12, 8)),
        "Léa Martin": ("Boulangerie du Port", date(2027, 1, 2)),
        "Zoé Petit": ("Hôtel du 14 juillet", date(2026, 12, 1)),
    }


async def test_a_bare_day_outside_the_formation_is_refused_as_an_entry(trainer: Person) -> None:
    """The day read as an entry is checked as « entrée le … » is."""
    await at_the_trainees(trainer)
    await trainer.says("Karim Benali ; Garage Vert ; 30/11")
    assert trainer.last.startswith("L'entrée le lundi 30 novembre 2026 tombe hors")


async def test_an_exit_in_the_pasted_list_is_not_taken_for_a_company(trainer: Person) -> None:
    """Explorer B: « Jean Petit ; sortie le 15 janvier 2027 » was stored as his company."""
    await at_the_trainees(trainer)
    await trainer.says("Jean Petit ; sortie le 15 janvier 2027")
    assert trainer.last.startswith("Une sortie ne se note pas dans la liste")
    # Said alike when creating and when adding (explorer N: « une fois la formation
    # enregistrée » was said of a formation saved long ago).
    assert "elle se note ensuite avec /formations → « Entrées et sorties" in trainer.last
    await trainer.says("Jean Petit ; <i>SARL</i> Sud")  # markup: printed as is (explorer L)
    assert trainer.last.startswith(
        "L'entreprise « <i>SARL</i> Sud » contient des signes de mise en forme"
    )
    await trainer.says("Jean Petit ; Boulangerie Sortie Sud")  # a company that says « sortie »
    assert "une sortie ne se note pas" not in trainer.last


async def test_a_list_the_chat_cut_in_several_messages_is_taken_whole(
    db: Database, trainer: Person
) -> None:
    """Explorer H H12: Telegram cuts a message over 4,096 characters; the parts after the
    first arrived at the delegates question, were read as names to tick, and dropped."""
    firsts = [
        "Anne",
        "Bruno",
        "Chloé",
        "Denis",
        "Emma",
        "Fanny",
        "Gilles",
        "Hugo",
        "Inès",
        "Jade",
        "Karim",
        "Léa",
        "Marc",
        "Nora",
    ]
    lasts = [
        f"{a}{b}"
        for a in ("Bar", "Cor", "Dum", "Fab", "Gar")
        for b in ["ainé", "elle", "ier", "on"]
    ]
    names = [f"{f} {last}" for f in [*firsts, "Oscar"] for last in lasts]
    parts = [names[:138], names[138:277], names[277:]]
    await at_the_trainees(trainer)
    await trainer.says("\n".join(f"{n} ; Entreprise {i}" for i, n in enumerate(parts[0])))
    assert "Qui sont les délégués des stagiaires" in trainer.last
    await trainer.says("\n".join(parts[1]))
    assert "J'ajoute la suite de votre liste : 139 stagiaires de plus, 277 en tout." in (
        trainer.all_text
    )
    await trainer.says("\n".join([parts[0][0], *parts[2]]))  # a name already there: said
    said = trainer.all_text
    assert "23 stagiaires de plus, 300 en tout." in said
    # No agreement with the name (explorer AI17).
    assert f"« {names[0]} » est déjà dans la liste : je ne l'ajoute pas une seconde fois." in said
    await trainer.says("Zoé Vert ; Garage\nBad<b>")  # a wrong line: this part is refused
    assert "la première partie est gardée" in trainer.all_text
    await trainer.says(f"{names[0]}\n{names[1]}")  # names of the list, one per line: ticks
    assert "2 cochés sur 300" in trainer.last
    await trainer.says("1, 2")  # ticks still read as ticks (unticked, then ticked again)
    await trainer.says("1, 2")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[-1]
    assert sorted(t.full_name for t in saved.trainees) == sorted(names)
    assert sum(t.is_delegate for t in saved.trainees) == 2


async def test_visa_plus_typed_is_visa_plus_not_visa(db: Database, trainer: Person) -> None:
    """Explorer AD18: « Visa+ » folded to « visa », the whole label of the other programme:
    the formation was saved under « Visa » without a word."""
    for typed in ("Visa+", "VISA +", "visa plus", "Visa"):
        for line in ("/annuler", "/formation", "Cuisine collective", "1", "2"):
            await trainer.says(line)
        assert "Visa+ Parcours vers l'Emploi" in trainer.buttons
        await trainer.says(typed)
        async with db.sessions() as session:
            state = await session.scalar(
                select(ConversationState).where(ConversationState.user_id == trainer.name)
            )
        assert state is not None
        picked = {v for v in state.data.values() if v in ("visa", "visa_plus")}
        assert picked == ({"visa"} if typed == "Visa" else {"visa_plus"}), typed


async def test_a_line_the_chat_cut_in_two_is_read_whole(db: Database, trainer: Person) -> None:
    """Explorer AC14: a client cuts a long message at its last blank before 4,096
    characters, which may be inside a line: « Bruno Petit ; Entreprise » ended the first
    part, « Petit » began the next, refused as a name alone; his company was saved cut."""
    firsts = ["Anne", "Bruno", "Chloé", "Denis", "Emma", "Fanny", "Gilles", "Hugo", "Inès"]
    lasts = ["Petit", "Roux", "Blanc", "Morel", "Faure", "Girard", "Lambert", "Bonnet"]
    lines = [f"{f} {last} ; Boulangerie-{last}-{f}" for last in lasts for f in firsts]
    lines += [f"{f} {last}-Martin ; Garage-{f}" for last in lasts for f in firsts]
    text = "\n".join(lines)
    assert len(text) > 4096
    cut = text.rindex(" ", 0, 4096)
    assert "\n" not in text[cut - 3 : cut + 3]  # inside a line
    await at_the_trainees(trainer)
    await trainer.says(text[:cut])
    assert "Qui sont les délégués des stagiaires" in trainer.last
    await trainer.says(text[cut + 1 :])
    assert f"{len(lines)} en tout." in trainer.all_text
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[-1]
    expected = {line.split(" ; ")[0]: line.split(" ; ")[1] for line in lines}
    assert {t.full_name: t.company for t in saved.trainees} == expected


async def test_a_list_part_at_a_formation_s_menu_is_said_not_dropped(trainer: Person) -> None:
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.says("Nora Ali ; Garage\nPaul Lenoir")
    assert "Ce message ressemble à une liste de stagiaires" in trainer.last
    assert "choisissez « Ajouter des stagiaires » et collez-la" in trainer.last


@pytest.mark.parametrize("typed", ["'; DROP TABLE formations; --", "1 ; 2 ; 3", ";;\n--"])
async def test_two_semicolons_without_a_name_at_a_formation_s_menu_are_no_list(
    trainer: Person, typed: str
) -> None:
    """Explorer UC5: `'; DROP TABLE formations; --` at a formation's menu was answered « Ce
    message ressemble à une liste de stagiaires »: a line with « ; » but nothing written as a
    name before it is no list, the choice is not recognised."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.says(typed)
    assert "ressemble à une liste" not in trainer.all_text, trainer.all_text
    assert trainer.all_text.startswith("Je n'ai pas reconnu ce choix"), trainer.all_text


async def test_a_last_part_of_one_line_at_the_delegates_question_is_added(
    db: Database, trainer: Person
) -> None:
    """Explorer L: the chat cut a list before its last line, which came alone and was
    read as a tick (« Je n'ai pas reconnu ce choix »), the trainee lost."""
    await at_the_trainees(trainer)
    await trainer.says("Anne Roc\nBen Sol")
    await trainer.says("Merci beaucoup")  # words (explorer M: they were enrolled)
    assert "n'est pas une des réponses proposées. Si c'est la fin" not in trainer.last
    await trainer.says("Hélène Ibert")  # written as a name: maybe the list's end, asked
    assert "« Hélène Ibert » n'est pas une des réponses proposées. Si c'est la fin" in (
        trainer.last
    )
    assert "J'ajoute" not in trainer.all_text
    await trainer.says("Hélène Ibert ;")
    assert "J'ajoute la suite de votre liste : 1 stagiaire de plus, 3 en tout." in (
        trainer.all_text
    )
    await trainer.says("Anne Roc, Boulangerie Roc")  # a comma: the « ; » said (explorer P)
    assert trainer.last.startswith(
        "« Anne Roc » est déjà dans la liste. Pour noter son entreprise, séparez-la par un "
        "point-virgule : « Anne Roc ; Boulangerie Roc »."
    )
    await trainer.says("Anne Roc ; Boulangerie Roc")  # her line completed (explorer N)
    assert "Ligne d'Anne Roc complétée : entreprise Boulangerie Roc." in trainer.all_text
    assert "Qui sont les délégués" in trainer.last and "☐ Boulangerie" not in trainer.last
    await trainer.says("Ben, Élodie")  # ticks, one not found: not a name (explorer P P3)
    assert trainer.last.startswith("Je ne trouve pas « Élodie » dans la liste")
    await trainer.says("Anne Roc ; Hélène Ibert")  # ticks between « ; » (explorer Q Q6)
    assert "2 cochés sur 3" in trainer.last and "complétée" not in trainer.last
    await trainer.says("1 ; 3")  # their numbers: unticked (Q7)
    assert "Ligne 1" not in trainer.last
    await trainer.says("Ben Soll")  # a listed name mistyped is ticked, not added
    assert "1 coché sur 3" in trainer.last
    await trainer.says("Aucun délégué")  # none, in the question's words (explorer N)
    assert "Tout est juste ?" in trainer.last
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[-1]
    assert sorted(t.full_name for t in saved.trainees) == ["Anne Roc", "Ben Sol", "Hélène Ibert"]
    assert [t.full_name for t in saved.trainees if t.is_delegate] == []
    assert {t.full_name: t.company for t in saved.trainees}["Anne Roc"] == "Boulangerie Roc"


async def test_a_list_part_after_ajouter_des_stagiaires_is_added_too(
    db: Database, trainer: Person
) -> None:
    """Explorer I: the chat's next part of a list just added came to the menu, was said
    and not added: the trainer had to tap again and paste it again."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Anne Roc\nBen Sol")
    assert (  # the entry they take is said (explorer L)
        "2 stagiaires ajoutés à « Agent de restauration (démo) », avec pour entrée le lundi "
        "23 novembre 2026 (une autre : « Entrées et sorties »)."
    ) in trainer.all_text
    await trainer.says("Cléa Mir ; Garage Mir\nDan Pic")
    assert "J'ajoute la suite de votre liste : 2 stagiaires de plus, 8 en tout." in (
        trainer.all_text
    )
    await trainer.says("Émile Zola\nAnne Roc")  # a third part, one name already there
    assert (
        "1 stagiaire de plus, 9 en tout. « Anne Roc » est déjà dans la liste : je ne l'ajoute "
        "pas une seconde fois."
    ) in trainer.all_text
    await trainer.says("Zoé Vert\nBad<b>")  # a wrong line: nothing of this part
    assert "la première partie est gardée" in trainer.all_text
    assert "Que voulez-vous faire" in trainer.last
    await trainer.says("Zoé Vert\nBad Boy")  # sent again, corrected: taken (explorer L)
    assert "J'ajoute la suite de votre liste : 2 stagiaires de plus, 11 en tout." in (
        trainer.all_text
    )
    [restauration] = [f for f in await formations(db) if f.title.startswith("Agent")]
    names = {t.full_name for t in restauration.trainees}
    assert {"Anne Roc", "Ben Sol", "Cléa Mir", "Dan Pic", "Émile Zola"} <= names
    assert len(names) == 11 and "Zoé Vert" in names
    cléa = next(t for t in restauration.trainees if t.full_name == "Cléa Mir")
    assert cléa.company == "Garage Mir"
    await trainer.says("Merci beaucoup")  # no choice, no trainee either (explorer M)
    assert "Je n'ai pas reconnu ce choix" in trainer.last and "J'ajoute" not in trainer.last
    await trainer.says("Hélène Ibert")  # written as a name: how to add it, said
    assert "renvoyez ce nom suivi d'un point-virgule (« Hélène Ibert ; »)" in trainer.last
    await trainer.says("Hélène Ibert ;")  # a last part of one line, marked (explorer L)
    assert "J'ajoute la suite de votre liste : 1 stagiaire de plus, 12 en tout." in (
        trainer.all_text
    )
    await trainer.says("Anne Roc ; Garage Roc")  # there already: said (explorer M), and
    assert "« Anne Roc » est déjà dans la liste : rien à ajouter." in trainer.all_text
    assert "se change avec /formations → « Entrées et sorties" in trainer.all_text  # (N)
    await trainer.says("Voir le detail")  # a choice typed is still the choice
    assert "· Hélène Ibert – entrée le" in trainer.all_text
    await trainer.presses("Voir le détail")
    await trainer.says("Fanny Dur\nGus Lin")  # not right after a list: said, not added
    assert "Ce message ressemble à une liste de stagiaires" in trainer.all_text


async def test_a_trainee_with_a_history_is_not_removed(db: Database, trainer: Person) -> None:
    """Explorer J: « Retirer un stagiaire » deleted the person's absences, follow-up,
    compte rendu and ticket qualité with one tap: the Qualiopi evidence, for good."""
    await trainer.says("Karim et Julie absents hier toute la journée")
    await trainer.presses("Enregistrer")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Karim Benali")
    said = trainer.replies[-2].text
    assert said.startswith(
        "Je ne retire pas <b>Karim Benali</b> : ce nom a un historique dans la formation "
        "(1 absence notée). Le retirer effacerait ces preuves"
    )
    assert "enregistrez sa sortie (« Entrées et sorties »" in said
    assert "Oui, retirer" not in trainer.buttons  # back at the formation's menu
    restauration = next(f for f in await formations(db) if f.title.startswith("Agent"))
    assert "Karim Benali" in {t.full_name for t in restauration.trainees}
    # Someone added by mistake, with nothing on record, still goes.
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Oui, retirer")
    assert "C'est fait : Hugo Moreau ne figure plus dans la formation." in trainer.all_text


async def test_the_entry_given_by_default_is_said_only_for_those_without_one(
    trainer: Person,
) -> None:
    """Explorer Z, Z12: « Hugo Lemoine ; entrée le 14/12 » was told « avec pour entrée, sauf
    date donnée, le … », a day he did not take."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Hugo Lemoine ; entrée le 14/12")
    assert "1 stagiaire ajouté à « Agent de restauration (démo) »." in trainer.all_text
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Anne Roc ; entrée le 14/12\nBen Sol")
    assert "avec pour entrée, sauf date donnée, le lundi 23 novembre 2026" in trainer.all_text


async def test_esp_and_a_thumb_are_answers(db: Database, trainer: Person) -> None:
    """Explorer Z, Z10: « ESP » at « Comment le groupe est-il organisé ? » and « 👍 » at a
    date's « C'est bien ça ? » were « Je n'ai pas reconnu ce choix »."""
    await trainer.says("/formation")
    await trainer.says("Agent de restauration")
    await trainer.presses("Une formation")
    await trainer.presses("Région Normandie")
    await trainer.says("ESP")
    assert await step_of(db, trainer) == ("formation", "period")
    await trainer.says("du 1er décembre 2026 au 15 juin 2027")
    await trainer.says("👍")
    assert await step_of(db, trainer) == ("formation", "certifying")


async def test_a_start_on_a_public_holiday_is_pointed_out_as_a_weekend_is(
    trainer: Person,
) -> None:
    """Explorer AA, AA6: a formation from the 1st of January said nothing of the holiday."""
    await trainer.says("/formation")
    await trainer.says("PAF Hiver")
    await trainer.presses("Une formation")
    await trainer.presses("Rectorat")
    await trainer.presses("De date à date")
    await trainer.says("du 1er janvier au 31 janvier 2027")
    assert (
        "Attention, elle commencerait un jour férié (jour de l'An) et finirait un dimanche."
        in trainer.last
    )


async def test_a_session_s_label_without_its_colon_is_read_and_capitalised(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z12: « session 2 du 1er mars au 30 juin » was « Je n'ai pas compris ces
    dates », and « session 2 : … » was shown in lower case (Z9)."""
    await cvl_sessions_saved(
        trainer,
        "Premiers gestes cuisine",
        "premiers gestes",
        "du 1er décembre 2026 au 30 juin 2027",
        "session 1 : du 7 décembre au 26 février\nsession 2 du 1er mars au 30 juin",
    )
    f = (await formations(db))[-1]
    assert [(s.label, s.start_date) for s in f.sessions] == [
        ("Session 1", date(2026, 12, 7)),
        ("Session 2", date(2027, 3, 1)),
    ]
    # Saved with its trainees « Plus tard »: not « 0 stagiaire » (explorer AD21).
    assert "au mercredi 30 juin 2027, aucun stagiaire pour l'instant (ajoutez-les" in trainer.last


async def at_the_trainees_session(trainer: Person) -> None:
    """/formation « Premiers gestes cuisine » in two sessions (1–31 March, 3 May–30 June
    2027), its trainees typed: Karim Benali entering on 1 March, Nadia Roux and Inès Garnier
    with no entry, asked their session."""
    await cvl_formation(trainer, "Premiers gestes cuisine", "premiers gestes")
    await trainer.says("du 1er mars au 30 juin 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says("Session 1 : du 1er au 31 mars 2027\nSession 2 : du 3 mai au 30 juin 2027")
    for label in ("Non", "Courte", "Passer"):
        await trainer.presses(label)
    await trainer.says("Karim Benali ; entrée le 1er mars 2027\nNadia Roux\nInès Garnier")


async def test_trainees_typed_at_the_creation_follow_their_session(
    db: Database, trainer: Person
) -> None:
    """Explorer IC5: at /formation too, a trainee of « premiers gestes » in two sessions
    (1–31 March, 3 May–30 June 2027) follows the session their entry falls in, else the one
    asked (the entry then its first day); each leaves with it in EOS."""
    await at_the_trainees_session(trainer)
    assert trainer.last == (
        "Dans quelle session de « Premiers gestes cuisine » sont Nadia Roux et Inès Garnier ? "
        "Leur sortie de formation (EOS) est prévue à la fin de cette session."
    )
    await trainer.presses("Session 2 : du 3 mai au 30 juin 2027")
    await trainer.presses("Terminé")  # no delegate yet
    await trainer.presses("Enregistrer")
    assert "Session 1 (du 1er au 31 mars 2027) : Karim Benali." in trainer.all_text
    assert "Session 2 (du 3 mai au 30 juin 2027) : Inès Garnier et Nadia Roux." in (
        trainer.all_text
    )
    f = (await formations(db))[-1]
    first, second = sorted(f.sessions, key=lambda s: s.start_date)
    assert sorted((t.full_name, t.session_id, t.entered_on) for t in f.trainees) == [
        ("Inès Garnier", second.id, date(2027, 5, 3)),
        ("Karim Benali", first.id, date(2027, 3, 1)),
        ("Nadia Roux", second.id, date(2027, 5, 3)),
    ]
    async with db.sessions() as session:
        exits = dict(
            (
                await session.execute(
                    select(StoredDeadline.key, StoredDeadline.due_on).where(
                        StoredDeadline.formation_id == f.id,
                        StoredDeadline.rule_id == "CVL-EOS",
                        StoredDeadline.key.startswith("CVL-EOS-EXIT"),
                    )
                )
            ).all()
        )
    by_name = {t.full_name: exits[f"CVL-EOS-EXIT:trainee:{t.id}"] for t in f.trainees}
    assert by_name == {
        "Karim Benali": date(2027, 3, 31),
        "Nadia Roux": date(2027, 6, 30),
        "Inès Garnier": date(2027, 6, 30),
    }


async def test_trainees_typed_at_the_creation_of_another_action_type_follow_every_session(
    db: Database, trainer: Person
) -> None:
    """Explorer MA1: « Se former au(x) métier(s) de » in two sessions of one composante
    (1–31 March, 3 May–30 June 2027) is one path (002 §2: étape + fin): the trainees typed
    at /formation are not asked a session, none is stored, both leave EOS on 30 June."""
    await cvl_formation(trainer, "Cuisine MA", "se former")
    await trainer.says("du 1er mars au 30 juin 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says("Session 1 : du 1er au 31 mars 2027\nSession 2 : du 3 mai au 30 juin 2027")
    for label in ("Non", "Courte", "Passer"):
        await trainer.presses(label)
    await trainer.says("Karim Benali ; entrée le 1er mars 2027\nNadia Roux")
    assert "Dans quelle session" not in trainer.all_text
    await trainer.presses("Terminé")  # no delegate yet
    await trainer.presses("Enregistrer")
    assert "Session 1 (du 1er au 31 mars 2027) :" not in trainer.all_text
    f = (await formations(db))[-1]
    assert [t.session_id for t in f.trainees] == [None, None]
    async with db.sessions() as session:
        exits = await session.scalars(
            select(StoredDeadline.due_on).where(
                StoredDeadline.formation_id == f.id,
                StoredDeadline.key.startswith("CVL-EOS-EXIT"),
            )
        )
        assert list(exits) == [date(2027, 6, 30), date(2027, 6, 30)]


async def test_names_typed_in_lower_case_are_stored_as_a_document_writes_them(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z9: « mme hélène roussel » was printed so in every sworn attestation."""
    await trainer.says("/formation")
    for step, kind, value in HAPPY[:-1]:
        if step == "cm_name":
            value = "mme hélène roussel"
        elif step == "trainees":
            value = "marie dupont ; Boulangerie Martin\nKARIM BENALI\nJulie Petit"
        await answer(trainer, kind, value)
    await trainer.presses("Enregistrer")
    f = (await formations(db))[-1]
    assert f.cm_name == "Mme Hélène Roussel"
    assert sorted(t.full_name for t in f.trainees) == [
        "Julie Petit",
        "Karim Benali",
        "Marie Dupont",
    ]


async def test_a_session_s_name_is_printable_and_its_own(db: Database, trainer: Person) -> None:
    """Explorer AD19: « <b>S</b> » and « 😀 » were saved as sessions' names, printed in the
    deadlines' titles, and two « Session 1 » could not be told apart."""
    await cvl_formation(trainer, "Premiers gestes cuisine", "premiers gestes")
    await trainer.says("du 4 janvier au 26 mars 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    for typed, said in (
        (
            "<b>S</b> : du 4 janvier au 5 février\nS2 : du 8 février au 26 mars",
            "Ligne 1 : le nom de la session est imprimé dans les échéances et les documents ; "
            "écrivez-le sans balises (« < > ») ni émoticônes",
        ),
        (
            "S1 : du 4 janvier au 5 février\n😀 : du 8 février au 26 mars",
            "Ligne 2 : le nom de la session est imprimé",
        ),
        (
            "Session 1 : du 4 janvier au 5 février\nsession 1 : du 8 février au 26 mars",
            "Ligne 2 : une autre session s'appelle déjà « session 1 » ; donnez à chacune un nom",
        ),
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(said), trainer.last
    await trainer.says("Session 1 : du 4 janvier au 5 février\nSession 2 : du 8 février au 26 mars")
    assert trainer.last.startswith("Est-elle certifiante")  # the sessions taken


async def test_another_funder_is_named_saved_shown_exported_and_dropped_with_it(
    db: Database, trainer: Person
) -> None:
    """Explorer AD27: « Autre financeur » asked nothing more; every such formation was
    « Autre financeur » in its detail and exports."""
    await trainer.says("/formation")
    await trainer.says("Préparation au CACES")
    await trainer.presses("Une formation")
    await trainer.presses("Autre financeur")
    assert trainer.last.startswith("Quel financeur ? Par exemple « France Travail »")
    assert await step_of(db, trainer) == ("formation", "funder_name")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("OPCO Akto")
    for kind, value in (
        ("press", "De date à date"),
        ("say", "du 1er décembre 2026 au 15 janvier 2027"),
        ("press", "Oui"),
        ("press", "Non"),
        ("press", "Courte"),
        ("press", "Plus tard"),
    ):
        await answer(trainer, kind, value)
    assert "Financeur : OPCO Akto" in trainer.last
    await trainer.presses("Enregistrer")
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title == "Préparation au CACES")
        )
    assert formation is not None and formation.funder_name == "OPCO Akto"
    async with db.sessions() as session:
        [row] = [
            r
            for r in await exports.formations(session, formation.organisation_id)
            if r["identifiant"] == formation.id
        ]
    assert row["financeur"] == "OPCO Akto"
    await trainer.says("/formations")
    await trainer.presses("Préparation au CACES")
    await trainer.presses("Voir le détail")
    assert "Financeur : OPCO Akto" in trainer.all_text
    await trainer.presses("Modifier la formation")
    await trainer.presses("Financeur et programme")
    await trainer.presses("Région Normandie")
    async with db.sessions() as session:
        changed = await session.get(Formation, formation.id)
    assert changed is not None and (changed.funder, changed.funder_name) == ("normandie", None)


async def test_the_sessions_example_is_cut_from_the_formation_s_dates_and_typed_back(
    trainer: Person,
) -> None:
    """Explorer DG11: the example (« Session 3 : du 7 septembre au 16 octobre ») fell outside
    the formation's dates, and typed back was « cette session sort des dates »."""
    await cvl_formation(trainer, "Cuisinier", "Se former au(x) métier(s)")
    await trainer.says("du 1er décembre 2026 au 30 juin 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")  # several sessions
    example = trainer.last.split("Par exemple :\n", 1)[1].split("\nLe nom", 1)[0]
    assert "Session 1 : du 1er décembre au " in example
    await trainer.says(example)
    assert "sort des dates" not in trainer.all_text and "Ligne" not in trainer.all_text


async def test_the_detail_of_sessions_that_are_groups_says_one_group_each(
    trainer: Person,
) -> None:
    """Fixer PA's report: « Voir le détail » of a « premiers gestes » formation in three
    sessions said « Organisation : De date à date (un groupe) » above three sessions that are
    three groups (explorer IC5, MA1).  It says a group per session, as the recap at the
    creation does; a « Se former au(x)
    métier(s) de » in sessions is still one group, following them all."""
    three = (
        "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 3 au 31 mai 2027\n"
        "Session 3 : du 1er au 30 juin 2027"
    )
    await cvl_formation(trainer, "PG trois", "premiers gestes")
    await trainer.says(SPRING)
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says(three)
    for label in ("Non", "Courte", "Passer", "Plus tard"):
        await trainer.presses(label)
    assert "Organisation : De date à date, un groupe par session\n" in trainer.last  # recap
    await trainer.presses("Enregistrer")
    await trainer.says("/formations")
    await trainer.presses("PG trois")
    await trainer.presses("Voir le détail")
    detail = next(r.text for r in reversed(trainer.replies) if "Organisation" in r.text)
    assert "Organisation : De date à date, un groupe par session\n" in detail
    assert "(un groupe)" not in detail
    await two_sessions_with(trainer, "Métiers deux", "se former", "Karim Benali")
    await trainer.presses("Voir le détail")
    detail = next(r.text for r in reversed(trainer.replies) if "Organisation" in r.text)
    assert "Organisation : De date à date (un groupe)\n" in detail


async def test_an_entry_typed_on_a_sunday_or_a_holiday_is_questioned(
    db: Database, trainer: Person
) -> None:
    """Explorer UB1: « Léa Martin ; entrée le 15 août 2027 » (a Sunday, the Assomption) was
    taken without a word, where the formation's own start on such a day is questioned
    (« Attention, elle commencerait un jour férié (jour de l'An) »)."""
    await at_the_trainees(trainer)
    await trainer.says(
        "Karim Benali\nLéa Martin ; entrée le 2 janvier 2027\nHugo Moreau ; entrée le 29 mars 2027"
        "\nZoé Petit ; entrée le 25 mai 2027"
    )
    assert trainer.last == (
        "Attention, Léa Martin entrerait le 2 janvier 2027, un samedi, et Hugo Moreau le 29 mars "
        "2027, un jour férié (lundi de Pâques). C'est bien ça ?"
    )
    assert trainer.buttons == ["Oui, c'est ça", "Non, corriger"]
    await trainer.presses("Non, corriger")
    assert "Collez la liste des stagiaires" in trainer.last
    await trainer.says("Karim Benali\nLéa Martin ; entrée le 4 janvier 2027")
    assert "Qui sont les délégués" in trainer.last  # a working day: no question
    await trainer.presses("Terminé")
    await trainer.presses("Corriger")
    await trainer.presses("Stagiaires")
    await trainer.says("Karim Benali\nLéa Martin ; entrée le 3 janvier 2027")
    assert trainer.last.startswith(
        "Attention, Léa Martin entrerait le 3 janvier 2027, un dimanche."
    )
    await trainer.presses("Oui, c'est ça")  # she does: kept as typed
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: t.entered_on for t in (await formations(db))[-1].trainees}
    assert people == {"Karim Benali": date(2026, 12, 1), "Léa Martin": date(2027, 1, 3)}


async def test_a_corrected_list_or_day_typed_at_the_day_off_question_is_taken(
    db: Database, trainer: Person
) -> None:
    """Explorer XA3: at « Attention, Léa Martin entrerait le 2 janvier 2027, un samedi. C'est
    bien ça ? », the corrected list pasted was thrown away (« Répondez par … »), and « non, le
    4 janvier » asked the whole list again, the day said dropped."""
    listed = "Karim Benali\nLéa Martin ; entrée le 2 janvier 2027\nJulie Petit"
    await at_the_trainees(trainer)
    await trainer.says(listed)
    assert trainer.last.startswith("Attention, Léa Martin entrerait le 2 janvier 2027")
    await trainer.says(  # the list corrected, still a Sunday for Julie: asked again
        "Karim Benali\nLéa Martin ; entrée le 4 janvier 2027\nJulie Petit ; entrée le 3 janvier"
        " 2027"
    )
    assert trainer.last.startswith(
        "Attention, Julie Petit entrerait le 3 janvier 2027, un dimanche."
    )
    await trainer.says("non, le 5 janvier")  # one person asked: her new day
    assert "Qui sont les délégués" in trainer.last
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: t.entered_on for t in (await formations(db))[-1].trainees}
    assert people == {
        "Karim Benali": date(2026, 12, 1),
        "Léa Martin": date(2027, 1, 4),
        "Julie Petit": date(2027, 1, 5),
    }


async def test_a_day_typed_at_the_day_off_question_about_two_asks_the_list_again(
    trainer: Person,
) -> None:
    """Explorer XA3: « non, le 4 janvier » when two entries are asked: whose, unknown; the list
    is asked again and the answer says why."""
    await at_the_trainees(trainer)
    await trainer.says(
        "Léa Martin ; entrée le 2 janvier 2027\nHugo Moreau ; entrée le 3 janvier 2027"
    )
    await trainer.says("non, le 4 janvier")
    assert (
        "Je ne sais pas de qui est l'entrée du lundi 4 janvier 2027 : renvoyez la liste corrigée."
        in trainer.all_text
    )
    assert "Collez la liste des stagiaires" in trainer.last


async def test_a_later_part_pasted_again_at_its_day_off_question_replaces_it(
    db: Database, trainer: Person
) -> None:
    """Explorer XA3 (WB's later part): the part sent again, corrected, is that part."""
    await at_the_trainees(trainer)
    await trainer.says("Karim Benali\nLéa Martin")
    await trainer.says("Zoé Petit ; entrée le 2 janvier 2027\nHugo Moreau")
    assert trainer.last.startswith("Attention, Zoé Petit entrerait le 2 janvier 2027")
    await trainer.says("Zoé Petit ; entrée le 4 janvier 2027\nHugo Moreau")
    assert "Qui sont les délégués" in trainer.last
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: t.entered_on for t in (await formations(db))[-1].trainees}
    assert people["Zoé Petit"] == date(2027, 1, 4) and len(people) == 4


async def test_an_entry_added_on_a_holiday_is_questioned(db: Database, trainer: Person) -> None:
    """Explorer UB1, « Ajouter des stagiaires »: the same question before anyone is added."""
    await two_sessions_with(
        trainer, "Premiers gestes été", "premiers gestes", "Hugo Moreau ; entrée le 6 mai 2027"
    )
    assert trainer.last.startswith(
        "Attention, Hugo Moreau entrerait le 6 mai 2027, un jour férié (Ascension)."
    )
    await trainer.presses("Non, corriger")
    await trainer.says("Hugo Moreau ; entrée le 7 mai 2027")
    assert "1 stagiaire ajouté à « Premiers gestes été »" in trainer.all_text


async def test_an_entry_on_a_day_off_in_a_later_part_of_a_cut_list_is_questioned(
    db: Database, trainer: Person
) -> None:
    """WB (after explorer UB1): a list the chat cut in several messages questioned the days
    off of its first part only; a later part's « entrée le 2 janvier 2027 » (a Saturday) was
    added at the delegates question without a word."""
    await at_the_trainees(trainer)
    await trainer.says("Karim Benali\nLéa Martin ; entrée le 4 janvier 2027")
    assert "Qui sont les délégués" in trainer.last  # a working day: no question
    await trainer.says("Zoé Petit ; entrée le 2 janvier 2027\nHugo Moreau")
    assert "J'ajoute la suite de votre liste : 2 stagiaires de plus, 4 en tout." in (
        trainer.all_text
    )
    assert trainer.last.startswith("Attention, Zoé Petit entrerait le 2 janvier 2027, un samedi.")
    assert trainer.buttons == ["Oui, c'est ça", "Non, corriger"]
    await trainer.presses("Non, corriger")  # this part only is taken back
    assert (
        "Je n'ai rien gardé de cette partie de la liste (2 stagiaires) : renvoyez-la corrigée "
        "(la première partie est gardée)."
    ) in trainer.all_text
    assert "Qui sont les délégués" in trainer.last and "Zoé Petit" not in trainer.last
    await trainer.says("Zoé Petit ; entrée le 4 janvier 2027\nHugo Moreau")
    assert "2 stagiaires de plus, 4 en tout." in trainer.all_text
    assert "Qui sont les délégués" in trainer.last  # a working day: no question
    await trainer.says("Inès Roux ; entrée le 29 mars 2027\nPaul Henry")
    assert trainer.last.startswith(
        "Attention, Inès Roux entrerait le 29 mars 2027, un jour férié (lundi de Pâques)."
    )
    await trainer.presses("Oui, c'est ça")  # she does: kept as typed
    assert "Qui sont les délégués" in trainer.last and "☐ Inès Roux" in trainer.buttons
    await trainer.says("Nina Vert ; entrée le 1er janvier 2027")
    assert trainer.last.startswith("Attention, Nina Vert entrerait le 1er janvier 2027")
    await trainer.says("Retour")  # back at the delegates, the part kept as typed
    assert "Qui sont les délégués" in trainer.last and "☐ Nina Vert" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Corriger")
    await trainer.presses("Stagiaires")  # the whole list again: its days off asked anew
    await trainer.says(
        "Karim Benali\nLéa Martin ; entrée le 4 janvier 2027\nZoé Petit ; entrée le 4 janvier"
        " 2027\nHugo Moreau\nInès Roux ; entrée le 29 mars 2027\nPaul Henry"
    )
    assert trainer.last.startswith("Attention, Inès Roux entrerait le 29 mars 2027")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    people = {t.full_name: t.entered_on for t in (await formations(db))[-1].trainees}
    assert people == {
        "Karim Benali": date(2026, 12, 1),
        "Léa Martin": date(2027, 1, 4),
        "Zoé Petit": date(2027, 1, 4),
        "Hugo Moreau": date(2026, 12, 1),
        "Inès Roux": date(2027, 3, 29),
        "Paul Henry": date(2026, 12, 1),
    }


async def test_an_entry_on_a_day_off_in_a_later_part_added_at_the_menu_is_questioned(
    db: Database, trainer: Person
) -> None:
    """WB (after explorer UB1), « Ajouter des stagiaires »: the list's next part, arriving at
    the menu, was saved with its entry on a holiday, unquestioned."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Anne Roc\nBen Sol")
    await trainer.says("Cléa Mir ; entrée le 25 décembre 2026\nDan Pic")
    assert trainer.last.startswith(
        "Attention, Cléa Mir entrerait le 25 décembre 2026, un jour férié (Noël)."
    )
    [restauration] = [f for f in await formations(db) if f.title.startswith("Agent")]
    assert "Cléa Mir" not in {t.full_name for t in restauration.trainees}  # not yet
    await trainer.presses("Non, corriger")
    await trainer.says("Cléa Mir ; entrée le 28 décembre 2026\nDan Pic")
    assert "2 stagiaires ajoutés" in trainer.all_text
    [restauration] = [f for f in await formations(db) if f.title.startswith("Agent")]
    entries = {t.full_name: t.entered_on for t in restauration.trainees}
    assert entries["Cléa Mir"] == date(2026, 12, 28) and "Dan Pic" in entries
    await trainer.says("Eva Lune ; entrée le 1er janvier 2027\nFanny Dur")  # a next part
    assert trainer.last.startswith(
        "Attention, Eva Lune entrerait le 1er janvier 2027, un jour férié (jour de l'An)."
    )
    await trainer.presses("Oui, c'est ça")
    assert "Que voulez-vous faire" in trainer.last
    [restauration] = [f for f in await formations(db) if f.title.startswith("Agent")]
    entries = {t.full_name: t.entered_on for t in restauration.trainees}
    assert entries["Eva Lune"] == date(2027, 1, 1) and "Fanny Dur" in entries


async def test_every_step_of_the_other_formation_paths_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """The questions the main walk does not meet, the Centre-Val de Loire's programme and
    action type, several sessions, the rectorat's remote coaching, re-ask on wrong, empty,
    huge or hostile input and save nothing (coverage AR)."""
    before = len(await formations(db))

    async def bad_at(step: str) -> None:
        assert await step_of(db, trainer) == ("formation", step), trainer.last
        await survives(db, trainer, FOR_CHOICES)
        assert len(await formations(db)) == before, f"something saved at {step}"

    await trainer.says("/formation")
    await trainer.says("Cuisinier")
    await trainer.presses("Une formation")
    await trainer.presses("Centre-Val de Loire")
    await bad_at("programme")
    await trainer.presses("Parcours Métiers")
    await bad_at("action_type")
    await trainer.presses("Se former au(x) métier(s)")
    await trainer.presses("De date à date")
    await trainer.says("du 1er septembre au 30 juin")
    await trainer.presses("Oui")
    await bad_at("several_sessions")
    await trainer.says("/annuler")

    await trainer.says("/formation")
    await trainer.says("PAF Hiver")
    await trainer.presses("Une formation")
    await trainer.presses("Rectorat")
    await trainer.presses("De date à date")
    await trainer.says("du 4 janvier au 29 janvier 2027")
    await trainer.presses("Oui")
    await trainer.presses("Non")  # not certifying
    await trainer.presses("Longue")
    await bad_at("remote_coaching")


OUI = "Oui, c'est ça"


async def typed_with_a_day_off(trainer: Person) -> None:
    """/formation up to its trainees, Léa Martin typed entering on Saturday 2 January 2027."""
    await at_the_trainees(trainer)
    await trainer.says("Karim Benali\nLéa Martin ; entrée le 2 janvier 2027")


@pytest.mark.parametrize(
    ("reach", "step", "bads", "answer"),
    [
        (typed_with_a_day_off, "entries_off", (*FOR_CHOICES, Bad("no day", "peut-être")), OUI),
        (
            at_the_trainees_session,
            "trainee_session",
            FOR_CHOICES,
            "Session 2 : du 3 mai au 30 juin 2027",
        ),
    ],
)
async def test_the_questions_after_the_list_of_trainees_survive_bad_input(
    db: Database,
    trainer: Person,
    reach: Callable[[Person], Awaitable[None]],
    step: str,
    bads: tuple[Bad, ...],
    answer: str,
) -> None:
    """« Attention, Léa Martin entrerait le 2 janvier 2027, un samedi. C'est bien ça ? » and
    « Dans quelle session … sont Nadia Roux et Inès Garnier ? » re-ask on wrong, empty, huge
    or hostile input: the list kept as it was, no session given, nothing saved (coverage
    BC)."""
    before = len(await formations(db))
    await reach(trainer)
    assert await step_of(db, trainer) == ("formation", step), trainer.last
    await survives(db, trainer, bads)
    assert len(await formations(db)) == before
    await trainer.presses(answer)
    assert await step_of(db, trainer) == ("formation", "delegates"), trainer.last


async def test_the_day_off_question_of_trainees_added_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """At « Ajouter des stagiaires », an entry on a Saturday is questioned: wrong, empty,
    huge or hostile input is asked again and adds no one (coverage BC)."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    demo = next(f for f in await formations(db) if f.title == "Agent de restauration (démo)")
    await trainer.says("Nadia Roy ; entrée le 28 novembre 2026")
    assert await step_of(db, trainer) == ("formation_add", "entries_off"), trainer.last
    await survives(db, trainer, (*FOR_CHOICES, Bad("no day", "peut-être")))
    assert trainer.buttons == ["Oui, c'est ça", "Non, corriger"]
    again = next(f for f in await formations(db) if f.id == demo.id)
    assert [t.full_name for t in again.trainees] == [t.full_name for t in demo.trainees]
    await trainer.presses("Oui, c'est ça")
    again = next(f for f in await formations(db) if f.id == demo.id)
    assert "Nadia Roy" in [t.full_name for t in again.trainees], trainer.all_text


@pytest.mark.postgres
async def test_the_saving_turn_on_postgresql_is_one_transaction(
    pg_db: Database, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BA: on PostgreSQL a turn's reads run alone until something writes; the formation's
    ``INSERT … RETURNING``, sent through the turn's rows with no ORM session, opens the
    transaction, so a turn failing after it keeps nothing (the press can be made again),
    and the same press ending well keeps the formation, its trainees and its audit entry."""
    from bot import demo as demo_module
    from bot.conversations.formations import create

    async with pg_db.sessions() as session, session.begin():
        await demo_module.fill(session, today=clock.now.date())
    trainer = Person(build_engine(pg_db, settings, clock=clock), "formateur")
    await trainer.says("/formation")
    for _step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, value)
    before = len(await formations(pg_db))
    save = next(c.data for r in trainer.replies for c in r.choices if c.label == "Enregistrer")

    def broken(*_args: object) -> str:
        raise RuntimeError("after the formation's rows")

    with monkeypatch.context() as patched:
        patched.setattr(create, "proofs_unsendable", broken)
        await trainer.presses("Enregistrer")
    assert "Rien n'a été enregistré" in trainer.last
    assert len(await formations(pg_db)) == before
    await trainer.presses_data(save)
    assert "C'est enregistré" in trainer.last
    saved = (await formations(pg_db))[before:]
    assert [len(f.trainees) for f in saved] == [3]
