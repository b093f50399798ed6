"""The console transport: rendering, documents on disk, and surviving SIGKILL mid-dialogue."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import signal
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.engine import Engine
from bot.messages import Choice, Document, Reply
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.inbox import InboxUpdate
from bot.transports.console import (
    Console,
    ConsoleTransport,
    file_problem,
    render,
    safe_filename,
    take_messages,
)
from tests.auxil.dialogue import Clock
from tests.auxil.terminal import CTRL_D, in_a_terminal

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    """Read as a terminal would be (the console then prompts, through ``_prompt``)."""

    def isatty(self) -> bool:
        return True


def test_choices_are_numbered_and_markup_is_plain(tmp_path: Path) -> None:
    shown = render(
        Reply(
            text="<b>Qui</b> &amp; quand ?", choices=(Choice("Oui", "1|yes"), Choice("Non", "1|no"))
        ),
        tmp_path,
    )
    assert shown == "Qui & quand ?\n  1. Oui\n  2. Non"


def test_documents_are_written_to_disk_with_a_safe_name(tmp_path: Path) -> None:
    reply = Reply(
        text="Voici",
        document=Document("../../etc/passwd compte rendu.pdf", "application/pdf", b"%PDF-1.4"),
    )
    shown = render(reply, tmp_path / "docs")
    written = list((tmp_path / "docs").iterdir())
    assert len(written) == 1 and written[0].read_bytes() == b"%PDF-1.4"
    assert written[0].parent == tmp_path / "docs"
    assert str(written[0]) in shown
    assert safe_filename("") == "document"


def test_documents_of_the_same_name_are_all_kept(tmp_path: Path) -> None:
    """Every participant's attestation has the same file name: none is written over another."""
    folder = tmp_path / "docs"

    def attestation(content: bytes) -> str:
        reply = Reply(text="", document=Document("attestation.pdf", "application/pdf", content))
        return render(reply, folder).split("[document] ")[1]

    first, second = attestation(b"%PDF Karim"), attestation(b"%PDF Ines")
    again = attestation(b"%PDF Karim")  # shown again after a restart: not a third copy
    assert Path(first).read_bytes() == b"%PDF Karim"
    assert Path(second).name == "attestation-2.pdf"
    assert Path(second).read_bytes() == b"%PDF Ines"
    assert again == first
    assert len(list(folder.iterdir())) == 2


def test_a_file_line_that_names_no_file_is_answered_by_the_console(tmp_path: Path) -> None:
    (tmp_path / "liste.csv").write_text("Karim Benali\n", encoding="utf-8")
    assert file_problem(f"/fichier {tmp_path / 'liste.csv'}") is None
    assert file_problem("Bonjour") is None and file_problem("/fichiers") is None
    missing = file_problem(f"/fichier {tmp_path / 'absente.xlsx'}")
    assert missing is not None and "Je ne trouve pas de fichier" in missing
    assert "absente.xlsx" in missing
    folder = file_problem(f"/fichier {tmp_path}")
    assert folder is not None and "est un dossier" in folder
    bare = file_problem("/fichier   ")
    assert bare is not None and bare.startswith("Donnez le chemin du fichier après /fichier")
    huge = tmp_path / "film.mp4"
    with huge.open("wb") as f:
        f.truncate(512 * 2**20)  # sparse: 512 Mo on paper, nothing read
    assert file_problem(f"/fichier {huge}") == (
        "« film.mp4 » pèse 512 Mo : j'accepte les fichiers jusqu'à 20 Mo"
        " (une liste de stagiaires, un compte rendu, une photo)."
    )
    limit = tmp_path / "juste.pdf"
    with limit.open("wb") as f:
        f.truncate(20 * 2**20)
    assert file_problem(f"/fichier {limit}") is None


