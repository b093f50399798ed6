# formabot — `make run`, `make test` (everything) and `make check` (the fast lane).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := peers/telegram/node_modules/.installed
# The Matrix homeserver of the tests, in its own virtualenv (not a product dependency).
SYNAPSE_VERSION := 1.163.2
SYNAPSE_VENV := .venv-synapse
SYNAPSE_STAMP := $(SYNAPSE_VENV)/.installed-$(SYNAPSE_VERSION)

.PHONY: run install test lint typecheck check peers bench clean demo matrix-local

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf || \
	  (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fonts-dejavu-extra) || \
	  echo "Polices DejaVu absentes : installez fonts-dejavu-core pour les PDF."
	@touch $(STAMP)

$(NODE_STAMP): peers/telegram/package.json peers/telegram/package-lock.json
	npm ci --prefix peers/telegram --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

$(SYNAPSE_STAMP):
	@test -d $(SYNAPSE_VENV) || $(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/pip install --quiet "matrix-synapse==$(SYNAPSE_VERSION)"
	@touch $(SYNAPSE_STAMP)

peers: $(NODE_STAMP) $(SYNAPSE_STAMP)

## make matrix-local: a Synapse on 127.0.0.1 with the bot's, a trainer's and a chargée's
## accounts; their passwords and the .env lines printed (and in matrix-local.env); Ctrl-C ends it
matrix-local: $(STAMP) $(SYNAPSE_STAMP)
	$(BIN)/python -m tests.auxil.synapse --env matrix-local.env

## make install: the virtualenv and what pyproject.toml declares, again when it changed
## (after a `git pull`: explorer GC13)
install: $(STAMP)

## make run: install, migrate, start the bot (console when no token is configured)
run: $(STAMP)
	$(BIN)/formabot migrate
	$(BIN)/formabot run

demo: $(STAMP)
	$(BIN)/formabot demo

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## make check: lint, types and the tests that start no process and no peer (no PostgreSQL,
## no Telegram emulator, no `python -m bot`), on every core; under a minute
check: lint typecheck
	$(BIN)/python -m pytest -q -n auto -m "not slow and not postgres"

## make test: install everything (Synapse in .venv-synapse once), start a throwaway PostgreSQL,
## run lint, types and the suite (the Matrix tests start their own homeserver): the tests that
## start no process and no peer on two cores, then those that do (slow, PostgreSQL) on two
## workers too, a module's tests kept together on one (they mostly wait on their processes
## and peers; each worker starts its own homeserver, the PostgreSQL server is shared)
test: $(STAMP) $(NODE_STAMP) $(SYNAPSE_STAMP)
	$(MAKE) --no-print-directory lint typecheck
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not postgres"
	scripts/with-postgres.sh $(BIN)/python -m pytest -q -n 2 --dist loadfile -m "slow or postgres"

bench: $(STAMP) $(NODE_STAMP) $(SYNAPSE_STAMP)
	$(BIN)/python -m bench.turns
	$(BIN)/python -m bench.telegram
	$(BIN)/python -m bench.matrix
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.messages

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) peers/telegram/node_modules .pytest_cache .mypy_cache .ruff_cache
