"""A sentence outside any conversation that no feature understood: the closest commands.

    Vous je voudrais créer une nouvelle formation
    Bot  Vous voulez peut-être :
         /formation : créer une formation
    Vous comment je fais pour les vacations du mois
    Bot  Vous voulez peut-être :
         /vacations : compter les vacations …

Tried after every feature's own reader (the absence sentence, …), and
before the engine's: "aide" without its slash, a command misspelt, the idle
answer.  A command is close when the words typed share their stems (their
first five letters, accents folded) with its name, its summary or its menu
label; only the best ones are offered, and only commands this person may
use.  One command of the day-to-day work (:data:`_OPENED`) that the words point
to alone is opened, its list or its first question at once (explorer BG1: « c'est
quoi les échéances cette semaine » was told to type /echeances); any other, or
several, the person types.  Inside a dialogue nothing opens: a guess never leaves
the question in hand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers import fold
from bot.conversations.kit.context import Context
from bot.conversations.kit.date_step import SAID_SENTENCE, names_a_day, said_ahead
from bot.conversations.kit.flow import Leave, Outcome, Switch
from bot.manifest import Command
from bot.storage.people import Role

_STOP = {
    *("voudrais", "voudrait", "veux", "veut", "faire", "comment", "pour", "avec", "dans"),
    *("mais", "alors", "aussi", "bien", "bonjour", "merci", "svp", "plait", "quoi", "quel"),
    *("quelle", "quels", "quelles", "est", "sont", "nous", "vous", "votre", "notre", "mon"),
    *("une", "des", "les", "cette", "tout", "tous", "toute", "toutes", "plus", "moins", "peux"),
    *("fait", "faut", "peut", "quand", "aujourd", "demain", "hier", "avoir", "etre", "chez"),
    # « j'ai appelé la mission locale »: a call made, not /appel, the roll call (explorer KF2)
    *("appele", "appelee", "appeles", "appelees", "appeler", "appelle", "appelles", "appellent"),
}


_ALSO = {
    "decrochage": "stagiaire vient venue nouvelles abandonne decroche lache motivation",
    "absence": "stagiaire absent absente retard venu",
    # « relance les délégués », « Léa a pas reçu le lien »: what /attestations does (BG14)
    "attestations": "relance relancer relancez recu recue renvoie renvoyer delegues",
}
"""How trainers say what a command is for, beyond its summary (explorer AW1: « j'ai un stagiaire
qui ne vient plus » was offered /effacer and /suivi, never /decrochage)."""
_WINS = {
    "attestations": {
        *("signer", "signe", "signee", "signees", "signez", "signent", "signature", "signatures"),
        *("emarger", "emarge", "emargement", "emargements", "attestation", "attestations"),
        *("attester", "atteste", "attestee", "attestent"),
    },
    # « echeances en retard »: the deadlines', not a trainee's (explorer BG13)
    "echeances": {"echeance", "echeances", "deadline", "deadlines"},
}
"""Words that name one command's business outright (explorer QB4: « qui n'a pas signé ? » was
offered /suivi alone, its « signes » of a décrochage sharing the stem « signe »): a sentence
holding one of them (compared whole, « signes » stays ambiguous) gets that command first."""
_BILAN_MOVED = re.compile(
    r"\b(?:decal|depla|repor|repou|annul|avanc|chang)[a-z]*\b|\bbouger\b|\bbouge\b"
)
"""« décale le bilan à mardi », « le bilan est reporté », « annule le bilan »: /bilans."""
_BILAN_WHEN = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|demain|aprem|apres-midi|matin|prochaine?"
    r"|semaine|programm[a-z]*|planifi[a-z]*|organis[a-z]*|prevoi[a-z]*|caler|cale|fixer"
    r"|\d{1,2}\s*h\s*\d{0,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b"
)
"""A day, an hour or « programme » said with a bilan: one to schedule, /bilan."""


_DONE = re.compile(
    r"\b(?:envoye|rendu|transmis|termine|fini)e?s?\b"
    r"|\b(?:c|c est|cest|est|sont|deja|bien|j ai|ai|a)\s+(?:deja\s+|bien\s+)?faite?s?\b|\bfaite?s?$"
)
"""« j'ai envoyé le bilan pédagogique », « c fait pour le bilan », « bilan fait »: a deadline done,
to mark in /echeances (explorer KF9: « c fait pour le bilan » was offered /attestations, /bilan and
/bilans); « comment on fait le bilan » is none."""
_ASKS_HOW = re.compile(r"\b(?:comment|quoi|qu est ce|que faire)\b")
"""« pour le bilan, comment on fait ? », « qu'est-ce qu'on a fait au bilan ? »: a question, no
deadline done (review LD3: the deadlines were opened, to mark one done)."""
_TO_DO = re.compile(
    r"\b(?:quoi|que j ai|qu il y a|y a|j ai|il reste|reste|qqch|quelque chose)\s+a\s+faire\b"
    r"|\ba\s+faire\s+(?:cette|ce|la|aujourd|demain|pour\s+(?:cette|la|demain|aujourd))\b"
    r"|\bmes\s+taches\b|\bto\s*do\b"
)
"""« quoi a faire cette semaine », « qu'est-ce que j'ai à faire », « ce qu'il reste à faire »: the
deadlines, /echeances (explorer KF8: « Je ne suis pas sûr de ce que vous voulez faire »)."""
_ANSWERED = re.compile(
    r"\bqui\s+(?:n\s+)?a\s+(?:pas\s+)?(?:deja\s+)?repondu\b|\bont\s+(?:pas\s+)?(?:tous\s+|toutes\s+)?repondu\b"
    r"|\b(?:tout\s+le\s+monde|personne)\s+(?:n\s+)?a\s+(?:pas\s+)?repondu\b|\bzip\b"
    r"|\bdossier\s+de\s+preuves?\b"
)
"""« qui a répondu ? », « ils ont tous répondu ? », « le zip pour la région »: who answered the
invitation to attest, the proofs' bundle: /attestations (explorer KF13: « Je ne suis pas sûr … »)."""


