"""The terminal as a chat: try the bot with no token, or pipe a dialogue through it.

Each line typed is one message from the person named by ``--as``.  Choices
print as numbered lines and are answered by number or label (the engine
does the matching, as for Matrix).  Documents are written to a folder and
their path is printed.  When standard input is not a terminal, the replies
are printed without prompts so a piped dialogue gives a clean transcript.

Each line is written to the inbox (:mod:`bot.inbox`) before it is handled;
in a piped dialogue the echoed ``> line`` is printed once it is, so a line
echoed is a line the bot will answer even if it is killed right then: at
the next start, what was recorded but not answered is answered first.
"""

from __future__ import annotations

import asyncio
import fcntl
import mimetypes
import re
import sys
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from bot import texts
from bot.engine import Engine
from bot.files import make_private, private_dir, write_private
from bot.inbox import Inbox, Sent
from bot.messages import Attachment, Incoming, Platform, Reply, numbering
from bot.storage.state import under_way

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip("._") or "document"
    return cleaned[:120]


def render(reply: Reply, documents: Path) -> str:
    """What the terminal shows for one reply."""
    lines: list[str] = []
    if reply.text:
        lines.append(texts.plain(reply.text))
    code = reply.extras.get("invite_code")
    if code and not reply.text:
        lines.append(f"/start {code}")
    for number, choice in zip(numbering(reply.choices), reply.choices, strict=True):
        lines.append(f"  {number} {choice.label}")
    if reply.document is not None:
        path = write_private(
            _free_path(private_dir(documents), reply.document.filename, reply.document.content),
            reply.document.content,
        )
        caption = f" ({texts.plain(reply.document.caption)})" if reply.document.caption else ""
        lines.append(f"[document] {path}{caption}")
    return "\n".join(lines)


def _free_path(folder: Path, filename: str, content: bytes) -> Path:
    """Where to write a document: never over another one of the same name.

    Documents may share a name (the attestations of the participants of one bilan, all
    ``attestation-bilan-2026-11-26-agent-de-restauration.pdf``, in one console's folder):
    the second gets ``-2``, and so on.
    The same document again (a reply shown again after a restart) is
    written over itself rather than kept twice.
    """
    name = Path(safe_filename(filename))
    path = folder / name
    number = 1
    while path.exists() and path.read_bytes() != content:
        number += 1
        path = folder / f"{name.stem}-{number}{name.suffix}"
    return path


FILE_EXAMPLE = "« /fichier ~/Documents/stagiaires.xlsx »"


def _named_file(line: str) -> str | None:
    """What follows ``/fichier`` (maybe nothing); ``None`` when the line is not that command."""
    command, _, rest = line.strip().partition(" ")
    return rest.strip() if command == "/fichier" else None


LEAVING = frozenset({"/quitter", "/quit", "/exit", "quitter", "exit"})
"""What a newcomer types to leave a terminal: the console's own business, never the bot's
(the bot would answer « Je ne connais pas la commande /quitter »)."""


def is_leaving(line: str) -> bool:
    return line.strip().casefold() in LEAVING


def file_problem(line: str) -> str | None:
    """What the console says itself to a ``/fichier`` line that names no file; None otherwise.

    Said before anything is recorded: a wrong path is the terminal's
    business, as a file chooser's would be, not a message to the bot.
    """
    given = _named_file(line)
    if given is None:
        return None
    if not given:
        return f"Donnez le chemin du fichier après /fichier, par exemple {FILE_EXAMPLE}."
    path = Path(given).expanduser()
    if path.is_dir():
        return f"« {given} » est un dossier : donnez le chemin d'un fichier, par exemple {FILE_EXAMPLE}."
    if not path.is_file():
        return f"Je ne trouve pas de fichier à cet endroit : « {given} ». Vérifiez le chemin, par exemple {FILE_EXAMPLE}."
    size = path.stat().st_size
    if size > MAX_FILE:
        # As on Telegram (20 Mo per file a bot may download): never read into the inbox.
        return (
            f"« {path.name} » pèse {size / 2**20:.0f} Mo : j'accepte les fichiers jusqu'à"
            f" {MAX_FILE // 2**20} Mo (une liste de stagiaires, un compte rendu, une photo)."
        )
    return None


