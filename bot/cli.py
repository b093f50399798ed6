"""``formabot``: run the bot, chat in the terminal, fill a demo, migrate, export, import, back up.

Each command imports what only it needs in its own body (the demo's rules and
models, the import of a spreadsheet, the verifier's cryptography, the
backup): ``formabot run`` pays for none of them before its first reply.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from bot import config, running
from bot.app import build_engine, serve, setup_logging, transports_for
from bot.cli_data import base_of, cmd_export, cmd_import, no_base, open_base
from bot.cli_keys import cmd_new_key, cmd_public_key, key_not_saved, key_refusal
from bot.cli_parser import parse
from bot.documents.fonts import missing_fonts
from bot.files import why_unreadable
from bot.invocation import command_on_this_base, typed_command
from bot.storage.db import Database
from bot.storage.people import no_organisation, only_the_demo
from bot.workers import Supervisor, stop_when_orphaned
from bot.workers import refusal as workers_refusal

if TYPE_CHECKING:
    from bot.transports.console import Lines

log = logging.getLogger(__name__)


async def cmd_migrate(settings: config.Settings) -> int:
    """``formabot migrate``: says what it did (explorer GC6: « Base à jour. » after 27
    migrations as after none), from which version to which."""
    from bot.storage.revisions import applied_between

    db = base_of(settings)
    try:
        before = await db.recorded()
        await db.migrate()
        after = await db.recorded() or frozenset()
    finally:
        await db.dispose()
    applied = applied_between(before or (), after)
    now = ", ".join(sorted(after))
    plural = "s" if applied > 1 else ""
    count = f"{applied} migration{plural} appliquée{plural}"
    if applied == 0:
        print(f"Base déjà à jour ({now}).")
    elif not before:
        print(f"Base créée et mise à jour : {count} ({now}).")
    else:
        print(f"Base mise à jour de {', '.join(sorted(before))} à {now} : {count}.")
    return 0


async def fill_demo(db: Database, settings: config.Settings) -> bool:
    """The demo organisation on an empty base; ``False`` when the base holds one already,
    another process having filled it in the same instant included (its unique keys refuse
    the second demo: the first one stays, whole)."""
    from bot import demo  # the rules and every model: not for a start that does not fill

    try:
        async with db.sessions() as session, session.begin():
            if not await no_organisation(session):
                return False
            await demo.fill(
                session,
                today=datetime.now(settings.zone).date(),
                timezone=settings.default_timezone,
            )
    except IntegrityError:
        return False
    return True


async def cmd_remove_demo(settings: config.Settings, *, yes: bool) -> int:
    """``formabot demo --retirer``: a base that got the demo by mistake made usable."""
    from bot import demo

    # An SQLite base that does not exist (a mistyped FORMABOT_DATA_DIR): said before asking
    # (explorer M), and nothing created.
    if (file := running.sqlite_file(settings.database_url)) is not None and not file.exists():
        print("Il n'y a pas d'organisme de démonstration dans cette base : rien n'est retiré.")
        return 1
    if not yes:
        typed = _ask(
            "Retirer l'organisme de démonstration et tout ce qu'il contient (formations, "
            "stagiaires, absences, bilans) ? [o/N] "
        )
        if typed is None or typed.strip().lower() not in ("o", "oui"):
            print("Rien n'est retiré.")
            return 1
    db = await open_base(settings)
    async with db.sessions() as session, session.begin():
        removed = await demo.remove(session)
    await db.dispose()
    if not removed:
        print("Il n'y a pas d'organisme de démonstration dans cette base : rien n'est retiré.")
        return 1
    print(
        "L'organisme de démonstration est retiré. La première personne qui envoie /start "
        "au bot crée maintenant le vôtre."
    )
    return 0


async def cmd_demo(settings: config.Settings) -> int:
    db = await open_base(settings)
    filled = await fill_demo(db, settings)
    await db.dispose()
    if not filled:
        print("La base contient déjà un organisme : rien n'est ajouté.")
        return 1
    print(
        "Organisme de démonstration créé. Essayez :"
        f" {command_on_this_base()} console --as formateur"
    )
    return 0


def _ask(question: str) -> str | None:
    """A line typed at the terminal; ``None`` at Ctrl-D."""
    try:
        return input(question)
    except EOFError:
        return None


_YES = ("", "o", "oui", "y", "yes")
_NO = ("n", "non", "no")
EMPTY_BASE = (
    "La base reste vide : envoyez /start pour créer votre organisme, que vous administrerez"
    " ensuite."
)


async def _demo_wanted() -> bool | None:
    """The demo, at the keyboard: yes or no; ``None`` at Ctrl-D.  Anything else is asked
    again (explorer AB4: « bof » or a command typed too fast, « /formation », was a silent
    « non », the command dropped and nothing said of what to send next)."""
    from bot.transports.console import waiting_for

    question = "La base est vide. Charger l'organisme de démonstration ? [O/n] "
    while True:
        # Not asyncio.to_thread: a Ctrl-C here would wait for that thread's input().
        typed = await waiting_for(partial(_ask, question))
        if typed is None or typed.strip().lower() in _YES + _NO:
            return None if typed is None else typed.strip().lower() in _YES
        question = "Répondez « o » (oui) pour charger la démonstration ou « n » (non). [O/n] "


async def cmd_console(
    settings: config.Settings,
    name: str,
    *,
    offer_demo: bool,
    source: Lines = sys.stdin,
    introduced: bool = False,
) -> int:
    from bot.transports.console import Console, ConsoleTransport

    if settings.log_level == "INFO":
        # The terminal is the chat: routine log lines would interleave with it.
        logging.getLogger().setLevel(logging.WARNING)
    refused = running.hold(settings.database_url)  # not beside a `run` (explorer V, V6)
    if refused is not None:
        print(refused, file=sys.stderr)
        return 2
    warn_of_fonts()
    db = await open_base(settings)
    if (refused := await key_refusal(db, settings)) is not None:
        print(refused, file=sys.stderr)
        await db.dispose()
        return 1
    if offer_demo:
        async with db.sessions() as session:
            empty = await no_organisation(session)
        if empty:
            from bot import demo  # only a start on an empty database loads it

            # The demo unless a person at the keyboard declines it: someone trying the bot
            # (or piping a dialogue into it) finds formations to work on at once.
            wanted: bool | None = True
            if sys.stdin.isatty():
                wanted = await _demo_wanted()
                if wanted is None:  # Ctrl-D: leaving before anything started
                    print("\nAu revoir !")
                    await db.dispose()
                    return 0
            if not wanted:
                print(EMPTY_BASE, flush=True)
            else:
                await fill_demo(db, settings)  # or another process did, in the same instant
                name = demo.DEMO_USER
                print(
                    "Organisme de démonstration chargé : vous êtes Camille Durand, formatrice et"
                    " administratrice. Pour créer votre propre organisme, sur une base à lui :"
                    f" FORMABOT_DATA_DIR=data-mon-organisme {typed_command()} console --as"
                    " VOTRE_NOM, puis /start.",
                    flush=True,
                )
    engine = build_engine(db, settings)
    console = Console(
        engine, name=name, documents=settings.data_dir / "documents", introduced=introduced
    )
    transport = ConsoleTransport(console, settings.data_dir / "console-inbox")
    await serve(settings, db, [transport], until=partial(console.run, source))
    await db.dispose()
    return 0


NO_TOKEN_NO_TERMINAL = (
    "Aucun jeton Telegram ni Matrix configuré, et pas de terminal pour la console : "
    "renseignez TELEGRAM_TOKEN (ou MATRIX_HOMESERVER, MATRIX_USER_ID et MATRIX_PASSWORD) "
    "dans .env, puis relancez. Rien n'est écrit dans la base."
)


def no_env_file() -> str:
    """Where no ``.env`` was read, said (explorer GC14: started by a unit without
    ``WorkingDirectory=``, the operator read « renseignez … dans .env » of a file filled in)."""
    if Path(".env").exists():
        return ""
    return (
        f" (Aucun fichier .env dans {Path.cwd()}, le dossier courant : lancez formabot depuis "
        "son dossier, ou WorkingDirectory= dans l'unité systemd.)"
    )


ONLY_THE_DEMO = (
    "the base holds the demo organisation only: newcomers will be told to ask for an "
    "invitation; remove it with `formabot demo --retirer` to let the first /start create "
    "the real one"
)


def nobody_types() -> bool:
    """Standard input is nothing a person or a pipe gives (``/dev/null``, closed): a
    service's start, where a console would read nothing and end at once."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return True
    return stat.S_ISCHR(mode) and not sys.stdin.isatty()


