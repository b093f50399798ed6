"""``/journal``: the organisation's audit trail as an Excel workbook, for admins only."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import select

from bot.privacy.journal_rows import members_of
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.absences import trainee_id
from tests.auxil.attestations import (
    BILAN_END,
    add_colleague,
    codes,
    insert_other_organisation,
    lea_at_the_text,
    one_account_for_two_organisations,
    schedule_bilan,
)
from tests.auxil.dialogue import Clock, Person
from tests.test_privacy_access import AUDIT_HEADERS


async def test_an_admin_receives_the_trail_in_french_without_names(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    await trainer.says("/effacer Hugo")
    await trainer.presses("Effacer définitivement")
    await insert_other_organisation(db)  # its entries are not shown here
    await trainer.says("/journal")
    [reply] = trainer.replies
    document = reply.document
    assert document is not None and document.filename == "journal-organisme.xlsx"
    assert document.mime_type.endswith("spreadsheetml.sheet")
    assert document.caption == "Journal des actions (Excel)"
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None and sheet.title == "Journal des actions"
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == AUDIT_HEADERS
    [row] = [dict(zip(AUDIT_HEADERS, values, strict=True)) for values in table[1:]]
    assert (row["action"], row["objet"]) == ("effacement", "stagiaire")
    assert row["détails"].startswith('{"absences": 0, "attestations": 0')
    assert '"identifiant de la formation": 1' in row["détails"]
    async with db.sessions() as session:
        [stored] = (await session.scalars(select(AuditEntry))).all()
    assert (stored.action, stored.entity) == ("erase", "trainee")  # the codes stay stored
    # A real date, at the organisation's (Paris) wall-clock time, not UTC.
    paris = stored.at.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    assert isinstance(row["date"], datetime)
    assert abs(row["date"] - paris) < timedelta(seconds=1)
    assert sheet.cell(row=2, column=2).number_format == "dd/mm/yyyy hh:mm"
    cells = str(table)
    assert "Hugo" not in cells and "Moreau" not in cells
    assert trainer.last.startswith(
        "Voici le journal de l'organisme, un tableau Excel : 1 action, de la plus ancienne"
    )
    assert "(date à l'heure de l'organisme, personne qui a agi, action, objet, détails)" in (
        trainer.last
    )
    # Who the numbers are (explorer J: nothing resolved them), trainees never among them.
    assert (  # with each one's role, here and not in a server's command (explorer ED5)
        f"Les membres de l'organisme, par numéro : n° {stored.actor_id} Camille Durand "
        "(administratrice)."
    ) in trainer.last
    assert "formabot export" not in trainer.last
    assert "Les autres personnes" not in trainer.last  # none: nobody invited answered

    await add_colleague(db)
    colleague = person("colleague")
    await colleague.says("/journal")
    assert "réservée à l'administration" in colleague.last
    assert colleague.replies[0].document is None


async def test_the_message_says_whose_trainee_numbers_the_journal_gives(
    db: Database, trainer: Person
) -> None:
    """Explorer KC4: the journal's « identifiant de stagiaire » and « objet : stagiaire » rows
    gave numbers resolved nowhere, read as the members' « n° 1 Camille Durand ».  The message
    names the trainees by their own series; the workbook still names no one."""
    karim, hugo = await trainee_id(db, "Karim Benali"), await trainee_id(db, "Hugo Moreau")
    julie = await trainee_id(db, "Julie Petit")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Julie Petit")
    await trainer.presses("Oui, retirer")
    assert "Julie Petit ne figure plus dans la formation" in trainer.all_text
    await trainer.says("Karim absent vendredi matin, justifié, rdv France Travail")
    await trainer.presses("Oui")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    await trainer.says("/effacer Hugo")
    await trainer.presses("Effacer définitivement")
    await trainer.says("/journal")
    said = trainer.last
    assert (
        "Les stagiaires ont leur propre série de numéros (objet « stagiaire », ou « identifiant"
        f" de stagiaire » dans les détails) : stagiaire n° {karim} Karim Benali, stagiaire"
        f" n° {hugo} (données effacées), stagiaire n° {julie} (nom non conservé après son"
        " retrait de la formation)."
    ) in said, said
    assert "Moreau" not in said and "Petit" not in said
    document = trainer.replies[-1].document
    assert document is not None
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    cells = str([list(row) for row in sheet.iter_rows(values_only=True)])
    assert "Karim" not in cells and "Benali" not in cells


async def test_people_invited_to_a_bilan_are_not_called_members(
    trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer AU5: the journal's message called the bilan's participants « les membres de
    l'organisme »."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.presses("Je l'atteste")
    await trainer.says("/journal")
    members, _, others = trainer.last.partition("Les autres personnes du journal")
    assert "Camille Durand" in members and "Léa Martin" not in members
    assert "Léa Martin" in others


async def test_a_name_typed_for_another_organisation_is_never_shown_here(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer AF5: the account that attested the demo's bilan as Léa Martin then answered
    « Oui, je suis Zoé Autre » for another organisation's bilan; the demo's /journal and
    members' export named the person who used its link « Zoé Autre » (each attestation
    renamed the person), and the other organisation's would have named her « Léa Martin »."""
    other, _ = await one_account_for_two_organisations(trainer, person, clock)
    await trainer.says("/journal")
    _, _, here = trainer.last.partition("Les autres personnes du journal")
    assert "Léa Martin" in here and "Zoé Autre" not in here, trainer.last
    elsewhere = person("autre")
    await elsewhere.says("/journal")
    _, _, there = elsewhere.last.partition("Les autres personnes du journal")
    assert "Zoé Autre" in there and "Léa Martin" not in there, elsewhere.last
    async with db.sessions() as session:
        demo_id = await session.scalar(
            select(AuditEntry.organisation_id).where(
                AuditEntry.organisation_id != other.organisation_id
            )
        )
        named = [m["nom"] for m in await members_of(session, demo_id)]
        theirs = [m["nom"] for m in await members_of(session, other.organisation_id)]
    assert "Léa Martin" in named and "Zoé Autre" not in named
    assert "Zoé Autre" in theirs and "Léa Martin" not in theirs