MAX_FILE = 20 * 1024 * 1024
"""The largest file ``/fichier`` sends, as Telegram's limit for bots."""


PROMPT = "vous> "


class Console:
    """One person talking to the engine from a terminal or a pipe."""

    def __init__(
        self,
        engine: Engine,
        *,
        name: str,
        documents: Path,
        out: TextIO = sys.stdout,
        introduced: bool = False,
    ) -> None:
        self.engine = engine
        self.introduced = introduced
        """`formabot run` said already how to quit: the console's own line would say it
        again, naming its account « formateur » to Camille Durand (explorer QB14)."""
        self.name = name
        self.documents = documents
        self.out = out
        self.inbox = Inbox(engine, Platform.CONSOLE, self._show, concurrency=1)
        self.prompting = False
        """The terminal shows « vous> » and waits for a line."""

    def incoming(self, line: str) -> Incoming:
        attachment = None
        text = line
        given = _named_file(line)
        if given:
            # "/fichier chemin" sends a file, as a photo or document would be sent.
            path = Path(given).expanduser()
            if path.is_file():
                # By its name, as a chat application labels what it sends.
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                attachment = Attachment(path.name, mime, path.read_bytes())
                text = ""
        return Incoming(
            platform=Platform.CONSOLE,
            chat=self.name,
            user=self.name,
            event_id=uuid.uuid4().hex,
            text=text,
            attachment=attachment,
            display_name=self.name,
        )

    async def _show(
        self,
        incoming: Incoming,
        answer: Mapping[str, Any],
        replies: Sequence[Reply],
        skip: int,
        sent: Sent,
    ) -> None:
        for index, reply in enumerate(replies):
            if index < skip:
                continue
            shown = render(reply, self.documents)
            if shown:
                print(shown, file=self.out, flush=True)
                print(file=self.out, flush=True)
            await sent(index + 1)

    def aside(self, shown: str) -> None:
        """A message that comes by itself (the digest, a reminder): below the prompt it
        would be written after « vous> », so it gets its own line and the prompt comes back."""
        lead = "\n" if self.prompting else ""
        print(lead + shown + "\n", file=self.out, flush=True)
        if self.prompting:
            print(PROMPT, end="", file=self.out, flush=True)

    async def say(self, line: str, *, echo: bool = False) -> list[Reply]:
        """Record the line, then (echoed, in a transcript) wait for its answer."""
        problem = file_problem(line)
        if problem is not None:
            if echo:
                print(f"> {line}", file=self.out, flush=True)
            print(problem + "\n", file=self.out, flush=True)
            return []
        (answered,) = await self.inbox.record([(self.incoming(line), {})])
        if echo:
            print(f"> {line}", file=self.out, flush=True)
        return await answered

    async def _under_way(self) -> bool:
        async with self.engine.db.sessions() as session:
            now = self.engine.clock()  # a lapsed one is said closed at the next line (QB5)
            return await under_way(session, Platform.CONSOLE.value, self.name, self.name, now)

    async def run(self, source: Lines = sys.stdin) -> None:
        interactive = source.isatty()
        # Lines recorded before a crash but not answered are answered first.
        await asyncio.gather(*await self.inbox.resume(chat=self.name))
        if interactive:
            if not self.introduced:
                print(
                    f"(console {texts.of(self.name)} ; /aide pour l'aide, /quitter ou Ctrl-D"
                    " pour quitter)",
                    file=self.out,
                )
            if await self._under_way():
                # Its question went with the last terminal: /aide says what is under way
                # and asks it again.
                print("Reprise de la conversation en cours :\n", file=self.out, flush=True)
                await self.say("/aide")
        while True:
            line: str | None
            if interactive:
                self.prompting = True
                try:
                    line = await waiting_for(_prompt)
                finally:
                    self.prompting = False
            else:
                line = await waiting_for(source.readline)
                if line == "":
                    line = None
            if line is None:
                if interactive:  # Ctrl-D at the prompt: its own line, as /quitter (BC1)
                    print("\nAu revoir !", file=self.out, flush=True)
                return
            line = line.rstrip("\r\n")
            if is_leaving(line):
                print(
                    "Au revoir ! Ce qui était en cours reprendra au prochain lancement.",
                    file=self.out,
                )
                return
            while line.endswith("\\"):
                # A trailing backslash continues the message on the next line, so a
                # list (one trainee per line) can be typed or piped as one message.
                more = await waiting_for(_prompt if interactive else source.readline)
                line = line[:-1].rstrip() + "\n" + (more or "").rstrip("\r\n")
            if line.strip() or not interactive:
                await self.say(line, echo=not interactive and bool(line))


