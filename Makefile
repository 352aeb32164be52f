# The two jobs of the README. Each installs what it needs first.
.PHONY: all main test lint

all: main

main:
	scripts/setup.sh
	.venv/bin/gapkb build

test:
	scripts/setup.sh --test
	scripts/setup-browser.sh
	.venv/bin/ruff check src tests
	.venv/bin/ruff format --check src tests
	.venv/bin/mypy
	.venv/bin/pytest

lint:
	.venv/bin/ruff check src tests
	.venv/bin/ruff format --check src tests
	.venv/bin/mypy
