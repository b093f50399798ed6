"""The ``formabot`` command's arguments, and argparse's own words, in French.

argparse writes « usage: », « positional arguments », « show this help
message and exit » and its errors (« invalid int value: 'abc' ») in English,
through the ``gettext`` function it imported as ``_``: :func:`french` takes
its place, so an operator reads the whole of ``formabot --help`` and every
refusal in one language.  A message it does not know stays as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import exports

FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "il manque : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix inconnu : %(value)r (au choix : %(choices)s)"
    ),
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "one of the arguments %s is required": "un de ces arguments est nécessaire : %s",
    "not allowed with argument %s": "pas avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    # Explorer AM10: « formabot demo --retirer=x » answered in English.
    "ignored explicit argument %r": "cette option ne prend pas de valeur (reçu %r)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue : %(parser_name)r (au choix : %(choices)s)"
    ),
}


def french(message: str) -> str:
    """argparse's message in French (:data:`FRENCH`), or as it is."""
    return FRENCH.get(message, message)


argparse._ = french  # type: ignore[attr-defined]  # see the module's docstring


def nombre(text: str) -> int:
    """An id typed after an option: its name is what an error says (« nombre attendu »)."""
    return int(text)


_BOUND = re.compile(r" (?=[;:?!»])|(?<=«) ")


