"""The deploy kit agrees with the code: ``Dockerfile``, ``compose.yaml``, ``.dockerignore``.

There is no container runtime where the suite runs, so nothing is built
here; what can go wrong without one is checked: a setting the code does not
read (a typo in an environment name is silently ignored), a volume that is
not the data folder, a health check on another port than the metrics', a
file the image needs but the build context leaves out, and the image's
layout itself (the code and the templates side by side, run as
``python -m bot`` from there).
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot import cli
from tests.auxil.source import syntax_tree

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
POSTGRES_KEYS = {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"}


def settings_read_by_the_code() -> set[str]:
    """Environment names ``bot.config`` (and ``bot.texts``, for the templates) read."""
    names: set[str] = set()
    for module in ("config.py", "texts.py"):
        tree = syntax_tree(ROOT / "bot" / module)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                first = node.args[0]
                if (
                    isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and re.fullmatch(
                        r"(FORMABOT|TELEGRAM|MATRIX|SMTP|DATABASE)_[A-Z_]+", first.value
                    )
                ):
                    names.add(first.value)
    return names


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def dockerfile_env() -> dict[str, str]:
    """The runtime stage's ENV (the last stage), continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    runtime = text.split("\nFROM ")[-1]
    env: dict[str, str] = {}
    for line in runtime.splitlines():
        if line.startswith("ENV "):
            env.update(dict(pair.split("=", 1) for pair in line[4:].split()))
    return env


def test_every_setting_of_the_kit_is_one_the_code_reads() -> None:
    known = settings_read_by_the_code()
    assert {"DATABASE_URL", "FORMABOT_DATA_DIR", "TELEGRAM_TOKEN"} <= known  # the reader works
    services = compose()["services"]
    assert set(services["postgres"]["environment"]) == POSTGRES_KEYS
    for name in ("migrate", "formabot", "worker"):
        unknown = set(services[name]["environment"]) - known
        assert not unknown, f"{name}: settings no code reads: {unknown}"
    image = {k for k in dockerfile_env() if k.startswith(("FORMABOT_", "TELEGRAM_", "MATRIX_"))}
    assert image <= known, image - known


FIXED_BY_THE_IMAGE = {
    "FORMABOT_DATA_DIR",  # the volume
    "FORMABOT_TEMPLATES_DIR",  # a folder inside the container: a volume of its own
    "FORMABOT_METRICS_HOST",  # the health check's address and port
    "FORMABOT_METRICS_PORT",
}


def test_every_setting_the_code_reads_reaches_the_container() -> None:
    """Explorer AM5: TELEGRAM_USERNAME put in .env, where the README's step 3 puts the
    settings, never reached the container; the bot asked for it at every start."""
    env = compose()["services"]["formabot"]["environment"]
    missing = settings_read_by_the_code() - FIXED_BY_THE_IMAGE - set(env)
    assert not missing, f"settings .env cannot set in the container: {sorted(missing)}"
    assert env["TELEGRAM_USERNAME"] == "${TELEGRAM_USERNAME:-}"


