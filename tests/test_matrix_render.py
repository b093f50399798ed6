"""Matrix rendering and pacing, without a homeserver."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest

from bot.messages import Choice, Reply
from bot.transports.matrix import render
from bot.transports.matrix.pacing import Pacer

HINT = "Répondez par le numéro ou le libellé."


def test_choices_are_numbered_in_body_and_an_ordered_list_in_html() -> None:
    reply = Reply(
        text="Qui la <b>finance</b> ? Cuisine &lt;du&gt; monde",
        choices=(Choice("Région <Normandie>", "a"), Choice("Autre", "b")),
    )
    (content,) = render.text_contents(reply)
    assert content["body"].startswith("Qui la finance ? Cuisine <du> monde")
    assert "1. Région <Normandie>\n2. Autre" in content["body"]
    assert "<ol><li>Région &lt;Normandie&gt;</li><li>Autre</li></ol>" in content["formatted_body"]
    assert content["format"] == "org.matrix.custom.html"


def test_choices_typed_by_label_only_are_dashed_and_no_number_is_hinted() -> None:
    reply = Reply(text="Combien ?", choices=(Choice("Valeur par défaut", "a", numbered=False),))
    (content,) = render.text_contents(reply)
    assert content["body"] == "Combien ?\n\n– Valeur par défaut"
    assert content["formatted_body"] == "Combien ?<ul><li>Valeur par défaut</li></ul>"


def test_a_long_reply_is_cut_into_events_of_bounded_size() -> None:
    contents = render.text_contents(Reply(text="ligne\n" * 5000))
    assert len(contents) > 1 and all(len(c["body"]) <= render.MAX_BODY for c in contents)


@pytest.mark.parametrize("text", ["é" * 11_000, "🌸" * 5_000, "Léa 🌸 " * 2_000])
def test_a_long_reply_beyond_ascii_is_cut_into_events_matrix_accepts(text: str) -> None:
    """nio writes the encrypted JSON in ASCII: « é » takes six bytes, an emoji twelve
    (explorer ME3: these were refused, M_TOO_LARGE, and never shown)."""
    contents = render.text_contents(Reply(text=text, choices=(Choice("Oui", "1|y"),)))
    assert len(contents) > 1
    assert all(len(json.dumps(c)) <= 48_000 for c in contents)  # ×4/3 encrypted: 64 KiB
    assert "".join(c["body"] for c in contents).startswith(text.strip())


def test_only_the_plain_body_is_read_and_reply_fallbacks_are_dropped() -> None:
    source = {
        "type": "m.room.message",
        "content": {
            "msgtype": "m.text",
            "body": "> <@a:x> question\n\n2",
            "formatted_body": "<script>x</script>",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$e"}},
        },
    }
    assert render.is_message(source) and render.read(source).text == "2"
    edit = {
        "type": "m.room.message",
        "content": {"msgtype": "m.text", "body": "x", "m.relates_to": {"rel_type": "m.replace"}},
    }
    # An edit, a reaction, a place: not read, but come in to be said so (explorers AT1, AT2).
    assert render.kind_of(edit) == "edit" and render.read(edit).text == ""
    reaction = {"type": "m.reaction", "content": {"m.relates_to": {"key": "👍"}}}
    assert render.kind_of(reaction) == "reaction"
    assert render.kind_of({"type": "m.room.message", "content": {"msgtype": "m.location"}}) == (
        "media"
    )
    assert render.kind_of(source) == ""
    # Element's and Tchap's voice message is an m.audio: a voice message, not a file (AZ7).
    voice = {"msgtype": "m.audio", "body": "Voice message.ogg", "url": "mxc://x/y"}
    assert render.kind_of({"type": "m.room.message", "content": voice}) == "voice"
    assert render.read({"type": "m.room.message", "content": voice}).file is None
    video = {"type": "m.room.message", "content": {"msgtype": "m.video", "body": "v.mp4"}}
    assert render.kind_of(video) == "media"
    assert not render.is_message({"type": "org.example.unknown", "content": {}})
    assert not render.is_message({"type": "m.room.message", "content": {}})


def test_in_a_group_only_what_is_addressed_to_the_bot_is_read() -> None:
    me = "@formabot:example.org"
    assert render.addressed("/aide", {}, me, ("formabot",)) == "/aide"
    assert render.addressed("formabot: /echeances", {}, me, ("formabot",)) == "/echeances"
    assert render.addressed("bonjour à tous", {}, me, ("formabot",)) is None
    assert render.addressed("oui", {"m.mentions": {"user_ids": [me]}}, me, ()) == "oui"
    assert render.addressed("Formabot : 1", {}, me, ("formabot",)) == "1"
    assert render.addressed("formabots partout", {}, me, ("formabot",)) is None


def test_a_group_s_hint_names_the_bot_as_people_can_type_it() -> None:
    """Explorer BE11: the hint said « Formabot – suivi des formations : », the display name
    with a dash nobody types; its first word is the account's own name, which is read."""
    me = "@formabot:example.org"
    assert render.hail(me, "Formabot – suivi des formations") == "Formabot"
    assert render.hail(me, "Assistant Région") == "Assistant Région"
    assert render.hail(me, None) == "formabot"
    assert render.addressed("Assistant Région : 2", {}, me, ("Assistant Région",)) == "2"