async def test_a_member_of_another_organisation_answering_a_bilan_is_in_its_journal(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer AF4: the administrator of another organisation (a partner, a sous-traitant)
    used the demo's link and attested: « utilisation du lien » and « attestation de
    participation » went to her own organisation's journal, with the demo's ids, and the
    demo's journal lost them. What is done on a bilan is the bilan's organisation's record."""
    await schedule_bilan(trainer)
    code = codes(trainer.replies)["Léa Martin"]
    other = await insert_other_organisation(db)
    clock.now = BILAN_END + timedelta(hours=1)
    partner = person("autre")
    for line in (f"/start {code}", "Léa Martin", "oui"):
        await partner.says(line)
    await partner.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in partner.all_text, partner.all_text
    async with db.sessions() as session:
        actions = {
            (entry.organisation_id, entry.action)
            for entry in await session.scalars(select(AuditEntry))
            if entry.action in ("redeem", "attest")
        }
        demo_id = await session.scalar(
            select(Formation.organisation_id).where(Formation.title.like("Agent de restauration%"))
        )
    assert actions == {(demo_id, "redeem"), (demo_id, "attest")}
    assert demo_id != other.organisation_id


async def test_a_member_removed_from_her_organisation_while_attesting_another_s_bilan_goes_on(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer AM6: the administrator of another organisation answering the demo's
    attestation was removed from her own meanwhile; her next answer closed the dialogue
    with « vous ne faites plus partie de l'organisme concerné », though the attestation is
    the demo's and still hers to give. A participant's dialogue is no organisation's."""
    from sqlalchemy import delete

    from bot.storage.people import Membership

    await schedule_bilan(trainer)
    code = codes(trainer.replies)["Léa Martin"]
    other = await insert_other_organisation(db)
    clock.now = BILAN_END + timedelta(hours=1)
    partner = person("autre")
    for line in (f"/start {code}", "Léa Martin"):
        await partner.says(line)
    async with db.sessions() as session, session.begin():
        await session.execute(
            delete(Membership).where(Membership.organisation_id == other.organisation_id)
        )
    await partner.says("oui")
    assert "ne faites plus partie" not in partner.all_text, partner.all_text
    await partner.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in partner.all_text, partner.all_text
