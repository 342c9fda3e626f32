# Two commands do everything on a fresh machine (Python 3.12+):
#   make run    set up, load the demo catalogue, serve http://127.0.0.1:8000/
#   make test   set up, lint and run the default test tier (under two minutes)
#   make test-slow  the slow tier: real servers under load, full-size fuzzing, the XSS sweep, browsers
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# pyenv honours .python-version; elsewhere use whatever python3.12+ is on PATH.
PYTHON ?= $(shell for p in python3 python3.12 python3.13; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv run test test-slow lint format serve

help:
	@echo "make run   - install, migrate, load demo content, start gunicorn on http://$(HOST):$(PORT)/"
	@echo "make test       - install, lint and run the default tests (under two minutes)"
	@echo "make test-slow  - the slow tier: gunicorn under load, full fuzzing, XSS sweep, API contract, browsers"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed; none was found on PATH."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

var/secret_key:
	mkdir -p var
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

run: venv var/secret_key
	export DJANGO_SECRET_KEY="$$(cat var/secret_key)"; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py setup_demo --site http://$(HOST):$(PORT) && \
	echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)" && \
	exec $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) advisor.wsgi

test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --quiet
	DJANGO_SETTINGS_MODULE=advisor.settings_test $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	# Two workers (pytest-xdist): each has its own test database; measured 73 s -> 53 s on 2 cores.
	$(BIN)/pytest -n 2 -m "not slow and not browser"

test-slow: venv
	$(BIN)/pytest -m "slow or browser"

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
