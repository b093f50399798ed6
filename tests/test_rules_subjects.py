"""What a rule is about (bot/rules/subjects.py): its subjects, anchors and predicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.rules.catalogue import RULES
from bot.rules.subjects import SCOPES, holds, path_end, sign_of, worded
from tests.test_rules import at, elycoop, followup


def test_a_follow_up_s_sign_is_its_day_else_its_opening() -> None:
    seen = followup("short", sign_on=date(2027, 2, 3))
    [subject] = SCOPES["followups"](elycoop(seen))
    assert sign_of(subject) == date(2027, 2, 3)
    [unknown] = SCOPES["followups"](elycoop(followup("short")))
    assert sign_of(unknown) == at(2027, 2, 1, 9)


def test_what_is_left_of_a_contact_names_the_milestone() -> None:
    """Explorer HB10: the person reached, « Contacter la personne et son entreprise » stayed."""
    contact = next(
        m for r in RULES if r.id == "ELY-SHORT" for m in r.milestones if m.key == "CONTACT"
    )
    reached = replace(followup("short"), reached=frozenset({"stagiaire"}))
    [subject] = SCOPES["followups"](elycoop(reached))
    assert holds("only_left:entreprise", subject) and not holds("only_left:stagiaire", subject)
    assert worded(contact, subject).title == "Contacter l'entreprise de la personne"
    [nobody] = SCOPES["followups"](elycoop(followup("short")))
    assert worded(contact, nobody).title == contact.title
    assert holds("!only_left:entreprise", nobody)


def test_a_path_ends_at_the_trainee_s_extension_else_the_group_s_end() -> None:
    [subject] = SCOPES["followups"](elycoop(followup("long")))
    assert path_end(subject) == date(2027, 6, 30)
    longer = replace(subject.trainee, path_end=date(2027, 7, 9))
    assert path_end(replace(subject, trainee=longer)) == date(2027, 7, 9)