def test_formabot_serves_telegram_either_way_and_matrix_when_configured() -> None:
    env = compose()["services"]["formabot"]["environment"]
    # Webhook when the URL is given, polling when it is empty: both come from .env.
    assert env["TELEGRAM_WEBHOOK_URL"] == "${TELEGRAM_WEBHOOK_URL:-}"
    assert env["TELEGRAM_TOKEN"] == "${TELEGRAM_TOKEN:-}"
    assert {"MATRIX_HOMESERVER", "MATRIX_USER_ID", "MATRIX_PASSWORD"} <= set(env)
    # The webhook listens inside the container; only this host's reverse proxy reaches it.
    assert env["TELEGRAM_WEBHOOK_LISTEN"] == "0.0.0.0"
    port = env["TELEGRAM_WEBHOOK_PORT"]
    assert compose()["services"]["formabot"]["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_the_database_is_the_postgres_service_and_migrated_before_the_bot() -> None:
    services = compose()["services"]
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:15"
    assert postgres["volumes"] == ["postgres:/var/lib/postgresql/data"]
    assert "pg_isready" in postgres["healthcheck"]["test"]
    for name in ("migrate", "formabot", "worker"):
        url = make_url(services[name]["environment"]["DATABASE_URL"])
        assert url.drivername == "postgresql+asyncpg"
        assert (url.host, url.port) == ("postgres", 5432)
        assert url.username == postgres["environment"]["POSTGRES_USER"]
        assert url.database == postgres["environment"]["POSTGRES_DB"]
        assert url.password == "${POSTGRES_PASSWORD}"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    bot = services["formabot"]
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["restart"] == "unless-stopped" and services["migrate"]["restart"] == "no"
    commands = [services[n]["command"].split() for n in ("migrate", "formabot")]
    assert commands == [["formabot", "migrate"], ["formabot", "run"]]
    for _, command in commands:
        assert cli.parse([command]).command == command
    assert set(compose()["volumes"]) == {"postgres", "data"}


def test_the_worker_service_answers_with_the_bots_settings_and_receives_nothing() -> None:
    """``formabot work`` replicas, on demand (a profile), exactly as the bot configured."""
    services = compose()["services"]
    worker, bot = services["worker"], services["formabot"]
    assert worker["command"].split() == ["formabot", "work"]
    assert cli.parse(["work"]).command == "work"
    assert worker["profiles"] == ["workers"]  # `docker compose up` alone starts none
    # The same token, database, rules and keys: a turn must not depend on who runs it.
    assert worker["environment"] == bot["environment"]
    assert worker["image"] == bot["image"] and worker["restart"] == "unless-stopped"
    assert "ports" not in worker  # no webhook, no getUpdates: it receives nothing
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "--scale worker=" in COMPOSE.read_text(encoding="utf-8")


def test_the_data_volume_is_the_data_folder_and_the_health_check_the_metrics_port() -> None:
    env = dockerfile_env()
    for name in ("migrate", "formabot", "worker"):
        assert compose()["services"][name]["volumes"] == [f"data:{env['FORMABOT_DATA_DIR']}"]
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert f'VOLUME ["{env["FORMABOT_DATA_DIR"]}"]' in text
    health = re.search(r"HEALTHCHECK .*?CMD (\[.*\])", text.replace("\\\n", " "))
    assert health is not None
    probe = " ".join(json.loads(health.group(1)))
    assert f"http://{env['FORMABOT_METRICS_HOST']}:{env['FORMABOT_METRICS_PORT']}/healthz" in probe
    assert env["FORMABOT_METRICS_HOST"] == "127.0.0.1"  # never published
    assert re.search(r"^USER formabot$", text, re.MULTILINE)
    assert text.count("\nFROM ") + text.startswith("FROM ") == 2  # multi-stage
    assert "fonts-dejavu-core fonts-dejavu-extra" in text


def test_the_build_context_holds_what_the_dockerfile_copies_and_no_secret() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def sent(path: str) -> bool:
        kept = False
        for pattern in patterns:
            negated = pattern.startswith("!")
            bare = pattern.lstrip("!").rstrip("/").removeprefix("**/")
            if (
                fnmatch.fnmatch(path, bare)
                or path.startswith(bare + "/")
                or (
                    pattern.lstrip("!").startswith("**/") and fnmatch.fnmatch(Path(path).name, bare)
                )
            ):
                kept = negated
        return kept

    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(), re.MULTILINE)
    for sources in copied:
        for source in sources.split():
            assert (ROOT / source).exists(), source
            assert sent(source), f"{source} is left out of the build context"
    for secret in (".env", "data/formabot.db", ".venv/bin/python", "bot/__pycache__/x.pyc"):
        assert not sent(secret), secret


