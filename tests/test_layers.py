"""The shape of ``bot/``: imports point downward, modules stay small, dialogues read first.

These are the architecture's promises (README, "Architecture"), checked on
the source itself so that a change breaking one fails here, not in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.auxil.source import syntax_tree

BOT = Path(__file__).resolve().parents[1] / "bot"
MIGRATIONS = BOT / "storage" / "migrations"
LONGEST = 500


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(BOT.rglob("*.py")):
        if MIGRATIONS in path.parents:
            continue
        parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``bot`` that ``name`` imports, at any depth except under TYPE_CHECKING."""
    tree = syntax_tree(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in known and m != name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_bot_has_no_import_circle() -> None:
    known = modules()
    graph = {name: imports_of(name, path, set(known)) for name, path in known.items()}
    assert circles(graph) == []


def test_the_circle_finder_finds_one() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_imported_by_its_name_as_a_string() -> None:
    offenders = [
        str(path.relative_to(BOT.parent))
        for path in modules().values()
        if "importlib" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_no_module_is_longer_than_five_hundred_lines() -> None:
    long = {
        str(path.relative_to(BOT.parent)): lines
        for path in modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert long == {}


def test_every_dialogue_module_opens_with_the_dialogue_it_implements() -> None:
    missing = []
    for name, path in modules().items():
        if not name.startswith("bot.conversations.") or name.startswith("bot.conversations.kit"):
            continue
        source = path.read_text(encoding="utf-8")
        if " Flow(" not in source and "= Flow(" not in source:
            continue
        opening = ast.get_docstring(syntax_tree(source)) or ""
        if not any(line.lstrip().startswith("Bot ") for line in opening.splitlines()):
            missing.append(name)
    assert missing == []


def test_services_never_receive_a_conversation_context() -> None:
    upward = {
        name: sorted(m for m in imports_of(name, path, set(modules())) if "conversations" in m)
        for name, path in modules().items()
        if not name.startswith(("bot.conversations", "bot.features", "bot.app", "bot.engine"))
        and name not in ("bot.cli", "bot.manifest")
        and not name.startswith("bot.transports")
    }
    assert {name: found for name, found in upward.items() if found} == {}
