"""The wording helpers every template shares."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
import pytest

from bot import texts
from bot.texts import de_la_formation, et, organisme


@pytest.mark.parametrize(
    ("typed", "greeted"),
    [
        ("Mme Sophie Leroy", "Madame"),
        ("Madame Leroy", "Madame"),
        ("mme. Leroy", "Madame"),
        ("M. Paul Girard", "Monsieur"),
        ("Monsieur Le Goff", "Monsieur"),
        ("Mr Paul Girard", "Monsieur"),
        ("Sophie Leroy", "Sophie Leroy"),
        ("Marie Mme", "Marie Mme"),  # a civility is only ever first
        ("Mathieu Roux", "Mathieu Roux"),  # "M" opening a first name is no "M."
        ("Mme", "Mme"),  # nothing after it: left as typed
    ],
)
def test_a_letter_greets_by_the_civility_alone(typed: str, greeted: str) -> None:
    assert texts.salutation(typed) == greeted


def test_the_draft_to_the_charge_de_mission_greets_madame() -> None:
    rendered = (
        texts.environment()
        .from_string("Bonjour {{ cm|salutation }},")
        .render(cm="Mme Sophie Leroy")
    )
    assert rendered == "Bonjour Madame,"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Karim Benali", "de Karim Benali"),
        ("Inès Garnier", "d'Inès Garnier"),
        ("Hugo", "d'Hugo"),
        ("« Agent de restauration »", "d'« Agent de restauration »"),  # explorer AC8
        ("« Cariste »", "de « Cariste »"),
        ("Élodie Roux", "d'Élodie Roux"),
        # Explorer AE3: a y before a vowel is a consonant, a y before a consonant a vowel.
        ("Yanis Diallo", "de Yanis Diallo"),
        ("Youssef Kaci", "de Youssef Kaci"),
        ("Yasmine", "de Yasmine"),
        ("Yves Morel", "d'Yves Morel"),
        ("Yvonne", "d'Yvonne"),
        ("", "de "),
    ],
)
def test_of_elides_before_a_vowel_or_a_mute_h(name: str, said: str) -> None:
    assert texts.of(name) == said


def test_que_elides_as_de_does() -> None:
    """Explorer AU7: « pour que Enzo André … participent »."""
    assert texts.of("Enzo André et Léa Martin", "que") == "qu'Enzo André et Léa Martin"
    assert texts.of("Karim Benali", "que") == "que Karim Benali"
    assert "pour qu'Enzo André participe" in texts.plain(
        texts.say("bilan.ask_agreement", d={"names": ["Enzo André"], "cm_name": "Anne Roy"})
    )


def test_a_list_of_names_is_said_with_et_and_escaped() -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["et"] = et
    render = env.from_string("{{ names|et }}").render
    assert render(names=["Léa Martin"]) == "Léa Martin"
    assert render(names=["Léa Martin", "Hugo Moreau"]) == "Léa Martin et Hugo Moreau"
    assert render(names=["A", "B", "C"]) == "A, B et C"
    assert render(names=[]) == ""
    assert render(names=["<b>Marc</b>", "Léa"]) == "&lt;b&gt;Marc&lt;/b&gt; et Léa"


def test_an_organisation_is_introduced_once() -> None:
    """Explorer M: « L'organisme Organisme de démonstration vous invite »."""
    env = jinja2.Environment(autoescape=True)
    env.filters["organisme"] = organisme
    render = env.from_string("{{ name|organisme }} vous invite").render
    assert render(name="Forma Plus") == "L'organisme Forma Plus vous invite"
    assert render(name="Organisme de démonstration") == "Organisme de démonstration vous invite"
    assert render(name="Forma & Co") == "L'organisme Forma &amp; Co vous invite"
    # Inside a sentence (explorer DE6: « l'administration de l'organisme Organisme de … »).
    inside = env.from_string("l'administration de {{ name|organisme(false) }}").render
    assert inside(name="Forma Plus") == "l'administration de l'organisme Forma Plus"
    assert inside(name="Organisme de démonstration") == (
        "l'administration de l'Organisme de démonstration"
    )


def test_a_bilan_de_fin_de_formation_is_not_said_of_the_formation_twice() -> None:
    """Explorer M: « au bilan de fin de formation de la formation « … » »."""
    env = jinja2.Environment()
    env.filters["de_la_formation"] = de_la_formation
    render = env.from_string("au {{ kind }}{{ kind|de_la_formation }} « Cariste »").render
    assert render(kind="bilan de fin de formation") == "au bilan de fin de formation « Cariste »"
    assert render(kind="bilan d'étape") == "au bilan d'étape de la formation « Cariste »"


def test_a_number_is_written_with_its_thousands_apart() -> None:
    """Explorer AD26: « Votre message est trop long (12979 caractères, pour 12000 au plus) »."""
    assert texts.number(12979) == "12\u202f979"
    assert texts.number(4000) == "4\u202f000"
    assert texts.number(999) == "999"
    assert texts.say("common.message_too_long", length=5000, limit=4000).startswith(
        "Votre message est trop long (5\u202f000 caractères, pour 4\u202f000 au plus)."
    )


def test_a_title_after_de_is_elided_across_its_quotes() -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["de_titre"] = texts.de_titre
    said = env.from_string("Stagiaires {{ t|de_titre }}")
    assert said.render(t="Agent de restauration") == "Stagiaires d'« Agent de restauration »"
    assert said.render(t="Cariste <b>") == "Stagiaires de « Cariste &lt;b&gt; »"