def test_a_reply_or_a_thread_names_the_events_it_answers_and_the_answer_stays_in_it() -> None:
    """Explorer ID6: a reply to the bot's question, or a message in a thread on it, is for the
    bot (the events it answers are looked at); the answer to a message in a thread goes in
    that thread, as a reply to it for clients that show no threads."""
    reply = {"m.relates_to": {"m.in_reply_to": {"event_id": "$question"}}}
    thread = {
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": "$question",
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": "$dernier"},
        }
    }
    assert render.related(reply) == ("$question",)
    assert render.related(thread) == ("$question", "$dernier")
    assert render.related({"m.relates_to": {"rel_type": "m.replace", "event_id": "$x"}}) == ()
    assert render.related({"m.relates_to": "n'importe quoi"}) == render.related({}) == ()
    assert render.in_thread(thread, "$sienne") == {
        "rel_type": "m.thread",
        "event_id": "$question",
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$sienne"},
    }
    assert render.in_thread(reply, "$sienne") is None
    assert render.in_thread({"m.relates_to": {"rel_type": "m.thread"}}, "$sienne") is None


async def test_the_pacer_spaces_calls_and_honours_a_pause() -> None:
    now = [0.0]
    pacer = Pacer(2.0, clock=lambda: now[0])
    await pacer.turn()
    pacer.finished()
    assert pacer.next_at == 0.5
    pacer.hold(3.0)
    assert pacer.next_at == 3.0 and pacer.limited == 1
    sleeping = asyncio.create_task(pacer.turn())
    await asyncio.sleep(0)
    assert not sleeping.done()
    sleeping.cancel()


def test_a_page_of_a_long_list_keeps_the_whole_lists_numbers() -> None:
    reply = Reply(
        text="Qui a participé ?",
        choices=(
            Choice("☑ Stagiaire 021", "1|21", number=21),
            Choice("☐ Stagiaire 022", "1|22", number=22),
            Choice("◀ Précédents", "1|_prev"),
            Choice("✅ Terminé", "1|_done"),
        ),
    )
    (content,) = render.text_contents(reply)
    assert (
        "21. ☑ Stagiaire 021\n22. ☐ Stagiaire 022\n– ◀ Précédents\n– ✅ Terminé"
        in (content["body"])
    )
    assert '<ol><li value="21">☑ Stagiaire 021</li><li value="22">' in content["formatted_body"]
    assert "<ul><li>◀ Précédents</li><li>✅ Terminé</li></ul>" in content["formatted_body"]


def test_an_event_s_moment_is_the_homeserver_s_and_anything_else_none() -> None:
    """Explorer AJ1: a message sent while the bot was down is read when it was sent."""
    assert render.sent_at({"origin_server_ts": 1_796_000_000_000}) == datetime(
        2026, 11, 30, 0, 53, 20, tzinfo=UTC
    )
    for wrong in (
        {},
        {"origin_server_ts": "hier"},
        {"origin_server_ts": True},
        {"origin_server_ts": 10**20},
    ):
        assert render.sent_at(wrong) is None
    # Kept with what the inbox stores of an event, not lost on the way (explorer AY2).
    kept = render.message_source(
        {
            "type": "m.room.message",
            "event_id": "$x",
            "sender": "@a:example.org",
            "origin_server_ts": 1_796_000_000_000,
            "content": {"msgtype": "m.text", "body": "Karim absent hier"},
        }
    )
    assert kept is not None and render.sent_at(kept) == datetime(
        2026, 11, 30, 0, 53, 20, tzinfo=UTC
    )


