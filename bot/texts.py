"""Every sentence a user reads comes from a Jinja2 template under ``templates/``.

Chat messages live in ``templates/chat/<topic>.j2``, one ``{% block %}`` per
message, so an organisation can reword a whole conversation in one file
without touching code.  ``say("formation.ask_title", ...)`` renders block
``ask_title`` of ``chat/formation.j2``.

Chat text is a small, safe subset of HTML (``<b>``, ``<i>``, ``<code>``):
autoescaping is on, so whatever a user typed is escaped once here and every
transport can trust the markup (Telegram sends it as HTML, the console and
Matrix derive plain text from it).
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.runtime
import markupsafe

from bot.template_lookups import Environment

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One environment for the process; an override folder comes first."""
    override = os.environ.get("FORMABOT_TEMPLATES_DIR")
    return _environment([override] if override else [])


@lru_cache(maxsize=1)
def _shipped() -> jinja2.Environment:
    """``templates/`` alone: the blocks an override file leaves out (:func:`_message`)."""
    return _environment([])


def _environment(overrides: list[str]) -> jinja2.Environment:
    folders = [*overrides, str(TEMPLATES_DIR)]
    env = Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        # Compiled once per process: no stat of the file at every message (a
        # reworded template is read at the next start).
        auto_reload=False,
        cache_size=-1,
    )
    from bot import dates

    env.filters["jour"] = lambda v: dates.spell_date(_moment(v))
    env.filters["jour_mois"] = lambda v: dates.spell_day_month(_moment(v))
    env.filters["duree"] = dates.spell_minutes
    env.filters["jour_heure"] = lambda v: dates.spell_datetime(_moment(v))
    env.filters["heure"] = lambda v: dates.spell_time(_moment(v))
    env.filters["chome"] = day_off_said
    env.filters["regle"] = rule_said
    env.filters["source"] = rule_source
    env.filters["contact_region"] = region_contact_said
    env.filters["de"] = de
    env.filters["de_titre"] = de_titre
    env.filters["nombre"] = number
    env.filters["et"] = et
    env.filters["organisme"] = organisme
    env.filters["de_la_formation"] = de_la_formation
    env.filters["salutation"] = salutation
    env.filters["majuscule"] = upper_first
    env.filters["periode"] = lambda start, end, capital=False: period_said(
        _moment(start), _moment(end), capital=capital
    )
    return env


_CIVILITY = re.compile(
    r"^\s*(?:(?P<madame>mme|madame|mlle|mademoiselle)|(?P<monsieur>m|mr|monsieur))(?:\.\s*|\s+)",
    re.IGNORECASE,
)


def period_said(start: date, end: date, *, capital: bool = False) -> str:
    """« du lundi 2 mars 2027 au mardi 15 juin 2027 », and « le vendredi 27 novembre 2026 »
    for a formation of one day (explorer ED2: « du vendredi 27 novembre 2026 au vendredi 27
    novembre 2026 »)."""
    from bot import dates

    if start == end:
        said = f"le {dates.spell_date(start)}"
    else:
        said = f"du {dates.spell_date(start)} au {dates.spell_date(end)}"
    return said[0].upper() + said[1:] if capital else said


def salutation(name: object, named: bool = False) -> str:
    """ "Madame" for "Mme Sophie Leroy", "Monsieur" for "M. Paul Girard": a letter to the
    administration greets by the civility alone, never "Mme" with a first name; a name typed
    without one is greeted as typed ("Bonjour Sophie Leroy").

    ``named``: the civility and the surname, « Madame Diallo » for « Mme Awa Diallo », in an
    invitation the trainer forwards: two « Bonjour Madame, » differing only by their code
    could not be told apart (explorer HB6). The surname is the words after the first one, or
    the words in capitals (« Mme DUPONT Marie »), or the one word there is."""
    text = str(name).strip()
    found = _CIVILITY.match(text)
    rest = text[found.end() :].split() if found is not None else []
    if found is None or not rest:
        return text
    civility = "Madame" if found.group("madame") else "Monsieur"
    if not named:
        return civility
    capitals = [w for w in rest if sum(c.isalpha() for c in w) > 1 and w.isupper()]
    surname = capitals if capitals and len(capitals) < len(rest) else rest[1:] or rest
    return f"{civility} {' '.join(surname)}"


