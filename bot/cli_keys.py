"""The command line's side of the attestation key (explorer GC15): a start refused when the
data folder lacks the key that signed the base, ``formabot nouvelle-cle`` for a key lost
for good, and the reminder that a backup leaves the key out.

A base restored without its data folder (or a worker on a machine without a copy of the
key) used to make a new key silently; the trainer then got a proof bundle « complet …
signé » that ``formabot verifier`` refused as rewritten.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot import config
from bot.cli_data import no_base, open_base
from bot.invocation import command_on_this_base
from bot.storage.db import Database


async def key_refusal(db: Database, settings: config.Settings) -> str | None:
    """Why this data folder may not serve this base: it lacks the key that signed its
    attestations (explorer GC15: a base restored without its data folder made a new key
    silently, and the proof bundles were refused as rewritten).  One query."""
    from bot.attestations import keys

    async with db.sessions() as session:
        signer = await keys.latest_signer(session)
    return keys.refusal(settings.data_dir, signer)


async def cmd_new_key(settings: config.Settings, *, yes: bool) -> int:
    """``formabot nouvelle-cle``: the signing key lost for good (no backup of the data
    folder) replaced on purpose, the only way past :func:`key_refusal` (explorer GC15)."""
    from bot.attestations import keys

    if no_base(settings):
        return 1
    db = await open_base(settings)
    try:
        async with db.sessions() as session:
            signer = await keys.latest_signer(session)
    finally:
        await db.dispose()
    if signer is None:
        print("Cette base n'a encore rien signé : la clé sera créée à la première attestation.")
        return 0
    if keys.refusal(settings.data_dir, signer) is None:
        print("Ce dossier de données a déjà la clé qui signe les attestations : rien n'a changé.")
        return 0
    if not yes:
        print(
            f"La clé qui a signé les attestations de cette base (empreinte {keys.spaced(signer)})"
            f" n'est pas dans {settings.data_dir.absolute()}. Ne la remplacez que si elle est"
            " perdue pour de bon : un dossier de preuves qui contient une réponse signée avec"
            " elle sera refusé par formabot verifier, et les suivants porteront une nouvelle"
            " empreinte, à publier de nouveau."
        )
        typed = ask("Signer désormais avec une nouvelle clé ? [o/N] ")
        if typed is None or typed.strip().lower() not in ("o", "oui"):
            print("Rien n'a changé.")
            return 1
    key = keys.replace_lost(settings.data_dir, signer)
    print(
        f"Nouvelle clé en place ({keys.KEY_FILE}, empreinte {keys.spaced(key.fingerprint)}) :"
        " publiez cette empreinte à la place de l'ancienne"
        f" ({command_on_this_base()} verifier --cle l'affiche avec la clé publique), et"
        " sauvegardez le dossier de données."
    )
    return 0


async def cmd_public_key(settings: config.Settings) -> int:
    """``formabot verifier --cle``: the public key that signs this base's attestations, to
    publish.  Run where there is no base (cron's home folder, a mistyped
    FORMABOT_DATA_DIR), or on a base restored without the key that signed it, it made a
    key there and printed its fingerprint as the organisation's (explorer EB3): nothing is
    made then, and it is said.  A base that has signed nothing yet gets its key now, to be
    published before the first bundle."""
    from bot import texts
    from bot.attestations import keys

    if no_base(settings):
        return 1
    db = await open_base(settings)
    try:
        refused = await key_refusal(db, settings)
    finally:
        await db.dispose()
    if refused is not None:
        print(refused, file=sys.stderr)
        return 1
    key = keys.signing_key(settings.data_dir)
    said = texts.say(
        "attestations_verifier.public_key",
        found=keys.spaced(key.fingerprint),
        pem=key.public_pem.decode("ascii"),
    )
    print(texts.plain(said))
    return 0


def ask(question: str) -> str | None:
    """A line typed at the terminal; ``None`` at Ctrl-D."""
    try:
        return input(question)
    except EOFError:
        return None


def key_not_saved(data_dir: Path) -> None:
    """The signing key is left out of a backup on purpose (whoever holds a copy of the base
    must not be able to sign): said once there is one, so that it is saved elsewhere
    (explorer GC15: a base restored without it could not start, or made a new key)."""
    from bot.attestations.keys import KEY_FILE

    if (path := data_dir / KEY_FILE).exists():
        print(
            f"La clé qui signe les attestations ({path.absolute()}) n'est pas dans cette "
            "sauvegarde, exprès : gardez-en une copie à part, hors de cette machine. Sans "
            "elle, une base remise en place ne peut plus produire de dossier de preuves "
            "valable pour les attestations déjà signées."
        )
