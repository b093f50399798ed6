"""Reading an absence written as a sentence: "Karim absent hier matin"."""

from __future__ import annotations

import pytest

from bot.absences.leaving import read_early_leaving, read_left_sentence
from bot.absences.sentence import read_absence_sentence


@pytest.mark.parametrize(
    ("typed", "names", "line"),
    [
        ("Karim absent hier matin", ("Karim",), "Karim hier matin"),
        ("karim benali est absent ce matin", ("karim benali",), "karim benali ce matin"),
        ("Léa absente toute la journée.", ("Léa",), "Léa toute la journée"),
        ("Julie en retard de 20 min ce matin", ("Julie",), "Julie retard de 20 min ce matin"),
        ("Absence de Karim Benali hier matin", ("Karim Benali",), "Karim Benali hier matin"),
        ("retard d’Éloïse ce matin", ("Éloïse",), "Éloïse retard ce matin"),
        ("Nadia absente", ("Nadia",), "Nadia"),
        ("Karim et Julie absents hier matin", ("Karim", "Julie"), "Karim hier matin"),
        ("Karim, Julie absents lundi", ("Karim", "Julie"), "Karim lundi"),
        ("KARIM absent le 3 Décembre", ("KARIM",), "KARIM le 3 Décembre"),
        # What a trainer in a hurry types.
        ("Julie pas venue lundi", ("Julie",), "Julie lundi"),
        ("Karim n'est pas venu hier", ("Karim",), "Karim hier"),
        ("Karim et Julie ne sont pas venus ce matin", ("Karim", "Julie"), "Karim ce matin"),
        ("Karim pas là ce matin", ("Karim",), "Karim ce matin"),
        ("Karim abs hier matin", ("Karim",), "Karim hier matin"),
        ("Karim absnt hier", ("Karim",), "Karim hier"),
        ("Karim abscent hier", ("Karim",), "Karim hier"),
        ("Julie absente du 1er au 3 décembre", ("Julie",), "Julie du 1er au 3 décembre"),
        ("absence de Karim du 1er au 3", ("Karim",), "Karim du 1er au 3"),
        ("abs karim hier matin", ("karim",), "karim hier matin"),  # explorer U U13
        # The verbs a sentence puts before a late arrival (explorer I: « Julie a eu » was a name).
        ("Julie a eu 15 min de retard hier", ("Julie",), "Julie retard de 15 min hier"),
        ("Julie avait 15 min de retard hier", ("Julie",), "Julie retard de 15 min hier"),
        ("Julie a 10 min de retard ce matin", ("Julie",), "Julie retard de 10 min ce matin"),
        (
            "Julie est arrivée avec 15 min de retard hier",
            ("Julie",),
            "Julie retard de 15 min hier",
        ),
        ("Julie est arrivée en retard hier", ("Julie",), "Julie retard hier"),
        ("Léa et Hugo ont eu 1h de retard", ("Léa", "Hugo"), "Léa retard de 60 min"),
        # Explorer L: the word orders a trainer uses too.
        (
            "Julie est arrivée 15 min en retard ce matin",
            ("Julie",),
            "Julie retard de 15 min ce matin",
        ),
        ("Julie a eu du retard hier", ("Julie",), "Julie retard hier"),
        # « N' » begins a name, it is no negation (explorer L).
        ("Aminata N'Diaye en retard hier", ("Aminata N'Diaye",), "Aminata N'Diaye retard hier"),
        ("N'Diaye a eu 15 min de retard hier", ("N'Diaye",), "N'Diaye retard de 15 min hier"),
        (
            "Julie est encore arrivée avec 15 min de retard hier",
            ("Julie",),
            "Julie retard de 15 min hier",
        ),
        # Explorer L: « ne … que » says how much; a length in words; a day to come (refused
        # after, the name known); the one said to be on time is no one to note.
        ("Julie n'a eu que 5 min de retard hier", ("Julie",), "Julie retard de 5 min hier"),
        ("Julie n'a eu qu'un quart d'heure de retard", ("Julie",), "Julie retard de 15 min"),
        ("Julie a eu un quart d'heure de retard hier", ("Julie",), "Julie retard de 15 min hier"),
        (
            "Julie en retard d'une demi-heure ce matin",
            ("Julie",),
            "Julie retard de 30 min ce matin",
        ),
        ("Julie a eu trois quarts d'heure de retard", ("Julie",), "Julie retard de 45 min"),
        ("Julie a eu une heure de retard hier", ("Julie",), "Julie retard de 60 min hier"),
        ("Julie sera en retard de 15 min demain", ("Julie",), "Julie retard de 15 min demain"),
        ("Julie arrivera en retard demain", ("Julie",), "Julie retard demain"),
        # Explorer N: hyphenated numbers, « et quart », five digits.
        ("Karim en retard de dix-huit minutes hier", ("Karim",), "Karim retard de 18 min hier"),
        ("Karim a eu dix-huit minutes de retard hier", ("Karim",), "Karim retard de 18 min hier"),
        ("Karim en retard de deux heures et quart", ("Karim",), "Karim retard de 135 min"),
        ("Karim en retard de 10000 minutes hier", ("Karim",), "Karim retard de 10000 min hier"),
        (
            "Julie était à l'heure, Karim en retard de 10 min",
            ("Karim",),
            "Karim retard de 10 min",
        ),
        ("Julie était présente, Karim absent hier", ("Karim",), "Karim hier"),
    ],
)
def test_sentences_that_report_an_absence(typed: str, names: tuple[str, ...], line: str) -> None:
    sentence = read_absence_sentence(typed)
    assert sentence is not None
    assert (sentence.names, sentence.line) == (names, line)