def _bilan_wins(folded: str, whole: set[str]) -> str | None:
    """The command a sentence about a bilan names outright (explorer BG2: « bilan avec la
    région jeudi 14h » was offered /attestations, /bilan and /bilans alike); none when it
    speaks of signatures (the attestations') or of no bilan."""
    if not whole & {"bilan", "bilans"} or whole & _WINS["attestations"]:
        return None
    if _DONE.search(folded) and not _ASKS_HOW.search(folded):  # « Envoyer le bilan … », done
        return "echeances"
    if _BILAN_MOVED.search(folded):
        return "bilans"
    return "bilan" if _BILAN_WHEN.search(folded) else None


_OTHER_PAPERS = {
    *("contrat", "contrats", "convention", "conventions", "avenant", "avenants", "devis"),
    *("facture", "factures", "cerfa", "charte", "reglement", "cheque", "cheques", "bail"),
}
"""Papers a trainee or a firm signs that are no attestation (explorer CB3: « il faut signer le
contrat de Karim » opened /attestations): a signature of one of them points to no command, the
usual answer asks what is wanted; « signer son attestation », « l'émargement » stay its."""
_SIGNING = {word for word in _WINS["attestations"] if word.startswith("sign")}


def _words(text: str) -> list[str]:
    """The words of ``text`` folded, an apostrophe parting them as a blank does: « d'absence »
    is « absence » (explorer CB13: « le justificatif d'absence » named no absence)."""
    return fold(text).replace("'", " ").split()


def _signs_another_paper(whole: set[str]) -> bool:
    """Whether a signature said is of a paper that is no attestation (:data:`_OTHER_PAPERS`)."""
    return bool(whole & _OTHER_PAPERS) and not whole & (
        _WINS["attestations"] - _SIGNING | {"bilan", "bilans", "participation"}
    )


