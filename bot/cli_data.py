"""The shell's way in and out of the base's data: ``formabot export`` and ``formabot import``,
and opening the base for every command.

An export or an import on an SQLite base that does not exist (run from another
folder by cron, a mistyped ``FORMABOT_DATA_DIR``) says so and creates nothing:
it used to read a new empty base and end with 0 (explorer BC8).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot import config, exports, running
from bot.app import FEATURES
from bot.attestations.keys import KeyMissing
from bot.files import write_private
from bot.formations.queries import find_formation
from bot.manifest import Features
from bot.storage.db import Database
from bot.storage.people import check_organisation


def base_of(settings: config.Settings) -> Database:
    """The settings' base, as it is (not migrated yet)."""
    return Database(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
    )


async def open_base(settings: config.Settings) -> Database:
    """The base, brought up to date first (every command works on the current schema)."""
    db = base_of(settings)
    await db.migrate()
    return db


def no_base(settings: config.Settings) -> bool:
    """An SQLite base that does not exist, said (nothing created): an export or an import
    run from another folder (cron, a mistyped FORMABOT_DATA_DIR) read a new empty base and
    ended with 0 (explorer BC8)."""
    file = running.sqlite_file(settings.database_url)
    if file is None or file.exists():
        return False
    print(
        f"Pas de base formabot à {file.absolute()} : lancez la commande depuis le dossier du "
        "bot, ou donnez son dossier de données (FORMABOT_DATA_DIR). Rien n'a été créé.",
        file=sys.stderr,
    )
    return True


async def cmd_export(
    settings: config.Settings, args: argparse.Namespace, features: Features = FEATURES
) -> int:
    args.data_dir = settings.data_dir  # its key signs a proof bundle
    refused = _refused(args, features)  # said before anything is opened
    if refused is not None:
        return refused
    if no_base(settings):
        return 1
    db = await open_base(settings)
    try:
        return await _export(db, args, features)
    except (LookupError, KeyMissing) as exc:  # an unknown bilan, the key not here: in French
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        await db.dispose()


def _emit(data: bytes | str, out: Path | None) -> None:
    """Write to --out (saying so) or to standard output."""
    if out is not None:
        write_private(out, data)  # names, absences: personal data
        print(f"Écrit : {out} ({out.stat().st_size} octets)", file=sys.stderr)
    elif isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.flush()  # what was printed before comes first
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _refused(args: argparse.Namespace, features: Features) -> int | None:
    """An export that cannot be: to a folder that does not exist, of a name unknown."""
    if args.out is not None and not args.out.parent.is_dir():
        print(
            f"Je ne peux pas écrire {args.out} : le dossier {args.out.parent} n'existe pas.",
            file=sys.stderr,
        )
        return 2
    if args.what in (*features.tables, *features.files):
        return None
    known = ", ".join(sorted([*features.tables, *features.files]))
    print(f"Exportation inconnue « {args.what} ». Disponibles : {known}.", file=sys.stderr)
    return 2


async def _export(db: Database, args: argparse.Namespace, features: Features) -> int:
    tables, files, calendars = features.tables, features.files, features.calendars
    async with db.sessions() as session:
        await check_organisation(session, getattr(args, "organisation", None))
        await check_formation(session, args)
        if args.format == "ics":
            if args.what not in calendars:
                print(f"« {args.what} » ne s'exporte pas en agenda (.ics).", file=sys.stderr)
                return 2
            _emit(await calendars[args.what](session, args), args.out)
            return 0
        if args.what in tables:
            if args.format == "xlsx" and args.out is None and sys.stdout.isatty():
                print(
                    "Un classeur XLSX ne s'affiche pas : précisez --out FICHIER.xlsx.",
                    file=sys.stderr,
                )
                return 2
            table = tables[args.what]
            rows = await table.rows(session, args)
            title = table.title or args.what.capitalize()
            _emit(exports.render(rows, table.columns, args.format, title=title), args.out)
            return 0
        if args.what in files:
            if args.out is None:
                print(
                    "Cette exportation produit un fichier : précisez --out FICHIER.",
                    file=sys.stderr,
                )
                return 2
            _emit(await files[args.what](session, args), args.out)
    return 0


async def check_formation(session: AsyncSession, args: argparse.Namespace) -> None:
    """A French :class:`LookupError` for a ``--formation`` the base (or the organisation)
    lacks, whatever the export (explorer BC19, CA11: an empty file, code 0)."""
    await find_formation(
        session, getattr(args, "formation", None), getattr(args, "organisation", None)
    )


def cmd_import(settings: config.Settings, args: argparse.Namespace) -> int:
    """``formabot import stagiaires``: the file read here, the rest in :mod:`bot.imports.command`."""
    from bot import texts
    from bot.imports.command import import_trainees, read_file

    content = read_file(args.fichier, sys.stderr)
    if content is None or no_base(settings):
        return 1

    async def run(content: bytes) -> int:
        db = await open_base(settings)
        try:
            return await import_trainees(
                db,
                args.formation,
                args.fichier.name,
                content,
                yes=args.oui,
                ask=input,
                out=sys.stdout,
                err=sys.stderr,
            )
        except EOFError:  # no answer on standard input: nothing imported
            print(texts.plain(texts.say("formation_import.cli_no")))
            return 1
        finally:
            await db.dispose()

    return asyncio.run(run(content))