def first_line_read() -> Lines | None:
    """Standard input for the console, ``None`` when nothing will come: a pipe or a file
    is read up to its first line before anything is written, so an empty one (``true |``,
    ``< /dev/null``, a supervisor's) leaves the base as it was."""
    if nobody_types():
        return None
    if sys.stdin.isatty():
        return sys.stdin
    from bot.transports.console import Replaying

    first = sys.stdin.readline()
    while first.strip("\r\n\x00 \t") == "" and first != "":  # blank lines say nothing either
        first = sys.stdin.readline()
    return None if first == "" else Replaying(first, sys.stdin)


def _base_shown(settings: config.Settings) -> str:
    """The base as a person reads it: the SQLite file, not a driver's URL (explorer BC2)."""
    file = running.sqlite_file(settings.database_url)
    return str(file) if file is not None else settings.shown_database_url


def warn_of_fonts() -> None:
    """No PDF can be made here: said at start, not by the first bilan failing (BC20)."""
    if (said := missing_fonts()) is not None:
        print(said, file=sys.stderr)


async def cmd_run(settings: config.Settings, workers: int = 1) -> int:
    console = not (settings.has_telegram or settings.has_matrix)
    refused = workers_refusal(settings, workers)
    source = first_line_read() if console and refused is None else None
    if refused is None and console and source is None:
        # A server's start (Docker, systemd, cron: no terminal, nothing to read) without
        # its token: the demo would have filled the real base (explorers J and L).
        refused = NO_TOKEN_NO_TERMINAL + no_env_file()
    # SQLite: one process at a time, and no restore under it (explorer R R1, R11).
    refused = refused or running.hold(settings.database_url)
    if refused is not None:
        print(refused, file=sys.stderr)
        return 2
    if source is not None:  # the console: no token, lines to read
        print(
            f"Aucun jeton Telegram ni Matrix configuré : console sur {_base_shown(settings)}"
            " (tapez /aide ; /quitter ou Ctrl-D pour quitter).",
            flush=True,
        )
        return await cmd_console(
            settings, "formateur", offer_demo=settings.is_sqlite, source=source, introduced=True
        )
    warn_of_fonts()
    db = await open_base(settings)
    if (refused := await running.hold_receiving(settings.database_url)) is not None:
        print(refused, file=sys.stderr)
        return 2
    if (refused := await key_refusal(db, settings)) is not None:
        print(refused, file=sys.stderr)
        await db.dispose()
        return 1
    async with db.sessions() as session:
        if await only_the_demo(session):
            log.warning(ONLY_THE_DEMO)
    engine = build_engine(db, settings)
    supervisor = Supervisor(settings, workers - 1, answers=db.answers)
    supervisor.start()  # after the migration: the children find the schema up to date
    watching = asyncio.create_task(running.watch_receiving())  # explorer BA4
    try:
        await serve(settings, db, transports_for(settings, engine))
    finally:
        watching.cancel()
        await supervisor.stop()
        await db.dispose()
    return 0