async def test_a_missing_file_is_said_at_once_and_nothing_is_recorded(
    engine: Engine, demo: None, tmp_path: Path
) -> None:
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=tmp_path, out=out)
    await console.run(io.StringIO(f"/fichier {tmp_path / 'absente.pdf'}\n"))
    shown = out.getvalue()
    assert "Je ne trouve pas de fichier à cet endroit" in shown
    assert "Je ne connais pas la commande" not in shown
    async with engine.db.sessions() as session:
        assert (await session.scalars(select(InboxUpdate))).all() == []


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("preuve.txt", "text/plain"),
        ("stagiaires.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("stagiaires.csv", "text/csv"),
        ("feuille.PDF", "application/pdf"),
        ("sans-extension", "application/octet-stream"),
    ],
)
def test_a_file_is_sent_with_the_type_its_name_says(
    engine: Engine, tmp_path: Path, name: str, mime: str
) -> None:
    (tmp_path / name).write_bytes(b"contenu")
    console = Console(engine, name="formateur", documents=tmp_path / "docs")
    incoming = console.incoming(f"/fichier {tmp_path / name}")
    assert incoming.attachment is not None and incoming.text == ""
    assert (incoming.attachment.filename, incoming.attachment.mime_type) == (name, mime)


async def test_a_console_session_in_process(engine: Engine, demo: None) -> None:
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=Path("/tmp"), out=out)
    source = io.StringIO("/formations\n1\nVoir le détail\n")
    await console.run(source)
    text = out.getvalue()
    assert "> /formations" in text and "Léa Martin" in text


class Bot:
    """A real ``formabot console`` process driven line by line."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.process: asyncio.subprocess.Process | None = None
        self.output = ""

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["FORMABOT_DATA_DIR"] = str(self.data_dir)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "console",
            "--as",
            "claire",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )

    async def say(self, line: str, expect: str) -> str:
        assert self.process and self.process.stdin and self.process.stdout
        self.output = ""
        self.process.stdin.write((line + "\n").encode())
        await self.process.stdin.drain()
        while expect not in self.output:
            chunk = await asyncio.wait_for(self.process.stdout.readline(), timeout=60)
            if not chunk:
                raise AssertionError(f"bot ended before {expect!r}: {self.output}")
            self.output += chunk.decode()
        return self.output

    async def kill(self) -> None:
        assert self.process
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def interrupt(self) -> tuple[int, str]:
        """Ctrl-C (SIGINT), the pipe left open: the exit code and what was printed after."""
        assert self.process and self.process.stdout
        self.process.send_signal(signal.SIGINT)
        rest = await asyncio.wait_for(self.process.stdout.read(), timeout=30)
        return await asyncio.wait_for(self.process.wait(), timeout=30), rest.decode()

    async def close(self) -> None:
        assert self.process and self.process.stdin
        self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), timeout=60)


async def at_the_formation_kind(bot: Bot) -> None:
    """Claire creates Forma Plus, then /formation up to « De quoi s'agit-il ? »."""
    await bot.say("/start", "nom de votre organisme")
    await bot.say("Forma Plus", "fuseau horaire")
    await bot.say("1", "votre nom")
    await bot.say("Claire Martin", "parler de vous")
    await bot.say("1", "/inviter")
    await bot.say("/formation", "intitulé")
    await bot.say("Agent de restauration", "De quoi s'agit-il")


@pytest.mark.slow
async def test_killed_in_the_middle_of_a_formation_it_resumes_at_the_same_step(
    tmp_path: Path,
) -> None:
    bot = Bot(tmp_path)
    await bot.start()
    await at_the_formation_kind(bot)
    await bot.say("Une formation", "Qui la finance")
    await bot.say("Région Normandie", "organisé")
    await bot.kill()

    bot = Bot(tmp_path)
    await bot.start()
    await bot.say("De date à date", "Quelles sont les dates")
    await bot.say("du 1er décembre 2026 au 15 juin 2027", "C'est bien ça")
    await bot.say("oui", "certifiante")
    await bot.kill()

    bot = Bot(tmp_path)
    await bot.start()
    await bot.say("non", "courte ou longue")
    await bot.say("courte", "chargée de mission")
    await bot.say("Passer", "stagiaires")
    await bot.say("Ana Lopes", "délégué")
    await bot.say("Terminé", "Récapitulatif")
    done = await bot.say("Enregistrer", "C'est enregistré")
    assert "Agent de restauration" in done
    await bot.close()

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}")
    async with database.sessions() as session:
        rows = (await session.scalars(select(Formation))).all()
        assert [(f.title, f.funder, f.mode) for f in rows] == [
            ("Agent de restauration", "normandie", "dates")
        ]
    await database.dispose()