def of(name: object, word: str = "de") -> str:
    """ "de Karim Benali", "d'Inès Garnier", "d'Hugo Moreau": the elision a careful writer makes
    before a vowel or a mute h (a name's h is taken as mute, as in most first names), and
    before a y that is a vowel (« d'Yvonne », but « de Yanis »); ``word`` « que »: « qu'Enzo »
    (explorer AU7: « pour que Enzo André … participent »)."""
    text = str(name)
    # « d'« Agent de restauration » », the elision made across the quote (explorer AC8).
    head = unicodedata.normalize("NFD", text.lstrip("«\u00a0\u202f ")[:2]).casefold()
    head = "".join(c for c in head if not unicodedata.combining(c))
    # A y before a vowel is a consonant: de Yanis, de Youssef, de Yasmine; d'Yves (explorer AE3).
    vowel = head[:1] in tuple("aeiouh") or (head[:1] == "y" and head[1:2] not in tuple("aeiou"))
    return (f"{word[:-1]}'" if vowel else f"{word} ") + text


def upper_first(label: str) -> str:
    """ "Par message (Tchap)", "SMS": a label's first letter up, where ``str.capitalize``
    would also put "Tchap" and "SMS" down."""
    return label[:1].upper() + label[1:]


def rule_said(rule_id: str) -> str:
    """``{{ rule_id|regle }}``: the rule in words (:func:`bot.rules.catalogue.rule_label`)."""
    from bot.rules.catalogue import rule_label  # loaded when a rule is named, not at start

    return rule_label(rule_id)


def rule_source(rule_id: str) -> str:
    """``{{ "NOR-DOCS"|source }}``: the rule's texts, funder and document named."""
    from bot.rules.catalogue import rule_citation

    return rule_citation(rule_id)


def region_contact_said(funder: str | None) -> str:
    """``{{ funder|contact_region }}``: who follows the formation at the Région, as the
    funder's texts name her (:func:`bot.rules.facts.region_contact`)."""
    from bot.rules.facts import region_contact

    return region_contact(funder)


def day_off_said(value: Any) -> str:
    """« un samedi », « un jour férié (jour de l'An) » for a day nobody trains; else ""."""
    from bot import dates  # as the filters above: not at start

    off = dates.day_off(_moment(value))
    if not off:
        return ""
    return f"un jour {off}" if off.startswith("férié") else off


@jinja2.pass_eval_context
def de(context: jinja2.nodes.EvalContext, name: object, word: str = "de") -> str:
    """``{{ name|de }}``, ``{{ names|de("que") }}``: :func:`of` in a template, the name escaped
    where the template escapes."""
    if context.autoescape:
        return markupsafe.Markup(of(markupsafe.escape(name), word))
    return of(name, word)


def number(value: int) -> str:
    """``{{ n|nombre }}``: « 12 979 », thousands apart by a narrow no-break space, as French
    writes them (explorer AD26: « 12979 caractères »)."""
    return f"{value:,}".replace(",", "\u202f")


@jinja2.pass_eval_context
def de_titre(context: jinja2.nodes.EvalContext, title: object) -> str:
    """``{{ title|de_titre }}``: « de « Cariste » », « d'« Agent de restauration » », the elision
    made across the quotes as everywhere else (explorer AD26)."""
    return de(context, f"« {title} »")


def de_la_formation(kind: object) -> str:
    """``{{ kind }}{{ kind|de_la_formation }} « {{ title }} »``: « bilan d'étape de la
    formation « … » », but « bilan de fin de formation « … » », not « … de formation de la
    formation » (explorer M)."""
    return "" if str(kind).endswith("formation") else " de la formation"


