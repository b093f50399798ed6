"""What a person's or an organisation's name must look like when typed.

A name typed where one is asked ends up on documents (an attestation sur
l'honneur, a bilan's agenda): someone who has never used a bot types
« bonjour », « je comprends pas » or « c quoi ce truc » there, and that text
must not become their name.  :func:`reads_like_a_sentence` tells such a text
from a name without knowing every name: greetings, help words, personal
pronouns and verbs, question words, « j' », « c' », « qu' », a question mark.
Particles and short surnames (« de », « Le », « Ma », « Ou », « N'Diaye »,
« M'Bappé ») are no such words.
"""

from __future__ import annotations

import re

from bot import texts
from bot.answers import PARTICLES, Invalid, clean_line, fold, printable, printed_as_is
from bot.formations.labels import name_letters, unprintable

SENTENCE_WORDS = frozenset(
    {
        # greetings, thanks, help, yes and no: what a novice says to a bot
        *("bonjour", "bonsoir", "salut", "coucou", "hello", "hey", "merci", "aide", "aidez"),
        *("help", "svp", "stp", "ok", "okay", "oui", "non", "test"),
        # pronouns and verbs of a sentence about oneself or the bot
        *("je", "nous", "vous", "moi", "suis", "sommes", "etes", "sont", "avez", "avons"),
        *("comprends", "comprend", "compris", "sais", "sait", "veux", "peux", "dois", "faut"),
        *("faire", "arrive", "appelle", "connais"),
        # question words
        *("quoi", "pourquoi", "comment", "quel", "quelle", "quels", "quelles", "combien"),
        *("truc", "ceci", "cela"),
    }
)
"""Folded words that no person's or structure's name holds, and sentences do."""

NOT_IN_A_NAME = frozenset(
    {
        # a negation or an adverb of time: « pas le temps », « pas encore », « déjà fait »
        *("pas", "jamais", "rien", "aucun", "aucune", "deja", "encore", "toujours", "bientot"),
        *("maintenant", "tard", "hier", "demain", "aujourd", "ensuite", "trop"),
        # a wish or a thanks: « bonne soirée », « bonne journée », « ça marche »
        *("soiree", "journee", "semaine", "bienvenue", "bravo", "ca"),
        # what the bot and its link are made of: « erreur de lien », « en attente »
        *("erreur", "bug", "connexion", "attente", "identifiant", "formulaire"),
    }
)
"""Folded words no person's name holds, though a structure's may (« Pas-de-Calais »):
where a person's name is asked they make a sentence's fragment, never a name to keep
(explorer SB9: « pas le temps », « bonne soirée », « en attente » were offered as names)."""

_NOT_A_NAME = re.compile(r"\bmot(?:s)? de passe\b")
"""« mot de passe »: the link's trouble, no name (explorer SB9)."""

_ELISION = re.compile(r"(?:^|[\s,.;:!?])(?:j|c|qu)['’]\s*\w", re.IGNORECASE)
"""« j'ai », « c'est », « qu'est-ce »: a sentence (« d' », « l' », « N' », « M' » start names)."""

_NAME_CHARACTERS = re.compile(r"[^\W\d_]|[\s'’.,-]")
"""Letters, blanks, apostrophes, full stops (« J.-P. »), commas and hyphens."""

MAX_NAME_WORDS = 6
MAX_STRUCTURE_WORDS = 12


CIVILITIES = frozenset({"mme", "m", "mr", "madame", "monsieur", "mlle"})


def bare_name(name: str) -> str:
    """A name without its civility, case, accents or order: « Mme Sophie Leroy », « sophie
    LEROY » and « Leroy Sophie » are one person (explorer Y, Y6: « Benali Karim », surname
    first as French lists write it, passed for someone else than the trainee Karim Benali)."""
    words = fold(name).split()
    return " ".join(sorted(words[1:] if words and words[0] in CIVILITIES else words))


CIVILITY_WRITTEN = {"mme": "Mme", "madame": "Mme", "m": "M.", "mr": "M.", "monsieur": "M."}
CIVILITY_WRITTEN["mlle"] = "Mme"  # « Mademoiselle » has left the administration's letters


