# Placement portal — `make help` lists the targets.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

static/vendor/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor
	mkdir -p static/vendor/htmx static/vendor/kern
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp -r node_modules/@kern-ux/native/dist/kern.min.css node_modules/@kern-ux/native/dist/fonts \
	      node_modules/@kern-ux/native/LICENSE.md static/vendor/kern/
	touch $@

install: $(VENV)/.installed static/vendor/.installed ## set up Python packages and front-end assets

run: install ## set up, migrate, load demo data, serve on http://127.0.0.1:8000 with the worker
	$(BIN)/portal migrate
	$(BIN)/portal load-reference
	$(BIN)/portal seed-demo
	$(BIN)/portal run

test: ## set up and run the whole test suite (SQLite, PostgreSQL, then on a leap day)
	$(PY) scripts/test.py

lint: install ## ruff, mypy and the layers contract (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

messages: install ## list the messages in the code that lack a German translation
	$(BIN)/python scripts/translate.py --missing

.PHONY: help install run test lint messages