@jinja2.pass_eval_context
def organisme(context: jinja2.nodes.EvalContext, name: object, start: bool = True) -> str:
    """``{{ name|organisme }}`` at a sentence's start: « L'organisme Forma Plus », but
    « Organisme de démonstration » as it is (explorer M: « L'organisme Organisme de … »);
    ``organisme(false)`` inside one: « l'organisme Forma Plus », « l'Organisme de
    démonstration » (explorer DE6: « de l'organisme Organisme de démonstration »)."""
    shown = str(markupsafe.escape(name)) if context.autoescape else str(name)
    named = str(name).strip().casefold().startswith("organisme")
    if start:
        text = shown if named else f"L'organisme {shown}"
    else:
        text = f"l'{shown}" if named else f"l'organisme {shown}"
    return markupsafe.Markup(text) if context.autoescape else text


@jinja2.pass_eval_context
def et(context: jinja2.nodes.EvalContext, items: Any, word: str = "") -> str:
    """``{{ names|et }}``: « Léa Martin, Hugo Moreau et Jean Dupuis », each escaped where the
    template escapes; the list as a sentence says it, not as a comma-separated field.

    ``{{ names|et("de") }}``: « de Léa Martin et d'Inès Roy », the word repeated and elided
    before each name, as French writes it (explorer AI1: « d'Hugo Petit, Anne Dubois »)."""
    shown = [str(markupsafe.escape(i)) if context.autoescape else str(i) for i in items]
    if word:
        shown = [of(i, word) for i in shown]
    text = ", ".join(shown[:-1]) + f" et {shown[-1]}" if len(shown) > 1 else "".join(shown)
    return markupsafe.Markup(text) if context.autoescape else text


def _moment(value: Any) -> Any:
    """Dates kept in conversation answers are ISO strings; templates get them as such."""
    if isinstance(value, str):
        from datetime import date, datetime

        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value


def say(key: str, /, **context: Any) -> str:
    """Render one chat message, ``topic.block``, to safe markup."""
    env = environment()
    message = _messages.get(key)
    if message is None or message.env is not env:
        message = _messages[key] = _message(env, key)
    if message.constant is not None:
        return message.constant
    # What ``template.new_context`` makes, without what it redoes at every
    # message: copying the map of every block of the template (a tenth of a
    # question turn for the 91 blocks of formation.j2; a block rendered alone
    # never changes that map, only a child template's ``extends`` does) and
    # walking the template's globals, a ChainMap, twice.
    frame = env.context_class(
        env, {**message.globals, **context}, message.name, _NO_BLOCKS, message.globals
    )
    frame.blocks = message.blocks
    return _tidy("".join(message.render(frame)))


@dataclass(frozen=True)
class _Message:
    """One block of a chat template, ready to render (see :func:`say`)."""

    env: jinja2.Environment
    name: str
    globals: dict[str, Any]
    """The template's globals (Jinja's and the environment's), as they were at first use."""
    render: Callable[[jinja2.runtime.Context], Iterator[str]]
    blocks: dict[str, list[Callable[[jinja2.runtime.Context], Iterator[str]]]]
    constant: str | None = None
    """The message itself when its block is text alone, no name, tag or call in it (« De quoi
    s'agit-il ? »): the same words whatever is passed, rendered once (AP: half the questions
    of /formation, 6-8 µs each time)."""


_messages: dict[str, _Message] = {}
"""The messages rendered so far, by key, for the environment they were compiled in."""

_NO_BLOCKS: dict[str, Callable[[jinja2.runtime.Context], Iterator[str]]] = {}


