"""bench.turns counts what it says: every dialogue saved, the saving turns apart, the floor
replaying the engine's very statements (nothing here is timed)."""

from __future__ import annotations

from pathlib import Path

from bench import turns


def test_the_engine_run_saves_every_dialogue_and_splits_the_saving_turns() -> None:
    result = turns.worker("engine-seq", len(turns.DIALOGUE) * 2, 1, False)
    assert (result.turns, result.failures, result.retries) == (30, 0, 0)
    assert result.saving_turns == 2 and result.saving_cpu_seconds > 0
    assert result.statements is not None and result.statements >= 3 * result.turns


def test_the_floor_replays_a_turns_three_statements_and_measures_its_commit() -> None:
    result = turns.worker("sqlite-floor", len(turns.DIALOGUE), 1, False)
    assert (result.turns, result.statements, result.failures) == (15, 45, 0)
    assert result.commit_cpu_ms is not None and len(result.latencies) == 15


def test_the_profile_covers_the_question_turns_only(tmp_path: Path) -> None:
    """``--profile``: the steps that answer questions are in it, the saving one is not."""
    import pstats

    out = tmp_path / "q.prof"
    assert turns.main(["--profile", str(out), "--turns", str(len(turns.DIALOGUE))]) == 0
    functions = {name for _file, _line, name in pstats.Stats(str(out)).stats}
    assert "_handle_once" in functions and "_route" in functions
    # The saving turn's own work; the recap turn reads the formations on the same dates
    # (explorer AD21), so an ORM flush alone no longer tells the saving turn apart.
    assert "create_formation" not in functions and "same_formation" not in functions
    assert "namesakes" in functions