def as_written(name: str) -> str:
    """A name typed all in lower case or all in capitals, as it is written on a document:
    « sophie lemaitre » → « Sophie Lemaitre », « mme hélène roussel » → « Mme Hélène
    Roussel », « JEAN-PIERRE N'DIAYE » → « Jean-Pierre N'Diaye », « marie de la tour » →
    « Marie de la Tour » (explorer Z, Z9: printed as typed in every sworn attestation).
    A name in mixed case is the person's own spelling (« McDonald », « DUPONT Marie »): kept,
    its civility alone written the usual way."""
    words = name.split()
    civility = CIVILITY_WRITTEN.get(fold(words[0])) if len(words) > 1 else None
    if civility is not None:
        words = words[1:]
    letters = [ch for word in words for ch in word if ch.isalpha()]
    one_case = all(ch.islower() for ch in letters) or (
        all(ch.isupper() for ch in letters) and len(words) > 1
    )
    if letters and one_case:
        words = [_written_word(word, first=i == 0) for i, word in enumerate(words)]
    return " ".join([civility, *words] if civility else words)


def several_names(name: str) -> bool:
    """« Karim Benali, Léa Martin », « Mission locale de Caen, Julie Vasseur » (two words or
    more on both sides of a comma): more than one name, as a list's line or a partner's
    name; not « DUPONT, Marie » (a surname, then a first name)."""
    parts = [p.split() for p in name.split(",")]
    return len(parts) > 2 or (len(parts) == 2 and all(len(p) >= 2 for p in parts))


def trainee_name(name: str) -> str:
    """A trainee's name as the lists and attestations print it: :func:`as_written`, without
    a civility (« Mme Isabelle Caron » in a file's « Nom » column: explorer Z, Z9), which
    the bot never prints before a trainee's name."""
    words = name.split()
    if len(words) > 2 and fold(words[0]) in CIVILITIES:
        name = " ".join(words[1:])
    return as_written(name)


def _written_word(word: str, *, first: bool) -> str:
    """One word: a particle in lower case (not first), each part of « jean-pierre » and
    « n'diaye » up, « d'arc » as « d'Arc »."""
    if not first and fold(word) in PARTICLES:
        return word.lower()
    parts = []
    for part in word.split("-"):
        head, apostrophe, tail = part.partition("'") if "'" in part else part.partition("’")
        if apostrophe and tail:
            keep = not first and head.lower() in ("d", "l")
            head = head.lower() if keep else head[:1].upper() + head[1:].lower()
            parts.append(f"{head}{apostrophe}{tail[:1].upper()}{tail[1:].lower()}")
        else:
            parts.append(part[:1].upper() + part[1:].lower())
    return "-".join(parts)


def reads_like_a_sentence(line: str, *, max_words: int) -> bool:
    """A greeting, a question or a sentence rather than a name."""
    words = fold(line).split()
    return (
        "?" in line
        or "!" in line
        or len(line.split()) > max_words
        or any(word in SENTENCE_WORDS for word in words)
        or _ELISION.search(line) is not None
    )


def written_with(line: str, name: str) -> bool:
    """Every character of ``line`` may be in a name, or is in ``name`` (an invited name's
    own signs, however unusual): « Hugo Moreau 😀 » is not Hugo Moreau's signature."""
    return all(_NAME_CHARACTERS.fullmatch(ch) or ch in name for ch in line)


def reads_like_a_name(line: str) -> bool:
    """Plausibly a person's name: letters (and « - ' . , »), a few words, no sentence, no
    word no name holds (:data:`NOT_IN_A_NAME`, explorer SB9)."""
    folded = fold(line)
    return (
        any(ch.isalpha() for ch in line)
        and all(_NAME_CHARACTERS.fullmatch(ch) for ch in line)
        and not reads_like_a_sentence(line, max_words=MAX_NAME_WORDS)
        and not set(folded.split()) & NOT_IN_A_NAME
        and _NOT_A_NAME.search(folded) is None
    )


def reads_like_someone(line: str) -> bool:
    """Written as a person's name is, where a name is not asked: two to four words, each with a
    capital first (« Jean Dupont », « Mme Sophie Leroy »); not « Raison personnelle », not
    « Pôle emploi » (explorer UC1: another's name saved as the reason for not taking part),
    nor common nouns capitalised (« Entretien Embauche »: :data:`COMMON_NOUNS`, XA17)."""
    words = line.split()
    return (
        2 <= len(words) <= 4
        and all(word[:1].isupper() for word in words)
        and reads_like_a_name(line)
        and not names_a_structure(line)
        and not set(re.split(r"[\s'-]+", fold(line))) & COMMON_NOUNS
    )


