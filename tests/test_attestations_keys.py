"""The organisation's signing key: made once in the data folder, private, the same afterwards
(also when two processes race to make it), and what it signs checks only with it."""

from __future__ import annotations

import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from bot import cli, cli_keys
from bot.app import build_engine
from bot.attestations import keys
from bot.attestations.keys import KEY_FILE, SigningKey, existing_key, signing_key
from bot.cli_data import cmd_export
from bot.config import Settings
from bot.storage.attestations import Attestation
from bot.storage.db import Database
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.command import Done
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker


def test_the_key_is_made_once_private_and_found_again(tmp_path: Path) -> None:
    folder = tmp_path / "donnees"
    assert existing_key(folder) is None and not folder.exists()
    key = signing_key(folder)
    path = folder / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in path.read_bytes()
    keys._loaded.clear()  # a restart
    again = signing_key(folder)
    assert again.fingerprint == key.fingerprint
    assert existing_key(folder) is not None
    assert [p.name for p in folder.iterdir()] == [KEY_FILE]  # no draft left behind


def test_two_processes_making_it_at_once_end_with_one_key(tmp_path: Path) -> None:
    def make(_: int) -> str:
        keys._loaded.clear()
        return signing_key(tmp_path).fingerprint

    with ThreadPoolExecutor(8) as pool:
        found = set(pool.map(make, range(16)))
    assert len(found) == 1
    keys._loaded.clear()
    assert found == {signing_key(tmp_path).fingerprint}


def test_a_signature_checks_with_its_key_only() -> None:
    key, other = SigningKey(Ed25519PrivateKey.generate()), SigningKey(Ed25519PrivateKey.generate())
    signature = key.sign(b"manifest")
    assert keys.verify(key.public, signature, b"manifest")
    assert not keys.verify(key.public, signature, b"manifest!")
    assert not keys.verify(other.public, signature, b"manifest")
    assert not keys.verify(key.public, "pas de l'hexadécimal", b"manifest")
    loaded = keys.load_public(key.public_pem)
    assert loaded is not None and keys.fingerprint(loaded) == key.fingerprint
    assert (
        keys.load_public(b"-----BEGIN PUBLIC KEY-----\nnimporte\n-----END PUBLIC KEY-----") is None
    )
    assert keys.spaced("a1b2c3d4e5") == "a1b2 c3d4 e5"


# --- explorer GC15: a base restored without its data folder ---------------------------


async def attested(trainer: Talker, person: Callable[..., Talker], clock: Clock) -> Talker:
    """Léa attests her bilan's participation: the base holds one signed answer."""
    bilan_id = await schedule_bilan(trainer)
    assert bilan_id
    clock.advance(days=3, hours=7)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    return lea


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """What ``formabot run`` / ``work`` served: the transports are not started here."""
    served: list[Settings] = []

    async def serve(settings: Settings, *args: object, **kwargs: object) -> None:
        served.append(settings)

    monkeypatch.setattr(cli, "serve", serve)
    monkeypatch.setattr(cli.running, "hold", lambda url: None)  # a lock kept for the process
    monkeypatch.setattr(cli, "transports_for", lambda settings, engine: [])
    return served


def missing_sentence(folder: Path) -> str:
    return (
        f"Le dossier de données {folder.absolute()} n'a pas la clé qui a signé les "
        f"attestations de cette base ({KEY_FILE}) : remettez en place la sauvegarde du "
        "dossier de données (voir « Mettre en production » dans le README), puis relancez."
    )


async def test_a_base_restored_without_its_data_folder_does_not_start(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    started: list[Settings],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Explorer GC15: a new key was made silently, and the proof bundle « complet … signé »
    was refused by ``formabot verifier`` as rewritten. Now the start is refused, no key is
    made, and nothing the folder's key did not sign is signed or bundled."""
    await attested(trainer, person, clock)
    telegram = replace(settings, telegram_token="123:abc")
    fresh = tmp_path / "nouveau-serveur"
    capsys.readouterr()
    assert await cli.cmd_run(replace(telegram, data_dir=fresh)) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == missing_sentence(fresh)
    assert started == [] and not (fresh / KEY_FILE).exists()
    # Another organisation's key (a worker's folder copied from elsewhere): refused as well.
    other = tmp_path / "autre"
    signing_key(other)
    assert await cli.cmd_run(replace(telegram, data_dir=other)) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == missing_sentence(other)
    # Whatever would sign or bundle refuses too, rather than make a key.
    async with db.sessions() as session:
        with pytest.raises(keys.KeyMissing, match="remettez en place"):
            await keys.organisation_key(session, fresh)
    assert not (fresh / KEY_FILE).exists()
    # The data folder put back: it starts.
    assert await cli.cmd_run(telegram) == 0
    assert started == [telegram]


async def test_an_empty_base_gets_its_key_at_the_first_answer(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    started: list[Settings],
) -> None:
    telegram = replace(settings, telegram_token="123:abc")
    assert await cli.cmd_run(telegram) == 0  # nothing signed yet: no key needed to start
    assert not (settings.data_dir / KEY_FILE).exists()
    lea = await attested(trainer, person, clock)
    assert "Votre attestation est enregistrée" in lea.replies[-1].text
    assert (settings.data_dir / KEY_FILE).exists()
    async with db.sessions() as session:
        assert (await keys.organisation_key(session, settings.data_dir)).fingerprint == (
            signing_key(settings.data_dir).fingerprint
        )
    assert await cli.cmd_run(telegram) == 0


async def test_a_worker_without_the_key_signs_nothing_and_bundles_nothing(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """GC15, several machines: a process that started while the base had signed nothing,
    on a machine without a copy of the key, records no answer under a key of its own, and
    ``formabot export attestations`` there refuses with the same sentence."""
    await attested(trainer, person, clock)
    fresh = tmp_path / "machine-2"
    elsewhere = Talker(build_engine(db, replace(settings, data_dir=fresh), clock=clock), "hugo")
    await elsewhere.says(f"/start {codes(trainer.replies)['Hugo Moreau']}")
    await elsewhere.says("Hugo Moreau")
    await elsewhere.presses("Je représente les stagiaires")
    await elsewhere.presses("Je l'atteste")
    assert "Rien n'a été enregistré pour ce message" in elsewhere.replies[-1].text
    assert not (fresh / KEY_FILE).exists()
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Attestation)) == 1
        bilan_id = await session.scalar(select(Attestation.bilan_id))
    args = cli.parse(["export", "attestations", "--bilan", str(bilan_id), "--out", "d.zip"])
    capsys.readouterr()
    assert await cmd_export(replace(settings, data_dir=fresh), args) == 1
    assert capsys.readouterr().err.strip() == missing_sentence(fresh)
    assert not (fresh / KEY_FILE).exists()


