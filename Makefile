# Two commands that work on a fresh machine with Python 3.11:
#   make run   – virtual environment, install, data folder, then schedule + dashboard on http://127.0.0.1:8050
#   make test  – virtual environment with test tools, Debian's Chromium for browser tests, then the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOME_DIR ?= $(or $(PERHEKESKUS_HOME),var)
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test lint format bench chromium pango clean compose-test

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python venv module missing: installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

# the product and the plugin distributions that live beside it (StatFin: on by default, removable with pip)
$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py plugins/statfin/pyproject.toml | pango
	$(BIN)/python -m pip install -q -e . -e plugins/statfin
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $@

run: $(VENV)/.installed
	@mkdir -p $(HOME_DIR)
	PERHEKESKUS_HOME=$(HOME_DIR) $(BIN)/perhekeskus up

# WeasyPrint (the meeting pack's PDF) draws text with Pango, a system library, and needs a font
pango:
	@{ ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi dejavu; } || { \
	  echo "installing Debian's Pango and DejaVu fonts for the meeting pack's PDF"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's Chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(VENV)/.installed-dev chromium
	$(BIN)/ruff check .
	cd plugins/statfin && ../../$(BIN)/python -m pytest
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/etl_national.py
	$(BIN)/python bench/etl_unchanged.py

# The Docker deployment end to end (not part of `make test`: it installs Docker, builds an image and takes
# minutes): build, docker compose up, demo load through the worker, every gunicorn worker serves each publish.
compose-test:
	deploy/compose_test.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