def test_the_image_layout_runs_the_bot_from_its_own_folder(tmp_path: Path) -> None:
    """What the runtime stage copies, alone in a folder (no tests, no repository around it):
    ``formabot migrate`` then a console turn, as the image's ``PYTHONPATH=/app`` runs them."""
    app = tmp_path / "app"
    app.mkdir()
    for source in ("alembic.ini", "bot", "templates"):
        if (ROOT / source).is_dir():
            shutil.copytree(
                ROOT / source, app / source, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / source, app / source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env.pop("FORMABOT_TEMPLATES_DIR", None)
    env.update(PYTHONPATH=str(app), FORMABOT_DATA_DIR=str(tmp_path / "data"))

    def formabot(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=True,
        )
        return done.stdout

    assert "Base créée et mise à jour" in formabot("migrate")
    transcript = formabot("run", stdin="/aide\n")  # no token: the console
    assert "Voici ce que je sais faire" in transcript  # the templates were found, the demo too
    assert image_check_expects() in transcript  # explorer GC9: the script's step 3 holds


def image_check_expects() -> str:
    """What ``scripts/image-check.sh`` looks for in ``/aide`` piped into ``formabot run``
    (explorer GC9: the stranger's help, while `run` had answered as the demo for weeks)."""
    script = (ROOT / "scripts" / "image-check.sh").read_text(encoding="utf-8")
    (line,) = [
        line for line in script.splitlines() if "printf '/aide\\n'" in line and "grep" in line
    ]
    found = re.search(r'\| grep (?:-F )?"([^"]+)"', line)
    assert found is not None, line
    return found.group(1)


def test_an_upgrade_without_containers_reinstalls_the_dependencies() -> None:
    """Explorer GC13: « stop, git pull, formabot migrate, start » kept the old virtualenv:
    the bot started, then the first XLSX export or attestation failed on a dependency
    pyproject had added (openpyxl, cryptography)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    upgrades = readme.split("- **Upgrades**:", 1)[1].split("\n\n", 1)[0]
    assert upgrades.index("git pull") < upgrades.index("make install")
    assert upgrades.index("make install") < upgrades.index("formabot migrate")
    planned = subprocess.run(
        ["make", "-nB", "install"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert 'pip install --quiet -e ".[test]"' in planned  # what pyproject.toml declares


def backup_recipes() -> list[str]:
    """The README's commands that write a backup with a shell redirection (`> FILE`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    joined = re.sub(r"\n\s*", " ", readme)  # a command wrapped across lines, made whole
    found = re.findall(r"[^`\n]*(?:pg_dump|tar czf)[^`\n]*> *formabot-[^`\n]*", joined)
    assert len(found) >= 3, found  # compose: the base and the volume; without: the base
    return found


def test_the_readme_s_backups_are_written_for_their_owner_only() -> None:
    """Explorer GC3: `pg_dump … > formabot-DATE.dump` and the volume's tar wrote the personal
    data and the keys 644, the umask's, while formabot's own files are 600."""
    for recipe in backup_recipes():
        assert "umask 077" in recipe, recipe
        # In a subshell: pasted bare, the umask stayed, and the next `git pull` wrote code the
        # image's user could not read (explorer IA5).
        assert re.search(r"\(umask 077 && [^)]*> *formabot-[^)]*\)", recipe), recipe


def test_the_readme_s_restores_read_the_dump_through_the_shell_and_stop_at_a_failure() -> None:
    """Explorer IA4: `sudo -u postgres pg_restore -d formabot FILE` could not open the 600
    dump the backup recipe writes; the base was dropped, and the `formabot migrate` after it
    made a new empty one, code 0."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    restores = [b for b in blocks if "pg_restore" in b]
    assert len(restores) == 2, restores  # with compose, and without
    for block in restores:
        lines = [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]
        assert all(line.endswith("&&") for line in lines[:-1]), block
        [restore] = [line for line in lines if "pg_restore" in line]
        assert "--exit-on-error" in restore and re.search(r"< *formabot-DATE\.dump", restore)


def test_the_readme_s_restore_and_upgrade_with_compose_start_the_workers_again() -> None:
    """Explorer JA7: the restore stopped the workers (`--profile workers stop … worker`) and
    restarted with a bare `docker compose up -d`, which starts no service of a profile: the
    `worker` containers stayed down, silently; the upgrade left them on the old image."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    joined = re.sub(r"\n\s*", " ", readme)
    restore = joined.split("6. **Backups.**", 1)[1].split("7. **Upgrades.**", 1)[0]
    upgrade = joined.split("7. **Upgrades.**", 1)[1].split("8. **More processes**", 1)[0]
    for step in (restore, upgrade):
        assert "docker compose --profile workers up -d --scale worker=" in step, step


def test_the_readme_s_backups_at_the_checkout_s_top_are_git_ignored(tmp_path: Path) -> None:
    """Explorer GC4: `formabot-DATE.dump` and `formabot-data.tgz`, written where the compose
    recipes run (the checkout), were one `git add -A` away from a commit."""
    names = []
    for recipe in backup_recipes():
        written = re.search(r"> *(formabot-[^\s)]+)", recipe.replace("$(date +%F)", "2026-12-06"))
        assert written is not None, recipe
        names.append(written.group(1))
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], capture_output=True, text=True, cwd=ROOT
    )
    assert set(checked.stdout.split()) == set(names)