@pytest.mark.slow
async def test_a_terminal_opened_again_shows_the_question_under_way(tmp_path: Path) -> None:
    """Killed mid-dialogue, the console opened again in a terminal asks its question first:
    the dialogue was kept, but the screen that showed the question is gone."""
    bot = Bot(tmp_path)
    await bot.start()
    await at_the_formation_kind(bot)
    await bot.kill()

    screen = await in_a_terminal(["console", "--as", "claire"], tmp_path, [("vous> ", CTRL_D)])
    shown = screen.shown
    assert "Reprise de la conversation en cours" in shown
    assert "En cours : créer une formation" in shown
    resumed = shown.split("Reprise de la conversation en cours")[1]
    assert "De quoi s'agit-il" in resumed and "1. Une formation" in resumed
    # Asked once, before the prompt: nothing else was answered.
    assert resumed.count("De quoi s'agit-il") == 1


async def test_a_terminal_with_nothing_under_way_opens_on_the_prompt(
    engine: Engine, demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.transports.console._prompt", lambda: None)  # Ctrl-D at once
    out = io.StringIO()
    await Console(engine, name="formateur", documents=Path("/tmp"), out=out).run(Terminal())
    assert "(console" in out.getvalue() and "Reprise" not in out.getvalue()
    # Something under way: shown again at the next opening, the question last.
    await Console(engine, name="formateur", documents=Path("/tmp"), out=io.StringIO()).run(
        io.StringIO("/formation\n")
    )
    again = io.StringIO()
    await Console(engine, name="formateur", documents=Path("/tmp"), out=again).run(Terminal())
    shown = again.getvalue()
    resumed = shown.split("Reprise de la conversation en cours :")[1]
    assert resumed.index("En cours : créer une formation") < resumed.index(
        "Quel est son intitulé ?"
    )
    # The question, last, before the farewell of the input's end (explorer BC1).
    assert shown.rstrip().removesuffix("Au revoir !").rstrip().endswith("session de printemps »)")


async def test_a_terminal_opened_after_the_dialogue_lapsed_announces_no_resumption(
    engine: Engine, demo: None, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer QB5: « Reprise de la conversation en cours : » then « Sans réponse depuis un
    moment, j'ai refermé … »: a heading saying it resumes what it then said closed."""
    monkeypatch.setattr("bot.transports.console._prompt", lambda: None)  # Ctrl-D at once
    await Console(engine, name="formateur", documents=Path("/tmp"), out=io.StringIO()).run(
        io.StringIO("/formation\n")
    )
    clock.advance(hours=30)
    again = io.StringIO()
    await Console(engine, name="formateur", documents=Path("/tmp"), out=again).run(Terminal())
    assert "Reprise" not in again.getvalue() and "Quel est son intitulé" not in again.getvalue()


async def test_a_message_arriving_at_the_prompt_gets_its_own_line_and_the_prompt_back(
    engine: Engine, demo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest printed while the terminal waited read « vous> 📋 Échéances du … »."""
    asked, typed = threading.Event(), threading.Event()

    def prompt() -> None:
        asked.set()
        typed.wait(30)  # then Ctrl-D

    monkeypatch.setattr("bot.transports.console._prompt", prompt)
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=tmp_path, out=out)
    transport = ConsoleTransport(console, tmp_path / "inbox")
    running = asyncio.create_task(console.run(Terminal()))
    await asyncio.to_thread(asked.wait, 30)
    out.write("vous> ")  # what input() shows meanwhile
    await transport.send("formateur", Reply("📋 Échéances du jeudi 3 décembre 2026"))
    typed.set()
    await asyncio.wait_for(running, 30)
    assert "vous> \n📋 Échéances du jeudi 3 décembre 2026\n\nvous> " in out.getvalue()
    # Printed after a line was typed (no prompt waiting), it is printed as it is.
    await transport.send("formateur", Reply("Rappel"))
    assert out.getvalue().endswith("vous> \nAu revoir !\nRappel\n\n")  # Ctrl-D said (BC1)


async def test_a_message_written_by_another_console_shows_while_this_one_runs(
    engine: Engine, demo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trainer at one console, a delegate at another: what the delegate's process sends
    the trainer shows at the trainer's console, not only at its next opening."""
    monkeypatch.setattr("bot.transports.console.WATCH_EVERY", 0.01)
    inbox = tmp_path / "inbox"
    trainer_out = io.StringIO()
    trainer = ConsoleTransport(
        Console(engine, name="formateur", documents=tmp_path, out=trainer_out), inbox
    )
    delegate = ConsoleTransport(
        Console(engine, name="lea", documents=tmp_path, out=io.StringIO()), inbox
    )
    await delegate.send("formateur", Reply("Léa Martin a confirmé sa participation."))
    await trainer.start()  # written before it opened: « en votre absence »
    assert "Messages reçus en votre absence :\nLéa Martin a confirmé" in trainer_out.getvalue()
    sent = [f"Réponse {n}" for n in range(200)]
    for text in sent:
        await delegate.send("formateur", Reply(text))
        await asyncio.sleep(0)
    for _ in range(200):
        if all(text in trainer_out.getvalue() for text in sent):
            break
        await asyncio.sleep(0.02)
    await trainer.stop()
    shown = trainer_out.getvalue()
    assert [shown.count(f"{text}\n") for text in sent] == [1] * 200  # all, once each
    assert shown.count("Léa Martin a confirmé") == 1  # not shown again by the watch
    assert (inbox / "formateur.txt").read_text() == ""


def test_the_inbox_file_is_emptied_under_the_writers_lock(tmp_path: Path) -> None:
    """A writer that opened the file before it was emptied waits, then its message stays."""
    path = tmp_path / "formateur.txt"
    path.write_text("premier\n\n")
    with path.open("a") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX)
        taking = threading.Thread(target=lambda: taken.append(take_messages(path)))
        taken: list[str] = []
        taking.start()
        taking.join(0.2)
        assert taking.is_alive()  # waits for the writer
        writer.write("second\n\n")
        writer.flush()
        fcntl.flock(writer, fcntl.LOCK_UN)
    taking.join(5)
    assert taken == ["premier\n\nsecond\n\n"] and path.read_text() == ""


@pytest.mark.slow
async def test_ctrl_c_stops_a_piped_console_at_once_and_cleanly(tmp_path: Path) -> None:
    """It waited for the next line of a pipe kept open; a Ctrl-C mid-dialogue is a clean stop."""
    bot = Bot(tmp_path)
    await bot.start()
    await bot.say("/start", "nom de votre organisme")
    await bot.say("Forma Plus", "fuseau horaire")
    code, rest = await bot.interrupt()  # while the console waits for the next line
    assert code == 0 and "Traceback" not in rest

    bot = Bot(tmp_path)
    await bot.start()
    await bot.say("1", "votre nom")  # the dialogue resumes where it was
    code, rest = await bot.interrupt()
    assert code == 0 and "Traceback" not in rest


async def test_quitter_ends_the_console_and_reaches_no_dialogue(engine: Engine, demo: None) -> None:
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=Path("/tmp"), out=out)
    await console.run(io.StringIO("/formation\n  /Quitter \n/aide\n"))
    text = out.getvalue()
    assert "Au revoir" in text and "Je ne connais pas la commande" not in text
    assert "> /aide" not in text  # nothing read after it
    # The dialogue under way is kept: the next start resumes it.
    again = io.StringIO()
    await Console(engine, name="formateur", documents=Path("/tmp"), out=again).run(
        io.StringIO("/aide\n")
    )
    assert "En cours : " in again.getvalue()