@pytest.mark.parametrize(
    "typed",
    [
        "Bonjour",
        # Whom a greeting addresses is never a trainee (explorer CB4, CB12).
        "Bonjour à tous, absent hier",
        "Bonjour Monsieur, en retard ce matin Karim",
        # A late arrival denied is none (explorer L: « Julie n'est pas » taken for a name).
        "Julie n'est pas arrivée en retard hier",
        "Julie est arrivée en retard hier ? non pas du tout",
        "Julie n'était jamais en retard",
        "Julie a eu 0 min de retard hier",
        "je suis absent demain",
        "il est absent",
        "les stagiaires sont absents",
        "absent",
        "Karim 3 absent",
        "",
        "x" * 5000 + " absent hier",
        "Karim\nabsent hier",
        "liste des absences",
        "<b>Karim</b> absent hier",
        "Karim pas la peine",
        "Karim absolument pas",
        "Karim abstention",
        # Explorer L: nothing to note any more; a sentence that corrects itself.
        "Julie n'est plus en retard",
        "Karim n'est plus absent",
        "Julie a eu 15 min de retard hier, non en fait c'était Karim",
        "Julie était à l'heure",
        # What the bot deals in, or a question, is no trainee late (explorer BG13: « Je ne
        # trouve pas « echeances » parmi vos stagiaires »).
        "echeances en retard",
        "les échéances en retard ?",
        "bilan en retard",
        "qu'est ce qui est en retard",
        "quoi en retard",
    ],
)
def test_other_text_is_not_an_absence(typed: str) -> None:
    assert read_absence_sentence(typed) is None