_PROOF = {"justificatif", "justificatifs"}
"""An absence's proof as much as the bilan's participation proofs (explorer CB2: « Karim a
envoyé son justificatif » opened /attestations): said with no bilan, the chargée de mission or
a signature, both commands are offered, /absences (where an absence's is joined) first."""
_BILAN_PROOF = {"bilan", "bilans", "participation", "chargee", "mission"}
_SICK_NOTE = {"certificat", "certificats"}
"""Said of an absence's proof as « justificatif » is (explorer DC10: « Karim a envoyé son
certificat médical », « … son arrêt maladie » opened /attestations' « Aucun bilan
programmé … »), and so is « arrêt » with « maladie » or « travail »."""


_ABSENCE_PROOF = {"absence", "absences", "absent", "absente", "absents", "absentes", "retard"}
"""Words that make a justificatif an absence's alone (explorer CB13: « le justificatif d'absence
de Karim » offered /attestations beside /absences)."""


def _proof_of(whole: set[str]) -> set[str]:
    """The commands a justificatif said points to (:data:`_PROOF`, :data:`_SICK_NOTE`):
    /absences and /attestations when it may be an absence's as well as a bilan's, /absences
    alone when an absence or a retard is named (CB13), none when the bilan's or no
    justificatif is said."""
    said = whole & (_PROOF | _SICK_NOTE) or ("arret" in whole and whole & {"maladie", "travail"})
    if not said or whole & (_BILAN_PROOF | _WINS["attestations"]):
        return set()
    return {"absences"} if whole & _ABSENCE_PROOF else {"absences", "attestations"}


_OPENED = {"echeances", "attestations", "bilan", "bilans"}
"""Commands opened when the words point to them alone: each shows a list or asks a question
first, and changes nothing before a confirmation (explorer BG1); not /decrochage, whose
sentence names someone that the command would not know (« Inès ne vient plus »)."""
_ONLY_ASKED = {
    "effacer": {
        *("effacer", "efface", "effacez", "effacement", "supprimer", "supprime", "supprimez"),
        *("suppression", "donnees", "rgpd", "oublier", "oubli"),
    }
}
"""A command offered only to words of its own, whole: an erasure is never a guess (explorer
BG3: « pas donné de nouvelles » shares its stem « donne » with « données »)."""


_DELEGATES = re.compile(r"\b(?:delegue|representant)e?s?\b")
_NAMING = re.compile(
    r"\b(?:ajout|rajout|mett|mets\b|met\b|nomm|choisi|design|chang|remplac|comme\b|en\s+tant\s+que)"
)
"""« ajoute sarah comme déléguée », « nommer Léa déléguée », « changer de délégué »: the delegates
are chosen in the formation, /formations' « Choisir les délégués » (explorer KF12: /attestations
was opened for the word « délégués »); « relance les délégués » stays /attestations'."""


def _names_a_delegate(folded: str) -> bool:
    """Whether ``folded`` asks to make someone a delegate (:data:`_DELEGATES`); not when it
    speaks of their signature or of reminding them, the attestations' (review LD4: « relance
    les délégués pour qu'ils mettent leur signature » was sent to /formations)."""
    if set(_words(folded)) & _WINS["attestations"] or "relanc" in folded:
        return False
    return bool(_DELEGATES.search(folded) and _NAMING.search(folded))


_REMINDING = {"relance", "relancer", "relancez", "relances"}
_NOT_ONE = {"les", "tous", "tout", "toutes", "delegues", "participants", "attestations", "bilan"}
"""« relance hugo »: two words, yet a sentence (explorer KF14: left to the engine's typo matching,
« Je ne suis pas sûr … »); the second is someone's name unless it is one of these."""


def _reminds(words: list[str]) -> bool:
    """Whether ``words`` (folded) are « relance » and one word more (:data:`_REMINDING`)."""
    return len(words) == 2 and words[0] in _REMINDING


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _words(text) if len(w) >= 4 and w not in _STOP}


