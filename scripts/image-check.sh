#!/usr/bin/env bash
# The Dockerfile's steps, run for real without a container runtime: every
# dependency built as a wheel, installed with no index into a fresh
# virtualenv, the code and templates laid out as in /app, compiled, then,
# as an unprivileged user with its own data folder: `formabot migrate`, a
# console turn, and the image's HEALTHCHECK command against a running bot.
# Needs the package index (pip) and a few minutes; not part of the suite.
#   scripts/image-check.sh            (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
WORK=$(mktemp -d /tmp/formabot-image.XXXXXX)
BOT_PID=
# The bot runs in a process group of its own (set -m below): the whole pipeline is stopped,
# not only its subshell (the bot outlived the script by a minute).
cleanup() { [ -n "$BOT_PID" ] && kill -- "-$BOT_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
chmod 755 "$WORK"

echo "1/4 wheels (stage « wheels »)" >&2
mkdir "$WORK/src"
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$WORK/src/"
cp -r "$ROOT/bot" "$WORK/src/bot"
(cd "$WORK/src" && "$PY" -m pip wheel --quiet --no-cache-dir --wheel-dir "$WORK/wheels" .)
rm "$WORK"/wheels/formabot-*.whl

echo "2/4 runtime: virtualenv without index, code and templates, compiled" >&2
"$PY" -m venv "$WORK/opt"
"$WORK/opt/bin/pip" install --quiet --no-cache-dir --no-index "$WORK"/wheels/*.whl
mkdir "$WORK/app"
cp "$ROOT/alembic.ini" "$WORK/app/"
(cd "$ROOT" && tar --exclude=__pycache__ -cf - bot templates) | tar -xf - -C "$WORK/app"
"$PY" -m compileall -q "$WORK/app/bot"
printf '#!/bin/sh\nexec %s/opt/bin/python -m bot "$@"\n' "$WORK" > "$WORK/opt/bin/formabot"
chmod -R a+rX "$WORK" && chmod 755 "$WORK/opt/bin/formabot"
mkdir -m 700 "$WORK/data"

UNPRIVILEGED=
if [ "$(id -u)" = 0 ]; then
  # Through `env`: setpriv execs its command with root's capabilities still in effect, so
  # an interpreter under /root (mode 700) passed this test and then failed as nobody
  # (explorer GC9); env's own exec has none, as every later one.
  if setpriv --reuid=nobody --regid=nogroup --clear-groups env "$WORK/opt/bin/python" -c pass 2>/dev/null; then
    UNPRIVILEGED=1
    chown nobody "$WORK/data"
  else  # e.g. an interpreter under /root (pyenv): the image's is in /usr/local
    echo "   (this interpreter is out of reach of an unprivileged user: steps 3-4 run as root)" >&2
  fi
fi

as_user() {  # the image runs as a user with no rights outside /data
  local env="PATH=$WORK/opt/bin:/usr/bin:/bin PYTHONPATH=$WORK/app FORMABOT_DATA_DIR=$WORK/data"
  env="$env FORMABOT_METRICS_HOST=127.0.0.1 FORMABOT_METRICS_PORT=${METRICS_PORT:-0}"
  if [ -n "$UNPRIVILEGED" ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups env -i $env HOME="$WORK/data" "$@"
  else
    env -i $env HOME="$WORK/data" "$@"
  fi
}

echo "3/4 formabot migrate, then /aide on the console (the demo, on an empty base)" >&2
(cd "$WORK" && as_user formabot migrate)
# What `run` answers today: on an empty base it loads the demo and answers as its trainer
# (explorer GC9: it looked for the stranger's help and failed here, silently);
# tests/test_deploy.py checks that the text below is in that answer.
if ! (cd "$WORK" && printf '/aide\n' | as_user formabot run) | grep -F "Voici ce que je sais faire" >/dev/null; then
  echo "image-check: /aide on the console did not answer with the demo's help" >&2
  exit 1
fi

echo "4/4 the HEALTHCHECK against a running bot" >&2
METRICS_PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export METRICS_PORT
# A first line, then a pipe that stays open: a pipe that gives nothing is a service's start
# without its token, refused (explorers J, L), and the old `sleep 60 |` never served.
set -m
(cd "$WORK" && (printf '/aide\n'; sleep 60) | as_user formabot run >/dev/null) &
BOT_PID=$!
set +m
for _ in $(seq 60); do
  if as_user python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$METRICS_PORT/healthz', timeout=4)" 2>/dev/null; then
    echo "image-check: ok (wheels $(ls "$WORK/wheels" | wc -l), healthz 200, as $(as_user id -un))"
    exit 0
  fi
  sleep 1
done
echo "image-check: /healthz never answered" >&2
exit 1
