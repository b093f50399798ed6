"""The templates' cheaper lookups read what Jinja's own read, and the chat's environment uses them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import jinja2
import pytest

from bot import texts
from bot.template_lookups import Context, Environment

ANSWERS = {"kind": "formation", "items": "un item", "cm_name": "Mme Sophie Leroy", "n": 0}

TEMPLATES = [
    "{{ d.kind }}",
    "{{ d.cm_name }} ({{ d.get('cm_email') or 'pas d’e-mail' }})",
    "{{ d.items is callable }}",  # a dict's own attribute first, as Jinja reads it
    "{{ d['items'] }}",
    "{{ d.missing is defined }}",
    "{{ d.missing }}",
    "{{ d.get('missing') }}",
    "{{ d.get('kind', 'x')|upper }}",
    "{% for k in d.keys()|sort %}{{ k }};{% endfor %}",
    "{% for t in ts %}{{ t.name }}{{ t.get('company', '') }},{% endfor %}",
    "{{ s.startswith('Agent') }}",
    "{{ nxt(empty) is defined }}",  # a built-in raising StopIteration: undefined
    "{{ dd.kind }}|{{ dd.absent }}",  # a dict's subclass: Jinja's way (its default)
    "{{ o.real }}|{{ o.imag }}",
    "{{ 'abc'.upper() }}",
]


def contexts() -> dict[str, Any]:
    return {
        "d": dict(ANSWERS),
        "ts": [{"name": "Marie Dupont", "company": " (Boulangerie)"}, {"name": "Karim"}],
        "s": "Agent de restauration",
        "nxt": next,
        "empty": iter(()),
        "dd": defaultdict(lambda: "défaut", kind="bilan"),
        "o": 3,
    }


def rendered(env: jinja2.Environment, source: str) -> str:
    try:
        return env.from_string(source).render(**contexts())
    except Exception as exc:  # the same error, said the same way
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("undefined", [jinja2.Undefined, jinja2.StrictUndefined])
@pytest.mark.parametrize("source", TEMPLATES)
def test_a_template_reads_what_jinja_reads(source: str, undefined: type[jinja2.Undefined]) -> None:
    ours = Environment(autoescape=True, undefined=undefined)
    jinjas = jinja2.Environment(autoescape=True, undefined=undefined)
    assert rendered(ours, source) == rendered(jinjas, source)


def test_a_missing_answer_is_refused_as_before() -> None:
    env = Environment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
        env.from_string("{{ d.missing }}").render(d={})


def test_the_chat_messages_are_rendered_by_these_lookups() -> None:
    env = texts.environment()
    assert isinstance(env, Environment)
    assert env.context_class is Context
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'funder'"):
        texts.say("formation.ask_cm_name", d={"kind": "formation"}, actor=None)