def _message(env: jinja2.Environment, key: str) -> _Message:
    topic, _, block = key.partition(".")
    if not block:
        raise ValueError(f"message key must be 'topic.block', got {key!r}")
    name = f"chat/{topic}.j2"
    template = env.get_template(name)
    if block not in template.blocks and env is not _shipped():
        # A reworded file holding only the blocks it rewords: the others are the shipped
        # ones (explorer EB12: every other message of the file failed, /start included).
        template = _shipped().get_template(name)
    try:
        render = template.blocks[block]
    except KeyError as exc:
        raise KeyError(f"no message {block!r} in {name}") from exc
    blocks = {k: [v] for k, v in template.blocks.items()}  # what ``self.other()`` reaches
    message = _Message(env, name, dict(template.globals), render, blocks)
    source = template.environment
    if not _text_alone(source, name, block):
        return message
    frame = source.context_class(source, dict(message.globals), name, _NO_BLOCKS, message.globals)
    frame.blocks = blocks
    return replace(message, constant=_tidy("".join(render(frame))))


def _text_alone(env: jinja2.Environment, name: str, block: str) -> bool:
    """Whether ``block`` of template ``name`` holds text only (its source read again)."""
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    return block in _blocks_alone(env, source)


@lru_cache(maxsize=256)
def _blocks_alone(env: jinja2.Environment, source: str) -> frozenset[str]:
    """The blocks of a template's ``source`` that hold text only, parsed once for all of them:
    a file of chat messages holds dozens of blocks, and parsing it for each of its messages
    cost a new message's first use some 15 to 50 ms (1,322 parses for one test of them all)."""
    return frozenset(
        node.name
        for node in env.parse(source).find_all(jinja2.nodes.Block)
        if all(
            isinstance(out, jinja2.nodes.Output)
            and all(isinstance(part, jinja2.nodes.TemplateData) for part in out.nodes)
            for out in node.body
        )
    )


def render_document(name: str, /, **context: Any) -> str:
    """Render a whole template (a document body, an e-mail) as a string."""
    return environment().get_template(name).render(**context)


def escape(value: object) -> str:
    """Escape a value for chat markup when it is not going through a template."""
    return html.escape(str(value), quote=False)


_BLANKS = re.compile(r"\n{3,}")
_TAGS = re.compile(r"</?(b|i|u|code|pre)>")


_DOUBLE_STOP = re.compile(r"(?<![.…])\.((?:</?(?:b|i|u|code)>)*)\.(?!\.)")
"""A sentence's full stop after a value that already ended with one ("motif donné.")."""


def _tidy(text: str) -> str:
    """A rendered message without trailing blanks, runs of empty lines and doubled stops.

    Each substitution runs only where its pattern can match: a ``re.sub`` with a
    group in its replacement costs a few µs even when nothing matches, and
    every message passes here (AP)."""
    tidied = "\n".join([line.rstrip() for line in text.strip().splitlines()])
    if "\n\n\n" in tidied:
        tidied = _BLANKS.sub("\n\n", tidied)
    if ".." in tidied or ".<" in tidied:  # a double stop starts so, tags or not between
        tidied = _DOUBLE_STOP.sub(r".\1", tidied)
    return tidied


def plain(markup: str) -> str:
    """The text a terminal shows for chat markup: tags dropped, entities decoded."""
    return html.unescape(_TAGS.sub("", markup))


def split_text(text: str, limit: int, *, even: bool = True) -> list[str]:
    """Cut a long message so each part stays within a platform's limit and reads on its own.

    Cut between sections (a blank line) where one fits, else between lines; a line longer
    than the limit is cut where it must.  The parts are then made about as long as each
    other, as few as before: a digest just over the limit came as everything but its last
    line, then that line alone, a notification by itself (explorer XB7).  ``even`` False
    fills the first part as much as it can (a message edited keeps only that one).  Every
    transport uses this, so a long list reads the same on Telegram and on Matrix.
    """
    if len(text) <= limit:
        return [text]
    pieces = _pieces(text, limit)
    parts = _packed(pieces, limit)
    if not even or len(parts) < 2:
        return parts
    narrow, wide = max(len(before + piece + after) for _, piece, before, after in pieces), limit
    while narrow < wide:  # the narrowest width that needs no more parts
        middle = (narrow + wide) // 2
        if len(_packed(pieces, middle)) <= len(parts):
            wide = middle
        else:
            narrow = middle + 1
    return _packed(pieces, wide)