@pytest.mark.parametrize(
    ("typed", "rest", "reason"),
    [
        ("Julie a eu 15 min de retard hier à cause du bus", "hier", "à cause du bus"),
        ("Karim absent ce matin car malade", "ce matin", "malade"),
        ("Karim absent hier, parce qu'il était malade", "hier", "il était malade"),
        ("Karim absent hier, justifié car malade", "hier, justifié car malade", None),
        # What is said after the day's comma is its motive, not a second day (explorer AY5);
        # more days or a half-day after the comma stay the day's words.
        ("Karim absent hier, mardi il revient", "hier", "mardi il revient"),
        ("Karim absent hier, pas de nouvelles", "hier", "pas de nouvelles"),
        ("Karim absent lundi, mardi et mercredi", "lundi, mardi et mercredi", None),
        ("Karim absent hier, le matin", "hier, le matin", None),
        ("Julie absente lundi, 20 min de retard", "lundi, 20 min de retard", None),
        # A retard's « depuis » is its motive, today's retard (explorer AZ2); an absence's
        # is days to read (AY6).
        ("Karim en retard aujourd'hui, malade depuis jeudi", "aujourd'hui", "malade depuis jeudi"),
        ("Karim absent aujourd'hui, malade depuis jeudi", "aujourd'hui, malade depuis jeudi", None),
        # Greetings and sign-offs name no one and say no motive (explorer AZ14, AZ15).
        ("Bonjour Camille, Karim absent hier", "hier", None),
        ("Bonjour à tous, Karim absent hier, merci", "hier", None),
        ("Bjr, Karim absent aujourd'hui, bonne journée !", "aujourd'hui", None),
        ("Karim absent hier, pas de nouvelles. Bonne soirée", "hier", "pas de nouvelles"),
        # Explorer CA: a day with its adverb is a day, several days then a motive, the person
        # greeted the subject when nobody follows, sign-offs the list knows in any form.
        ("Julie absente vendredi, lundi aussi", "vendredi, lundi aussi", None),
        ("Julie absente jeudi, vendredi, malade", "jeudi, vendredi", "malade"),
        ("Bonjour Karim, absent hier", "hier", None),
        ("Bonjour Julie, en retard de 20 minutes ce matin", "ce matin", None),
        ("Karim absent hier, très bonne journée", "hier", None),
        ("Karim absent hier, merci et bonne journée à tous", "hier", None),
        ("Julie absente vendredi, 1/2 journée", "vendredi, 1/2 journée", None),
        ("Karim absent hier, bonne soirée à toi", "hier", None),  # explorer CB15
        ("Karim absent hier, bien à vous", "hier", None),
        # A retard's length after its comma is the retard's, not a motive (explorer CB13).
        ("Karim en retard ce matin, 20 minutes", "ce matin, 20 minutes", None),
        ("Karim en retard ce matin, 20 min, le bus", "ce matin, 20 min", "le bus"),
        # Number words in a reason stay as typed (explorer N: « de 7 heures », accents lost).
        (
            "Karim absent hier matin car il a raté le train de sept heures",
            "hier matin",
            "il a raté le train de sept heures",
        ),
    ],
)
def test_a_reason_said_in_the_sentence_is_kept_apart(
    typed: str, rest: str, reason: str | None
) -> None:
    """Explorer L: « hier à cause du bus » was shown back as the day, the reason asked after;
    after « justifié » the reason is read as before (:func:`split_reason`)."""
    sentence = read_absence_sentence(typed)
    assert sentence is not None
    assert (sentence.rest, sentence.reason) == (rest, reason)


@pytest.mark.parametrize(
    ("typed", "future"),
    [
        ("Julie sera absente lundi", True),
        # The verb's own future, not a word further on (explorer N).
        ("Karim absent hier, sera rattrapé", False),
        ("Karim absent hier matin, il sera absent lundi aussi", False),
        ("Julie arrivera en retard demain", True),
        ("Karim et Julie seront absents vendredi", True),
        ("Julie était absente lundi", False),
        ("Julie absente lundi", False),
    ],
)
def test_a_sentence_said_to_come_is_marked(typed: str, future: bool) -> None:
    """Explorer M: « sera absente lundi » was last Monday's absence."""
    sentence = read_absence_sentence(typed)
    assert sentence is not None and sentence.future is future