class Lines(Protocol):
    """Where the console reads: the terminal, a pipe, or :class:`Replaying`."""

    def isatty(self) -> bool: ...

    def readline(self) -> str: ...


class Replaying:
    """A pipe whose first line was already read (to know it was not empty), given back whole."""

    def __init__(self, first: str, rest: Lines) -> None:
        self._first: str | None = first
        self._rest = rest

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        first, self._first = self._first, None
        return self._rest.readline() if first is None else first


T = TypeVar("T")


async def waiting_for(read: Callable[[], T]) -> T:
    """``read()`` (a line of the terminal or of a pipe) in a thread of its own, a daemon.

    Not the loop's executor: a Ctrl-C or a SIGTERM stops the console while
    the thread still waits for a line, and ``asyncio.run`` would wait for
    every executor thread to end, that is for the next line or for the end
    of a pipe another program keeps open.  A daemon is left behind instead.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():  # cancelled: the console is stopping
            outcome()

    def work() -> None:
        outcome: Callable[[], None]
        try:
            outcome = partial(future.set_result, read())
        except BaseException as exc:  # not the end of the input (the readers return it)
            outcome = partial(future.set_exception, exc)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:  # the loop is closed: nobody waits for this line any more
            pass

    threading.Thread(target=work, name="console-input", daemon=True).start()
    return await future


def _prompt() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None


class ConsoleTransport:
    """What the outbox sends to console users: printed for the one at the keyboard,
    kept in a per-person inbox file for the others.  A console shows its own file when it
    opens (« reçus en votre absence ») and, while it runs, what another console process
    writes there (the trainer's console, told of a delegate's answer typed in another)."""

    platform = "console"

    def __init__(self, console: Console, inbox: Path) -> None:
        self.console = console
        self.inbox = inbox
        self._watcher: asyncio.Task[None] | None = None

    @property
    def mine(self) -> Path:
        return self.inbox / f"{safe_filename(self.console.name)}.txt"

    async def start(self) -> None:
        waiting = take_messages(self.mine)
        if waiting:
            print("Messages reçus en votre absence :\n" + waiting, file=self.console.out)
        self._watcher = asyncio.create_task(self._watch(), name="console-inbox")

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_EVERY)
            arrived = take_messages(self.mine)
            if arrived:
                self.console.aside(arrived.rstrip("\n"))

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)
        await self.console.inbox.stop()

    async def send(self, chat_id: str, reply: Reply) -> None:
        shown = render(reply, self.console.documents)
        if chat_id == self.console.name:
            self.console.aside(shown)
            return
        path = private_dir(self.inbox) / f"{safe_filename(chat_id)}.txt"
        with path.open("a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # never between another console's read and emptying
            f.write(shown + "\n\n")
        make_private(path)


WATCH_EVERY = 1.0
"""Seconds between two looks at a console's inbox file while it runs."""


def take_messages(path: Path) -> str:
    """What the file holds, emptied under the same lock the writers take (a message
    appended meanwhile waits for the lock and stays for the next look)."""
    try:
        if path.stat().st_size == 0:  # the usual look: nothing came, nothing to lock
            return ""
        with path.open("r+", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            taken = f.read()
            f.seek(0)
            f.truncate()
    except FileNotFoundError:  # nothing was ever written for this person
        return ""
    return taken
