"""Follow-ups mapped onto the rules' FollowUpFacts, and the ELY deadlines the engine derives."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.absences.facts import followup_facts, to_facts
from bot.rules import FormationFacts, deadlines
from bot.storage.absences import Entretien, FollowUp, FollowUpContact, FollowUpSign
from bot.storage.db import Database
from tests.auxil.absences import add_formation, formation_id, seen_on
from tests.auxil.dialogue import Person

OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_live_interview_is_the_latest_not_cancelled() -> None:
    followup = FollowUp(id=7, trainee_id=3, path="bilan_comp", cause="difficulty", opened_at=OPENED)
    old = Entretien(
        id=1,
        followup_id=7,
        scheduled_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
        cancelled_at=OPENED,
    )
    new = Entretien(id=2, followup_id=7, scheduled_at=datetime(2026, 11, 27, 9, tzinfo=UTC))
    facts = to_facts(followup, [new, old])
    assert (facts.id, facts.trainee_id, facts.path, facts.cause) == (
        7,
        3,
        "bilan_comp",
        "difficulty",
    )
    assert facts.entretien_at == new.scheduled_at and facts.entretien_held_at is None
    assert (
        to_facts(FollowUp(id=8, trainee_id=3, path="long", opened_at=OPENED)).entretien_at is None
    )


def test_a_rupture_is_dated_only_when_added_after_the_opening() -> None:
    """Explorer T T4: the short formation's contact counts from an abandon added later."""
    followup = FollowUp(id=7, trainee_id=3, path="short", opened_at=OPENED)
    later = datetime(2026, 12, 3, 16, tzinfo=UTC)

    def sign(code: str, at: datetime) -> FollowUpSign:
        return FollowUpSign(followup_id=7, code=code, recorded_at=at)

    opened_on_other = [sign("manque_reactivite", OPENED), sign("abandon", later)]
    assert to_facts(followup, [], opened_on_other).rupture_at == later
    opened_on_absence = [sign("absence", OPENED), sign("abandon", later)]
    assert to_facts(followup, [], opened_on_absence).rupture_at is None
    assert to_facts(followup, [], [sign("manque_reactivite", OPENED)]).rupture_at is None


def test_who_was_reached_counts_from_the_first_sign_and_no_employer_is_the_company() -> None:
    """Explorer HB10: what is left of a short formation's contact is said from these."""
    followup = FollowUp(id=7, trainee_id=3, path="short", opened_at=OPENED)
    followup.sign_on = date(2026, 11, 20)

    def contact(whom: str, day: date) -> FollowUpContact:
        return FollowUpContact(followup_id=7, with_whom=whom, contacted_on=day)

    before = [contact("stagiaire", date(2026, 11, 19)), contact("autre", date(2026, 11, 23))]
    assert to_facts(followup, contacts=before).reached == frozenset()
    after = [contact("stagiaire", date(2026, 11, 20)), contact("sans_entreprise", OPENED.date())]
    assert to_facts(followup, contacts=after).reached == {"stagiaire", "entreprise"}


async def test_open_follow_ups_feed_the_rules_engine(db: Database, trainer: Person) -> None:
    await trainer.says("/decrochage karim")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("jeudi à 14h")
    await trainer.presses("Oui")
    restauration = await formation_id(db, "Agent de restauration")
    async with db.sessions() as session:
        facts = await followup_facts(session, restauration)
    assert len(facts) == 1 and facts[0].path == "long"
    formation = FormationFacts(
        id=restauration,
        title="Agent de restauration (démo)",
        funder="normandie",
        start=date(2026, 10, 24),
        end=date(2027, 1, 7),
        followups=facts,
    )
    ely = {d.key.split(":")[0]: d.due_on for d in deadlines(formation) if d.rule_id == "ELY-LONG"}
    assert ely["ELY-LONG-ENTRETIEN"] == date(2026, 11, 30)
    # The compte rendu follows the scheduled entretien (jeudi 26 novembre).
    assert ely["ELY-LONG-COMPTE-RENDU"] > date(2026, 11, 26)
    other = await add_formation(db, title="Vide")
    async with db.sessions() as session:
        assert await followup_facts(session, other) == ()