Piece = tuple[str, str, str, str]
"""What joins a piece to the one before, the piece, the tags opened before it that a part
beginning with it opens again, and their closing that a part ending with it adds."""


def _pieces(text: str, limit: int) -> list[Piece]:
    """``text`` as :data:`Piece`, none over ``limit`` with its tags: its sections, a section
    too long as its lines, a line too long cut (:func:`_cut_line`).  A tag open across them
    (« <i> » over blank lines) is closed at a cut and opened again after it, as a line's cut
    does (explorer ZA12: the first part opened it, the next closed it, refused by Telegram)."""
    pieces: list[Piece] = []
    outer: list[tuple[str, str]] = []  # the tags open before the next piece

    def add(joint: str, piece: str) -> None:
        nonlocal outer
        after = _still_open(outer, piece)
        pieces.append((joint, piece, _opening(outer), _closing(after)))
        outer = after

    for section in text.split("\n\n"):
        wrapped = len(_opening(outer)) + len(section) + len(_closing(_still_open(outer, section)))
        if wrapped <= limit:
            add("\n\n", section)
            continue
        for number, line in enumerate(section.split("\n")):
            joint = "\n\n" if number == 0 else "\n"
            room = max(limit - len(_opening(outer)) - len(_closing(outer)), TAG_ROOM * 2)
            while len(line) > room:
                head, line = _cut_line(line, room)
                add(joint, head)
                joint = ""
            add(joint, line)
    return pieces


def _still_open(outer: list[tuple[str, str]], piece: str) -> list[tuple[str, str]]:
    """The tags (name, opening tag) open after ``piece``, ``outer`` open before it."""
    opened = list(outer)
    for found in _TAG.finditer(piece):
        if not found[1]:
            opened.append((found[2], found[0]))
        elif opened and opened[-1][0] == found[2]:
            opened.pop()
    return opened


def _opening(opened: list[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in opened)


def _closing(opened: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(opened))


def _packed(pieces: list[Piece], width: int) -> list[str]:
    """The pieces in order, as many in each part as ``width`` holds with the tags a part
    closes at its end (a cut drops its joint; the next part opens them again)."""
    parts: list[str] = []
    current: str | None = None
    closing = ""
    for joint, piece, before, after in pieces:
        if current is not None and len(current) + len(joint) + len(piece) + len(after) <= width:
            current += joint + piece
        else:
            if current is not None:
                parts.append(current + closing)
            current = before + piece
        closing = after
    if current is not None:
        parts.append(current + closing)
    return parts


_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
TAG_ROOM = 80
"""What a cut keeps free for the tags it closes at its end (the chat markup nests two or three)."""


def _cut_line(line: str, limit: int) -> tuple[str, str]:
    """A line longer than ``limit`` cut in two: at a space if one is near, never inside a tag
    or an entity (explorer AK5: « &amp » then « ; » on Telegram, and a tag cut in two is a
    message refused), the tags open at the cut closed there and opened again after it."""
    room = limit - TAG_ROOM
    cut = line.rfind(" ", room // 2, room) + 1 or room
    amp, semi = line.rfind("&", 0, cut), line.rfind(";", 0, cut)
    if amp > semi and cut - amp < 12:
        cut = amp
    opening, closing = line.rfind("<", 0, cut), line.rfind(">", 0, cut)
    if opening > closing:
        cut = opening
    cut = cut if cut > 0 else room  # a tag or an entity longer than a message: cut anyway
    head, tail = line[:cut], line[cut:]
    open_tags = _still_open([], head)
    closed = _closing(open_tags)
    # A tag is opened again only when short: a link's long address would be carried from
    # part to part and never leave room for the text (explorer AN8).
    return head + closed, "".join(tag for _, tag in open_tags if len(tag) <= TAG_ROOM) + tail