def _may_use(ctx: Context, command: Command) -> bool:
    if command.role is None or not command.summary or ctx.actor is None or not ctx.actor.is_member:
        return False
    return command.role is not Role.ADMIN or ctx.actor.is_admin


async def closest_commands(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: the commands the words point to, if any."""
    typed = ctx.incoming.text
    reminds = _reminds(_words(typed))
    if ctx.incoming.is_group or len(typed) > 300 or (len(typed.split()) < 3 and not reminds):
        return None  # one or two words: the engine's own typo matching answers
    whole = set(_words(typed))
    if _signs_another_paper(whole):  # « signer le contrat »: no attestation (CB3)
        whole -= _SIGNING
        typed = " ".join(w for w in _words(typed) if w not in _SIGNING)
    words, folded = _stems(typed), fold(typed)
    formations = ctx.features.commands.get("formations")
    if _names_a_delegate(folded) and formations is not None and _may_use(ctx, formations):
        if ctx.in_dialogue:
            return None  # the question in hand stays
        ctx.say("language.delegates_where")
        ctx.incoming = replace(ctx.incoming, text="/formations")
        return Switch(formations.flow)
    to_do = _TO_DO.search(folded) is not None
    if not words and not to_do:
        return None
    proof = _proof_of(whole)
    named = "echeances" if to_do else _bilan_wins(folded, whole)
    if named is None and _ANSWERED.search(folded):
        named = "attestations"
    scored: list[tuple[int, str, str]] = []
    for command, flow in ctx.features.commands.items():
        if not _may_use(ctx, flow):
            continue
        summary = flow.summary.split(" (")[0]  # its example or aside is not what it does
        if command in _ONLY_ASKED and not whole & _ONLY_ASKED[command]:
            continue
        vocabulary = _stems(f"{command} {summary} {(flow.menu or '').split(' (')[0]}")
        score = len(words & (vocabulary | _stems(_ALSO.get(command, ""))))
        if whole & _WINS.get(command, set()) or command == named:
            score += 100
        elif command in proof:
            score = 100  # side by side whatever else they share, neither opened (CB2)
        elif command == "attestations" and proof:
            continue  # an absence's justificatif, never the bilan's (CB13)
        if score:
            scored.append((score, command, summary))
    if not scored:
        return None
    best = max(score for score, _, _ in scored)
    chosen = sorted((c, s) for score, c, s in scored if score == best)[:3]
    # A sentence, not a word or two (« un justificatif ? » after an absence's dialogue
    # lapsed is the absence's, not /attestations'): those are only offered.
    sentence = len(fold(ctx.incoming.text).split()) >= 3 or reminds
    if len(chosen) == 1 and chosen[0][0] in _OPENED and sentence and not ctx.in_dialogue:
        opened = ctx.features.commands[chosen[0][0]]
        if reminds and opened.command == "attestations":  # « relance hugo » (KF14)
            who = ctx.incoming.text.split()[1]
            ctx.say("language.reminding", who=None if fold(who) in _NOT_ONE else who)
        whole_text = ctx.incoming.text
        ctx.incoming = replace(ctx.incoming, text=f"/{opened.command}")  # no words after it
        return Switch(opened.flow, _said_to(opened.command, whole_text, ctx))
    ctx.say("language.closest_commands", commands=chosen)
    return Leave()


def _said_to(command: str, typed: str, ctx: Context) -> dict[str, str | None]:
    """What the command opened keeps of the sentence: « bilan jeudi 14h »'s moment, asked
    « C'est bien ça ? » at /bilan's « Quand ? » (its step « when »: explorer KF5); « on décale
    le bilan à vendredi »'s, for /bilans' « Déplacer » (KF6), never a cancellation's."""
    if command == "bilan":
        return said_ahead("when", typed, ctx.now)
    if command == "bilans" and not _CANCELLED.search(fold(typed)) and names_a_day(typed, ctx.now):
        return {SAID_SENTENCE: typed}
    return {}


_CANCELLED = re.compile(r"\bannul")
"""« annule le bilan de vendredi »: a cancellation, no day to move it to."""