@pytest.mark.parametrize(
    ("typed", "names", "rest", "reason"),
    [
        ("zoé était malade vendredi, elle a un arrêt", ("zoé",), "vendredi", "arrêt maladie"),
        ("Karim malade hier", ("Karim",), "hier", "malade"),
        ("Julie est malade", ("Julie",), "", "malade"),
    ],
)
def test_someone_ill_is_an_absence_with_its_motive(
    typed: str, names: tuple[str, ...], rest: str, reason: str
) -> None:
    """Explorer Z, Z4: « Je ne suis pas sûr de ce que vous voulez faire »."""
    sentence = read_absence_sentence(typed)
    assert sentence is not None
    assert (sentence.names, sentence.rest.strip(), sentence.reason) == (names, rest, reason)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("joao a abandonné hier", "joao"),
        ("Zoé Petit a quitté la formation", "Zoé Petit"),
        ("Karim a arrêté le stage", "Karim"),
        ("je suis malade", None),
        ("il a abandonné", None),
        ("Karim absent hier", None),
        # Told ahead with the job found (explorer HB2); an hour in the job's clause is no
        # leaving early, one right after the verb is.
        ("Inès a trouvé un CDI, elle arrête lundi", "Inès"),
        ("Inès arrête lundi, elle a trouvé un CDI", "Inès"),
        ("hugo a trouvé un cdi il arrete", "hugo"),  # no comma (explorer BG16)
        ("hugo a trouvé un cdi et il arrete vendredi", "hugo"),
        ("Julie quitte la formation vendredi, elle a trouvé un CDI à 35h", "Julie"),
        ("Julie a quitté la formation à 15h hier", None),
        ("Julie quitte à 16 h vendredi", None),
        ("Inès a trouvé un CDI", None),
        # Leaving for good said naturally (explorer IA1): its formation however named;
        # anything else left or given up is no formation.
        ("Julie abandonne sa formation", "Julie"),
        ("Julie abandonne sa formation, elle a trouvé un CDI", "Julie"),
        ("Julie abandonne le dispositif", "Julie"),
        ("Julie arrête son stage", "Julie"),
        ("Julie quitte le dispositif", "Julie"),
        ("Julie abandonne la formation le 15 décembre", "Julie"),
        ("Julie a quitté sa formation", "Julie"),
        ("Julie a quitté la formation le 15 décembre", "Julie"),
        ("Julie abandonne l'exercice", None),
        ("Julie a abandonné l'exercice", None),
        ("Julie a quitté la salle", None),
        ("Julie a quitté la salle à 15h", None),
        # The formation named and words that say it is for good: an exit, not a half-day's
        # absence, whatever hour is said (explorer JA5).
        ("Karim a quitté la formation hier à 15h, il ne reviendra pas", "Karim"),
        ("Karim a quitté la formation hier à 15h, il ne reviendra plus", "Karim"),
        ("Karim a quitté la formation à 10h ce matin, il abandonne", "Karim"),
        ("Karim quitte la formation vendredi à midi, il a trouvé un CDI", "Karim"),
        ("Karim quitte la formation vendredi à 12h, il a trouvé un CDI", "Karim"),
        ("Julie a quitté la formation définitivement hier à 15h", "Julie"),
        ("Julie arrête le stage à midi jeudi", None),
        ("Julie quitte la formation à 15h aujourd'hui pour un rdv médical", None),
        # Stopping the formation on a day said before the hour is an exit (explorer JA5, the
        # lead's decision after JB2); with the hour right after, the day's leaving early.
        ("Karim arrête la formation le 4 décembre à midi", "Karim"),
        ("Karim arrêtera la formation vendredi à 16h", "Karim"),
        ("Karim va arrêter la formation lundi à 10h", "Karim"),
        ("Karim arrête la formation à 15h", None),
        # An hour alone, wherever the day is, is a leaving early (explorer JB2: these were
        # pointed to the exit with « Abandon »).
        ("Julie a quitté la formation hier à 15h pour un rdv", None),
        ("Julie quitte la formation demain à 15h pour un rdv médical", None),
        ("Julie a quitté la formation à 15h, elle ne reviendra pas aujourd'hui", None),
        ("Julie a quitté la formation à 15h, elle ne reviendra pas de la journée", None),
        ("Julie a quitté la session de ce matin à 11h", None),
        ("Karim a quitté la formation ce matin à 11h pour un rdv", None),
        ("Julie a quitté la formation vendredi à 16h, elle avait un rdv médical", None),
        ("Karim quitte le stage lundi à 10h pour un rdv", None),
    ],
)
def test_a_trainee_who_left_is_read_apart(typed: str, name: str | None) -> None:
    assert read_left_sentence(typed) == name
    assert typed != "je suis malade" or read_absence_sentence(typed) is None


