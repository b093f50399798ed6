"""bench.messages counts what it says: the tasks it drives end where they should, and the
issue's goal (five absences in at most four messages) holds for /appel and the sentence."""

from __future__ import annotations

from pathlib import Path

from bench import messages


def made(directory: Path) -> Path:
    directory.mkdir()
    return directory


async def test_the_goal_of_five_absences_in_four_messages_or_fewer(tmp_path: Path) -> None:
    one = await messages.run(messages.one_absence, made(tmp_path / "one"))
    assert (one.trainer, one.replies) == (5, 5)  # the measure of /absence
    line = await messages.run(messages.five_by_appel_line, made(tmp_path / "line"))
    sentence = await messages.run(messages.five_by_sentence, made(tmp_path / "sentence"))
    running = await messages.run(messages.five_by_appel_one_running, made(tmp_path / "running"))
    assert (line.trainer, sentence.trainer, running.trainer) == (3, 2, 4)


def test_the_table_has_a_line_per_task() -> None:
    printed = messages.table([("Une absence", messages.Tally(5, 5))])
    assert printed.splitlines()[2] == "| Une absence | 5 | 5 | – | – |"
    assert "messages du formateur" in printed.splitlines()[0]