def test_a_period_of_one_day_is_said_as_its_day() -> None:
    """Explorer ED2, EE4: « du lundi 15 mars 2027 au lundi 15 mars 2027 »."""
    one = date(2027, 3, 15)
    assert texts.period_said(one, one) == "le lundi 15 mars 2027"
    assert texts.period_said(one, one, capital=True) == "Le lundi 15 mars 2027"
    assert (
        texts.period_said(one, date(2027, 6, 15)) == "du lundi 15 mars 2027 au mardi 15 juin 2027"
    )
    said = texts.say(
        "absence.ask_outside",
        d={
            "date": "2027-03-16",
            "name": "Karim Benali",
            "_outside": {"start": "2027-03-15", "end": "2027-03-15"},
        },
    )
    assert "(le lundi 15 mars 2027)" in said


@pytest.mark.parametrize(
    ("typed", "greeted"),
    [
        ("Mme Awa Diallo", "Madame Diallo"),
        ("Mme Claire Dubois", "Madame Dubois"),
        ("Madame Leroy", "Madame Leroy"),
        ("M. Jean de La Fontaine", "Monsieur de La Fontaine"),
        ("Mme Marie-Claire N'Diaye", "Madame N'Diaye"),
        ("Mme DUPONT Marie", "Madame DUPONT"),  # the name in capitals is the surname
        ("M. A. Girard", "Monsieur Girard"),
        ("Sophie Leroy", "Sophie Leroy"),  # no civility: as typed, already told apart
        ("Mme", "Mme"),
    ],
)
def test_a_forwarded_invitation_greets_by_civility_and_surname(typed: str, greeted: str) -> None:
    """Explorer HB6: two partners « Mme Awa Diallo » and « Mme Claire Dubois » got two
    invitations « Bonjour Madame, » differing only by their code: whose was whose, nothing
    said. A message forwarded by the trainer names its addressee."""
    assert texts.salutation(typed, named=True) == greeted


def test_a_message_of_text_alone_is_said_as_rendered_whatever_is_passed() -> None:
    """AP: a block with no name, tag or call in it is rendered once and kept; what it says is
    what rendering it says, with any values passed, and a block with a value still renders."""
    env = texts.environment()
    alone = 0
    for path in sorted((texts.TEMPLATES_DIR / "chat").glob("*.j2")):
        template = env.get_template(f"chat/{path.name}")
        for block, render in template.blocks.items():
            key = f"{path.stem}.{block}"
            if texts._message(env, key).constant is None:
                continue
            alone += 1
            rendered = "".join(render(template.new_context({"formation": "<b>"})))
            assert texts.say(key, formation="<b>") == texts._tidy(rendered)
    assert alone > 100
    assert texts._message(env, "formation.ask_kind").constant == "De quoi s'agit-il ?"
    assert texts._message(env, "formation.ask_title").constant is None
    assert texts.say("formation.ask_title", d={}).startswith("Créons la formation.")
    assert texts.say("formation.ask_title", d={"_fixing": 1}).startswith("Quel est le bon")


def test_a_message_is_tidied_as_both_substitutions_always_did() -> None:
    """AP: the substitutions are skipped where they cannot match; on any text, what comes
    out is what running them always gave."""
    import random
    import re

    blanks = re.compile(r"\n{3,}")
    double_stop = re.compile(r"(?<![.…])\.((?:</?(?:b|i|u|code)>)*)\.(?!\.)")

    def always(text: str) -> str:
        lines = [line.rstrip() for line in text.strip().splitlines()]
        return double_stop.sub(r".\1", blanks.sub("\n\n", "\n".join(lines)))

    draw = random.Random(14)
    pieces = [".", ".", "…", "<b>", "</b>", "<code>", "<i>", "\n", "\n", " ", "a", "é", "?", "<"]
    texts_drawn = ["".join(draw.choices(pieces, k=draw.randrange(1, 30))) for _ in range(20000)]
    texts_drawn += ["motif donné.\n\n\n\n.", "Fin <b>x.</b>.", "Trois... points.", "a.<i>.</i>"]
    assert [texts._tidy(t) for t in texts_drawn] == [always(t) for t in texts_drawn]


def test_a_reworded_file_keeps_the_shipped_words_of_the_blocks_it_leaves_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Explorer EB12: FORMABOT_TEMPLATES_DIR with chat/onboarding.j2 holding the one message
    reworded made every other message of the file fail, /start answered « quelque chose
    s'est mal passé » for everybody."""
    shipped = texts.say("onboarding.unknown_code")
    told = texts.say("onboarding.demo_only", command="formabot")  # one with names in it
    (tmp_path / "chat").mkdir()
    (tmp_path / "chat" / "onboarding.j2").write_text(
        "{% block first_welcome %}\nSalut ! Créons votre organisme.\n{% endblock %}\n"
    )
    monkeypatch.setenv("FORMABOT_TEMPLATES_DIR", str(tmp_path))
    texts.environment.cache_clear()
    try:
        assert texts.say("onboarding.first_welcome") == "Salut ! Créons votre organisme."
        assert texts.say("onboarding.unknown_code") == shipped
        assert texts.say("onboarding.demo_only", command="formabot") == told
        with pytest.raises(KeyError, match=r"no message 'nothing' in chat/onboarding\.j2"):
            texts.say("onboarding.nothing")
    finally:
        texts.environment.cache_clear()