@pytest.mark.parametrize(
    ("typed", "names", "rest", "reason", "future"),
    [
        ("Julie est partie à 16h hier", ("Julie",), "hier après-midi", "départ à 16 h", False),
        (
            "Julie partie plus tôt hier",
            ("Julie",),
            "hier",
            "départ avant la fin de la séance",
            False,
        ),
        ("Léa est partie à midi", ("Léa",), "cet après-midi", "départ à midi", False),
        ("Nadia partira à 15h demain", ("Nadia",), "demain après-midi", "départ à 15 h", True),
        ("Karim va partir vers 10h30 jeudi", ("Karim",), "jeudi", "départ vers 10 h 30", True),
        (
            "Karim et Léa sont partis à 15h30 hier, bus",
            ("Karim", "Léa"),
            "hier après-midi",
            "départ à 15 h 30, bus",
            False,
        ),
        # The day after the reason (explorer JA6: noted today, « hier » in the motive), and
        # after a bare hour (JA4).
        (
            "Julie est partie à 16h pour un rdv hier",
            ("Julie",),
            "hier après-midi",
            "départ à 16 h pour un rdv",
            False,
        ),
        (
            "Julie est partie à 16h hier pour un rdv",
            ("Julie",),
            "hier après-midi",
            "départ à 16 h pour un rdv",
            False,
        ),
        (
            "Julie est partie à 16h pour un rdv vendredi dernier",
            ("Julie",),
            "vendredi dernier après-midi",
            "départ à 16 h pour un rdv",
            False,
        ),
        # Any other day that ends the reason is the appointment's: it stays in the motive
        # (explorer JB3: the morning noted for a 16 h departure, « demain » refused as to
        # come, « du 3 » not understood).
        (
            "Julie est partie à 16h pour un rdv lundi matin",
            ("Julie",),
            "cet après-midi",
            "départ à 16 h pour un rdv lundi matin",
            False,
        ),
        (
            "Julie est partie à 16h pour un rdv chez France Travail demain",
            ("Julie",),
            "cet après-midi",
            "départ à 16 h pour un rdv chez France Travail demain",
            False,
        ),
        (
            "Julie est partie à 16h pour un rdv avec sa conseillère du 3",
            ("Julie",),
            "cet après-midi",
            "départ à 16 h pour un rdv avec sa conseillère du 3",
            False,
        ),
    ],
)
def test_a_leaving_early_is_read_as_the_half_day_s_absence(
    typed: str, names: tuple[str, ...], rest: str, reason: str, future: bool
) -> None:
    """Explorer HB2: « Je ne suis pas sûr … » for each of them."""
    sentence = read_early_leaving(typed)
    assert sentence is not None and sentence.leaving
    assert (sentence.names, sentence.rest, sentence.reason, sentence.future) == (
        names,
        rest,
        reason,
        future,
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Julie est partie hier",  # no hour, no « plus tôt »: nothing says it was early
        "elle est partie à 16h hier",
        "Julie est partie à 25h hier",  # no such hour
        "Julie quitte la formation vendredi",
        "Julie quitte la formation avant la fin, elle a trouvé un emploi",
    ],
)
def test_what_is_no_leaving_early(typed: str) -> None:
    assert read_early_leaving(typed) is None