COMMON_NOUNS = frozenset(
    {
        *("entretien", "embauche", "rendez", "rdv", "medecin", "greve", "travail", "emploi"),
        *("stage", "examen", "concours", "formation", "cours", "permis", "code", "conduite"),
        *("maladie", "malade", "enfant", "famille", "familial", "familiale", "deces"),
        *("obseques", "mariage", "demenagement", "transport", "transports", "train", "bus"),
        *("voiture", "panne", "retard", "urgence", "hopital", "dentiste", "convocation"),
        *("tribunal", "administratif", "administrative", "raison", "personnelle", "motif"),
        *("empechement", "imprevu", "mission", "interim", "contrat", "job"),
    }
)
"""Folded common nouns (and a few adjectives) of a reason: written with capitals, still no
person's name (explorer XA17: « Entretien Embauche » questioned as someone's name). Only
where a name is not asked: at a name question, a surname may be any of them."""


def person_name(text: str, *, example: str, unclear: str | None = None) -> str | Invalid:
    """A person's name as typed (one line, with letters); ``example`` shows one in the re-ask.

    What is not plausibly a name (:func:`reads_like_a_name`) is refused with
    ``unclear`` when given (a dialogue's own, already rendered, explanation),
    else with the common one.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:  # a list pasted a question too early is no one's name (explorer U U3)
        return Invalid(texts.say("onboarding.several_names", count=len(lines), example=example))
    name = clean_line(text, limit=100)
    if isinstance(name, Invalid):
        return name
    name = name_letters(name)  # « 𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱 » is « Marie Dupont », as a trainee's (AK4)
    if not any(ch.isalpha() for ch in name):
        return Invalid(unclear or texts.say("onboarding.name_needs_letters", example=example))
    if set(re.findall(r"[^\W\d_]+", fold(name))) <= CIVILITIES | {"mademoiselle"}:
        # « Mme » alone: printed « Bonjour Mme, » and « Pour la Région : Mme » (explorer AD5).
        return Invalid(texts.say("onboarding.civility_alone", typed=name, example=example))
    if not reads_like_a_name(name):
        return Invalid(
            unclear or texts.say("onboarding.not_a_name", typed=name[:40], example=example)
        )
    if letters := unprintable(name):
        # Printed « ? » on the attestation, the agenda, the compte rendu: refused as a
        # trainee's is (explorer AK4; fixer KD: a partner « 王芳 » was taken).
        said = {"typed": name[:40], "letters": letters[:10], "example": example}
        return Invalid(texts.say("onboarding.name_unprintable", **said))
    return as_written(name)


def structure_name(text: str, *, unclear: str) -> str | Invalid:
    """A structure's name (« Mission locale de Caen », « CIDFF 14 »): two letters at least,
    digits and signs allowed, but no sentence (``unclear``, rendered, says so)."""
    name = clean_line(text, limit=150)
    if isinstance(name, Invalid):
        return name
    if not printed_as_is(name) or not printable(name):
        # Printed as is on the sworn attestation and the documents (explorer DF6:
        # « =HYPERLINK(…) » and « Mission locale 🎉 » were taken, « <i>…</i> » refused unsaid).
        return Invalid(texts.say("common.structure_signs"))
    if (
        len([line for line in text.splitlines() if line.strip()]) > 1
        or sum(ch.isalpha() for ch in name) < 2
        or reads_like_a_sentence(name, max_words=MAX_STRUCTURE_WORDS)
    ):
        return Invalid(unclear)
    return name


_NO_STRUCTURE = re.compile(
    r"(?:aucune?|rien|neant|sans|pas de|personne|je n en ai pas|je n ai pas de)"
    r"(?: structure)?(?: particuliere)?"
)


def structure_refused(line: str, own_name: str) -> str | None:
    """Why a partner's answer at « Quelle structure représentez-vous ? » cannot be sworn as
    her structure: ``own`` (her own name, or a part of it with a civility: « Mme Vasseur »),
    ``none`` (« aucune », « sans structure », « néant »); ``None`` when it may be one
    (explorer UC8: « pour la structure « Julie Vasseur » » in the sworn text)."""
    typed = fold(line)
    if _NO_STRUCTURE.fullmatch(typed):
        return "none"
    own = {word for word in fold(own_name).split() if len(word) > 1}
    words = [word for word in typed.split() if word not in CIVILITIES]
    return "own" if words and own and set(words) <= own else None


_NAMED_STRUCTURES = "pole emploi|france travail|mission locale|cap emploi|apec|cidff|afpa|epide"
"""The structures whose name no person bears (folded; not « Centre », « Greta »: names too)."""

STRUCTURE_HEAD = re.compile(
    rf"^(?:{_NAMED_STRUCTURES}|greta|plie|association|agence"
    r"|conseil (?:departemental|regional)|maison de|centre)\b"
)
"""How the structures that orient or accompany trainees begin (folded): where a person's name
is asked, « Pôle emploi » is no one (explorer AD14)."""


def names_a_structure(name: str) -> bool:
    return STRUCTURE_HEAD.match(fold(name)) is not None


_STRUCTURE_NAMED = re.compile(rf"^(?:{_NAMED_STRUCTURES})\b")


def name_and_structure(name: str) -> tuple[str, str] | None:
    """A person's name followed by her structure, each as typed (« Mme Durand Pole Emploi
    Caen » → « Mme Durand », « Pole Emploi Caen »), or ``None``: the whole was printed as her
    name on the agenda and the letter to the Région (explorer DG9)."""
    words = name.split()
    for cut in range(1, len(words)):
        if _STRUCTURE_NAMED.match(fold(" ".join(words[cut:]))):
            return " ".join(words[:cut]), " ".join(words[cut:])
    return None


POLE_EMPLOI = re.compile(r"^\s*p[ôo]le[\s-]*emploi\b", re.IGNORECASE)


def current_structure(name: str) -> str:
    """A structure under its current name: Pôle emploi is France Travail since 1 January 2024
    (« Pôle emploi Caen » → « France Travail Caen »), as a careful writer puts it."""
    return POLE_EMPLOI.sub("France Travail", name, count=1)


ORGANISATION_SIGNS = " '’-–—.,&()/+:°"
"""What an organisation's name holds besides letters and digits (« AFPA – Caen » typed with a
plain hyphen, « Forma+ », « OF Horizon (Rouen) »)."""


def organisation_name(text: str) -> str | Invalid:
    """The organisation's name: printed on every attestation, invitation and document, so no
    markup nor emoji (explorer J: « <b>Org</b> & Cie 😀 » went into the Région's PDFs)."""
    name = clean_line(text, limit=120)
    if isinstance(name, Invalid):
        return name
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return Invalid(texts.say("onboarding.org_name_too_short"))
    if not all(ch.isalnum() or ch in ORGANISATION_SIGNS for ch in name):
        return Invalid(texts.say("onboarding.org_name_signs"))
    return name


_INTRODUCING = re.compile(
    r"^\s*(?:(?:euh|heu|alors|oui|allo|allô)\s*[,.!]*\s+)*"  # dictated (KE8)
    r"(?:(?:bonjour|bonsoir|salut|coucou)(?:\s+(?:madame|monsieur))?\s*[,.!]*\s*)?"
    r"(?:(?:je\s+m['’]\s*appelle|je\s+suis|moi\s*,?\s*c['’]\s*est|c['’]\s*est"
    r"|mon\s+nom\s+(?:est|c['’]\s*est))\s*:?\s+)?",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"(?:\s*,?\s*[àa]\s+l['’]\s*appareil)?"  # « … c'est Hugo Moreau à l'appareil » (KE8)
    r"(?:\s*,\s*(?:(?:le|la)\s+)?d[ée]l[ée]gu[ée]e?(?:\s+des\s+stagiaires)?)?"
    r"(?:\s*,?\s*(?:merci|svp|stp|s['’]\s*il\s+vous\s+pla[iî]t))*\s*[!.]*\s*$",
    re.IGNORECASE,
)
"""« Léa Martin, déléguée », « Léa Martin merci », « Léa Martin svp » (explorer UA9); « … à
l'appareil », and « euh oui bonjour c'est … » before it, as a dictated message writes them
(explorer KE8: passed on to the trainer as a message, the name asked again)."""


def introduced_name(text: str) -> str:
    """``text`` without the words that introduce a name or follow it: « Bonjour, je m'appelle
    Léa Martin », « je suis Léa Martin », « moi c'est Léa Martin », « Léa Martin ! », « Léa
    Martin, déléguée », « Léa Martin merci » give « Léa Martin » (explorer QB11, UA9: « Je n'ai pas compris », or a
    sworn name « Léa Martin, déléguée »). What is left may be no name (« je suis perdu »):
    the caller compares it with the name expected."""
    rest = _CLOSING.sub("", text[_INTRODUCING.match(text).end() :])  # type: ignore[union-attr]
    return rest if rest.strip() else text