async def test_a_key_lost_for_good_is_replaced_only_on_purpose(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    started: list[Settings],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GC15: no backup of the data folder at all. ``formabot nouvelle-cle`` says what it
    costs, asks, and only then lets the bot start with a new key."""
    await attested(trainer, person, clock)
    old = signing_key(settings.data_dir)
    fresh = replace(settings, data_dir=tmp_path / "sans-sauvegarde", telegram_token="123:abc")
    monkeypatch.setattr(cli_keys, "ask", lambda question: "n")
    capsys.readouterr()
    assert await cli.cmd_new_key(fresh, yes=False) == 1
    out = capsys.readouterr().out
    assert f"(empreinte {keys.spaced(old.fingerprint)})" in out
    assert "Ne la remplacez que si elle est perdue pour de bon" in out
    assert out.strip().endswith("Rien n'a changé.")
    assert not (fresh.data_dir / KEY_FILE).exists()
    assert await cli.cmd_run(fresh) == 1
    assert await cli.cmd_new_key(fresh, yes=True) == 0
    new = signing_key(fresh.data_dir)
    assert new.fingerprint != old.fingerprint
    assert f"Nouvelle clé en place ({KEY_FILE}, empreinte {keys.spaced(new.fingerprint)})" in (
        capsys.readouterr().out
    )
    assert await cli.cmd_run(fresh) == 0 and started == [fresh]
    # The folder that had the key all along needs nothing.
    assert await cli.cmd_new_key(settings, yes=True) == 0
    assert "déjà la clé" in capsys.readouterr().out


def test_the_key_to_publish_is_never_made_where_there_is_no_base(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer EB3: `formabot verifier --cle` from a folder holding no base (cron's home, a
    mistyped FORMABOT_DATA_DIR) made a key there and printed it « à publier »."""
    done = formabot(["verifier", "--cle"])
    assert done.returncode == 1 and "BEGIN PUBLIC KEY" not in done.stdout
    assert done.stderr.startswith(f"Pas de base formabot à {tmp_path / 'formabot.db'} :")
    assert list(tmp_path.iterdir()) == []
    assert formabot(["demo"]).returncode == 0  # a base that signed nothing: its key, made now
    done = formabot(["verifier", "--cle"])
    assert done.returncode == 0
    assert keys.spaced(signing_key(tmp_path).fingerprint) in done.stdout


async def test_the_key_to_publish_is_not_a_new_one_on_a_base_restored_without_its_key(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Explorer EB3: on a base whose data folder lacks the key that signed it (GC15), `formabot
    verifier --cle` made a new key silently and printed it as the organisation's."""
    await attested(trainer, person, clock)
    fresh = replace(settings, data_dir=tmp_path / "sans-sauvegarde")
    capsys.readouterr()
    assert await cli.cmd_public_key(fresh) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == keys.missing_words(fresh.data_dir)
    assert not (fresh.data_dir / KEY_FILE).exists()


def test_a_backup_says_the_key_is_not_in_it(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """GC15: ``formabot backup`` copies the base only, on purpose (whoever holds a dump must
    not be able to sign): once there is a key, it says to keep a copy of it elsewhere."""
    assert formabot(["demo"]).returncode == 0
    done = formabot(["backup"])
    assert done.returncode == 0 and "clé" not in done.stdout
    signing_key(tmp_path)
    done = formabot(["backup"])
    assert done.returncode == 0
    assert done.stdout.strip().splitlines()[-1] == (
        f"La clé qui signe les attestations ({tmp_path.absolute() / KEY_FILE}) n'est pas dans"
        " cette sauvegarde, exprès : gardez-en une copie à part, hors de cette machine. Sans"
        " elle, une base remise en place ne peut plus produire de dossier de preuves valable"
        " pour les attestations déjà signées."
    )