class FrenchHelp(argparse.HelpFormatter):
    """Help wrapped as French is printed: « ; », « : » or « » » never alone at a line's start
    (explorer AM7: « … ouvre directement » then « ; --format xlsx » on the next line)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return super()._split_lines(_BOUND.sub("\u00a0", text), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return super()._fill_text(_BOUND.sub("\u00a0", text), width, indent)


class FrenchParser(argparse.ArgumentParser):
    """A parser whose help is :class:`FrenchHelp`, its commands' too (they are of its class)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("formatter_class", FrenchHelp)
        super().__init__(**options)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="formabot",
        description="Assistant de conversation des formateurs : absences, bilans, "
        "attestations, échéances.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    run = sub.add_parser(
        "run",
        help="lancer le bot (Telegram, Matrix ou, sans jeton, la console)",
        description="Lance chaque transport configuré, l'envoi des messages et les "
        "rappels. Sans jeton Telegram ni Matrix, ouvre la console.",
    )
    run.add_argument(
        "--workers",
        type=nombre,
        default=1,
        metavar="N",
        help="processus qui traitent les messages (défaut : 1) : celui-ci et N-1 "
        "« formabot work » qu'il lance et surveille (PostgreSQL et Telegram requis)",
    )
    sub.add_parser(
        "work",
        help="traiter les messages Telegram reçus par un autre processus (PostgreSQL)",
        description="Prend les messages Telegram enregistrés dans la base par le processus "
        "qui reçoit (formabot run) et y répond. Ne reçoit rien lui-même : à lancer en plus, "
        "dans d'autres conteneurs, sur la même base PostgreSQL.",
    )
    console = sub.add_parser(
        "console",
        help="discuter avec le bot dans le terminal",
        description="Discuter avec le bot dans le terminal, comme une "
        "personne donnée. Lit une ligne par message quand l'entrée "
        "n'est pas un terminal.",
    )
    console.add_argument(
        "--as",
        dest="name",
        default="formateur",
        metavar="NOM",
        help="la personne que vous jouez (défaut : formateur)",
    )
    demo = sub.add_parser(
        "demo",
        help="remplir la base avec un organisme de démonstration",
        description="Crée un organisme de démonstration (deux formations, des "
        "stagiaires, des délégués) lié à l'utilisateur console « formateur ». "
        "--retirer l'enlève, avec tout ce qu'il contient : la première personne "
        "qui envoie /start crée alors le vrai organisme.",
    )
    demo.add_argument("--retirer", action="store_true", help="retirer l'organisme de démonstration")
    demo.add_argument("--oui", action="store_true", help="retirer sans demander")
    sub.add_parser(
        "migrate",
        help="mettre le schéma de la base à jour",
        description="Applique les migrations Alembic qui manquent.",
    )
    export = sub.add_parser(
        "export",
        help="exporter des données",
        description="Écrit les données sur la sortie standard (CSV avec "
        "une ligne d'en-tête par défaut) ou dans un fichier (--out). "
        "--format csv-excel : séparateur « ; », UTF-8 avec BOM et dates 23/11/2026, "
        "ce qu'Excel en français ouvre directement ; --format xlsx : un classeur Excel.",
    )
    export.add_argument(
        "what",
        metavar="QUOI",
        help="formations, stagiaires, absences, echeances, membres, audit, qualiopi, "
        "attestations (un nom inconnu dit la liste complète)",
    )
    export.add_argument(
        "--format",
        choices=(*exports.FORMATS, "ics"),
        default="csv",
        help="csv (défaut), csv-excel, xlsx, json, ou ics pour un agenda",
    )
    # Metavars in French, as import's (explorer EB5: « --out OUT », « --bilan BILAN »).
    export.add_argument(
        "--organisation", type=nombre, metavar="ID", help="identifiant de l'organisme"
    )
    export.add_argument(
        "--formation", type=nombre, metavar="ID", help="identifiant de la formation"
    )
    export.add_argument("--bilan", type=nombre, metavar="ID", help="identifiant du bilan")
    export.add_argument("--out", type=Path, metavar="FICHIER", help="fichier à écrire")
    importing = sub.add_parser(
        "import",
        help="importer une liste de stagiaires (CSV ou Excel) dans une formation",
        description="Lit le fichier (CSV ou .xlsx, une ligne d'en-tête : Nom, Prénom, "
        "Entreprise, E-mail, Téléphone, Date d'entrée, Date de sortie, Motif de sortie, "
        "Délégué), montre ce qui sera ajouté et les lignes à corriger, puis demande "
        "confirmation. Code de sortie 0 si tout est importé, 1 sinon.",
    )
    importing.add_argument(
        "what", choices=("stagiaires",), metavar="stagiaires", help="ce qui est importé"
    )
    importing.add_argument("fichier", type=Path, metavar="FICHIER", help="la liste : .csv ou .xlsx")
    importing.add_argument(
        "--formation", type=nombre, required=True, metavar="ID", help="identifiant de la formation"
    )
    importing.add_argument("--oui", action="store_true", help="importer sans demander")
    verifier = sub.add_parser(
        "verifier",
        help="vérifier un dossier de preuves (ZIP) sans la base",
        description="Vérifie la signature Ed25519 du manifeste, l'empreinte de chaque "
        "fichier et la chaîne signée des attestations d'un dossier de preuves. Code de "
        "sortie 0 si le dossier est intact, 1 sinon.",
    )
    verifier.add_argument(
        "fichier",
        type=Path,
        nargs="?",
        metavar="FICHIER.zip",
        help="le dossier de preuves : celui des attestations d'un bilan, ou le dossier Qualiopi",
    )
    verifier.add_argument(
        "--empreinte",
        default=None,
        metavar="SHA256",
        help="l'empreinte de la clé publiée par l'organisme (espaces permis)",
    )
    verifier.add_argument(
        "--cle",
        action="store_true",
        help="afficher la clé publique de cet organisme et son empreinte, à publier",
    )
    new_key = sub.add_parser(
        "nouvelle-cle",
        help="signer avec une nouvelle clé quand celle des attestations est perdue",
        description="Seulement si la clé qui a signé les attestations de la base est perdue "
        "pour de bon (aucune sauvegarde du dossier de données) : une nouvelle clé la "
        "remplace, dont l'empreinte est à publier de nouveau.",
    )
    new_key.add_argument("--oui", action="store_true", help="remplacer sans demander")
    saving = sub.add_parser(
        "backup",
        help="sauvegarder la base SQLite (le bot peut tourner)",
        description="Copie cohérente de la base SQLite, bot en marche, dans "
        "DATA/sauvegardes/ ou le fichier donné. PostgreSQL : pg_dump (voir le README).",
    )
    saving.add_argument(
        "out",
        nargs="?",
        type=Path,
        metavar="FICHIER",
        help="la copie à écrire, dans un dossier qui existe (défaut : "
        "DATA/sauvegardes/formabot-DATE.db)",
    )
    putting_back = sub.add_parser(
        "restore",
        help="remettre une sauvegarde en place (bot arrêté)",
        description="Remplace la base SQLite par la sauvegarde donnée, après avoir "
        "copié la base actuelle dans DATA/sauvegardes/, puis applique les migrations.",
    )
    putting_back.add_argument(
        "source", type=Path, metavar="FICHIER", help="la sauvegarde (formabot backup)"
    )
    putting_back.add_argument(
        "--oui",
        action="store_true",
        help="sans demander, même si la sauvegarde fait revenir des données effacées depuis",
    )
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line read, an unknown option refused with its own command's usage.

    argparse leaves what no parser knew to the top parser, whose usage
    (« formabot [-h] COMMANDE ... ») says nothing of ``demo --retirer``.
    """
    parser = build_parser()
    known, extras = parser.parse_known_args(argv)
    if extras:
        _command_parser(parser, known.command).error(
            french("unrecognized arguments: %s") % " ".join(extras)
        )
    if known.command == "demo" and known.oui and not known.retirer:
        # « demo --oui » filled a base with the demo, its « oui » read as nothing (explorer EB11).
        _command_parser(parser, "demo").error(
            "--oui ne sert qu'avec --retirer (formabot demo --retirer --oui)"
        )
    return known


def _command_parser(
    parser: argparse.ArgumentParser, command: str | None
) -> argparse.ArgumentParser:
    """The parser of ``command`` (its usage in a refusal), else the top one."""
    commands = next(
        action.choices
        for action in parser._actions  # the one place argparse keeps them
        if isinstance(action, argparse._SubParsersAction)
    )
    chosen: argparse.ArgumentParser = commands.get(command or "", parser)
    return chosen