def test_a_question_says_how_to_answer_it_the_same_in_both_forms() -> None:
    """Explorer EF6: the hint was in the HTML only; EF11: in a group, « Répondez par le
    numéro » led to silence, only what names the bot being read there."""
    reply = Reply(text="Quel réglage ?", choices=(Choice("Délais", "1|d"), Choice("Heure", "1|h")))
    [alone] = render.text_contents(reply)
    assert alone["body"].endswith("2. Heure\nRépondez par le numéro ou le libellé.")
    assert alone["formatted_body"].endswith("<i>Répondez par le numéro ou le libellé.</i>")
    [grouped] = render.text_contents(reply, group="formabot")
    said = (
        "Dans ce salon, répondez en citant ce message, ou en commençant par « formabot : » "
        "(puis le numéro ou le libellé)."
    )
    assert grouped["body"].endswith(said)


def test_element_s_markdown_is_read_as_the_person_sees_it() -> None:
    """Explorer EF2: « Yanis dit être **démotivé** » reached the compte rendu's PDF with its
    asterisks; asterisks typed without formatting stay."""
    formatted = {
        "msgtype": "m.text",
        "body": "Yanis dit être **démotivé** par les horaires, `coupés` et *le* _transport_",
        "format": "org.matrix.custom.html",
        "formatted_body": "Yanis dit être <strong>démotivé</strong> par les horaires, "
        "<code>coupés</code> et <em>le</em> <em>transport</em>",
    }
    said = render.read({"type": "m.room.message", "content": formatted})
    assert said.text == "Yanis dit être démotivé par les horaires, coupés et le transport"
    plain = {"msgtype": "m.text", "body": "note **importante** 2*3*4 et nom_de_fichier"}
    assert render.read({"type": "m.room.message", "content": plain}).text == plain["body"]
    bold_only = {**formatted, "body": "2*3*4 **fort**", "formatted_body": "2*3*4 <strong>fort"}
    assert render.read({"type": "m.room.message", "content": bold_only}).text == "2*3*4 fort"


def test_a_huge_message_reaches_the_engine_whole_so_its_length_is_told_right() -> None:
    """Explorer EF4: 26,000 characters were cut to 20,000 here, and the bot said « trop long
    (20 000 caractères) »; the homeserver's own cap on an event bounds what arrives."""
    body = "Karim absent lundi matin. " * 1000
    source = {"type": "m.room.message", "content": {"msgtype": "m.text", "body": body}}
    assert len(render.read(source).text) == 26_000


def test_numbered_choices_count_in_the_size_of_an_event_matrix_accepts() -> None:
    """Explorer ME4: the numbered choices came on top of a text cut to the limit, and 40
    names full of accents made an event Matrix refused (``M_TOO_LARGE``): the choices go in
    events of their own, every one of them shown, numbered as the engine reads them."""
    text = "Éloïse Bérénice Hélène " * 600
    label = "Bénédicte-Léonie Éléonore Hélène Héloïse Zoé Désirée – né·e à Épinay-sur-Orge"
    choices = tuple(Choice(f"{label} {n}", f"pick|{n}") for n in range(1, 101))
    contents = render.text_contents(Reply(text=text.strip(), choices=choices))
    assert all(len(json.dumps(c)) <= 48_000 for c in contents)  # ×4/3 encrypted: 64 KiB
    bodies = [c["body"] for c in contents]
    assert "".join(bodies).startswith(text.strip())
    lines = [line for b in bodies for line in b.splitlines() if line.startswith(tuple("123456789"))]
    assert lines == [f"{n}. {label} {n}" for n in range(1, 101)]
    assert sum(HINT in b for b in bodies) == 1 and bodies[-1].endswith(HINT)
    later = [c["formatted_body"] for c in contents if "<ol" in c["formatted_body"]][1:]
    assert later and all(f.startswith('<ol start="') for f in later)


def test_a_few_choices_still_follow_the_end_of_a_long_text_in_its_event() -> None:
    choices = (Choice("Oui", "y"), Choice("Non", "n"))
    contents = render.text_contents(Reply(text=("Éloïse " * 2_000).strip(), choices=choices))
    assert len(contents) > 1
    assert contents[-1]["body"].startswith("Éloïse")
    assert contents[-1]["body"].endswith(f"Éloïse\n\n1. Oui\n2. Non\n{HINT}")