async def cmd_work(settings: config.Settings) -> int:
    """``formabot work``: answer the Telegram rows others recorded (:mod:`bot.workers`)."""
    refused = workers_refusal(settings, 2, command="work")
    if refused is not None:
        print(refused, file=sys.stderr)
        return 2
    from bot.transports.telegram import TelegramTransport  # slow to import: here only

    db = await open_base(settings)
    if (refused := await key_refusal(db, settings)) is not None:
        print(refused, file=sys.stderr)
        await db.dispose()
        return 1
    engine = build_engine(db, settings)
    orphaned = asyncio.create_task(stop_when_orphaned())
    try:
        await serve(
            settings, db, [TelegramTransport(settings, engine, receiving=False)], worker=True
        )
    finally:
        orphaned.cancel()
        await db.dispose()
    return 0


def cmd_verifier(settings: config.Settings, args: argparse.Namespace) -> int:
    """``formabot verifier``: no database, only the file (and this server's key, if any);
    ``--cle``: the key to publish, :func:`bot.cli_keys.cmd_public_key`."""
    from bot import texts
    from bot.attestations import keys, verify

    if args.cle:
        return asyncio.run(cmd_public_key(settings))
    local = keys.existing_key(settings.data_dir)
    if args.fichier is None:
        print(
            f"Précisez le dossier à vérifier : {typed_command()} verifier FICHIER.zip",
            file=sys.stderr,
        )
        return 2
    try:
        data = args.fichier.read_bytes()
    except OSError as exc:
        print(
            texts.plain(
                texts.say(
                    "attestations_verifier.unreadable",
                    name=str(args.fichier),
                    why=why_unreadable(exc),
                )
            ),
            file=sys.stderr,
        )
        return 2
    verdict = verify.verify_bundle(
        data, expected=args.empreinte, local=local.fingerprint if local else None
    )
    for line in [*verdict.problems, *verdict.notes]:
        print(line)
    block = "verified" if verdict.ok else "refused"
    print(texts.plain(texts.say(f"attestations_verifier.{block}", name=args.fichier.name)))
    return 0 if verdict.ok else 1


def _forgetting_undone_agreed(settings: config.Settings, source: Path) -> bool:
    """Whether the backup may go back in place: asked when it would bring back data erased
    (RGPD) or purged since it was made (a source that is no backup is refused next)."""
    from bot.backup import forgotten_since, is_formabot_database

    if not source.is_file() or not is_formabot_database(source):
        return True
    forgotten = forgotten_since(settings.database_url, source)
    if not forgotten:
        return True
    erased = ", ".join(str(what) for action, what in forgotten if action == "erase")
    purged = ", ".join(str(what) for action, what in forgotten if action == "purge_retention")
    print("Attention : depuis cette sauvegarde, des données ont été effacées exprès :")
    if erased:
        print(f"· des personnes, à leur demande (stagiaire n° {erased} dans le journal) ;")
    if purged:
        print(f"· des formations en fin de conservation (formation n° {purged}).")
    print("La remettre en place les fait revenir : il faudra les effacer de nouveau.")
    typed = _ask("Remettre la sauvegarde en place quand même ? [o/N] ")
    return typed is not None and typed.strip().lower() in ("o", "oui")


async def cmd_backup(settings: config.Settings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, backup, restore

    try:
        if args.command == "backup":
            if no_base(settings):  # cron's home folder (explorer EB4: no hint said so)
                return 1
            written = backup(settings.database_url, settings.data_dir, args.out)
            print(f"Sauvegarde écrite : {written} ({written.stat().st_size} octets).")
            key_not_saved(settings.data_dir)
            return 0
        if not args.oui and not _forgetting_undone_agreed(settings, args.source):
            print("Rien n'a changé.")
            return 1
        database, saved = restore(settings.database_url, settings.data_dir, args.source)
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if saved is not None:
        print(f"La base remplacée est gardée ici : {saved}.")
    await (await open_base(settings)).dispose()  # a backup of an older version: brought up to date
    print(f"Sauvegarde remise en place : {database}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    settings = config.load()
    setup_logging(settings.log_level)
    try:
        return _command(settings, args)
    except KeyboardInterrupt:
        # A Ctrl-C before the bot's own handler is in place (or in a command that has
        # none): what was committed stays, the rest is redone at the next start.
        print("Interrompu.", file=sys.stderr)
        return 130


def _command(settings: config.Settings, args: argparse.Namespace) -> int:
    if args.command in ("run", "work", "console"):
        config.paired(settings)
    if args.command == "run":
        return asyncio.run(cmd_run(settings, args.workers))
    if args.command == "work":
        return asyncio.run(cmd_work(settings))
    if args.command == "console":
        # A person at a terminal, nobody to scrape: the running bot keeps its /metrics port
        # (explorer GC11: « le port … est déjà pris » beside the production bot).
        quiet = replace(settings, metrics_port=0)
        return asyncio.run(cmd_console(quiet, args.name, offer_demo=False))
    if args.command == "demo":
        if args.retirer:
            return asyncio.run(cmd_remove_demo(settings, yes=args.oui))
        return asyncio.run(cmd_demo(settings))
    if args.command == "migrate":
        return asyncio.run(cmd_migrate(settings))
    if args.command == "export":
        return asyncio.run(cmd_export(settings, args))
    if args.command == "import":
        return cmd_import(settings, args)
    if args.command == "verifier":
        return cmd_verifier(settings, args)
    if args.command == "nouvelle-cle":
        return asyncio.run(cmd_new_key(settings, yes=args.oui))
    if args.command in ("backup", "restore"):
        return asyncio.run(cmd_backup(settings, args))
    return 2


if __name__ == "__main__":
    sys.exit(main())
