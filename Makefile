# The two jobs of the README. Each installs what it needs first.
.PHONY: all main test lint

all: main

main:
	scripts/setup.sh
	.venv/bin/gapkb build

test:
	scripts/setup.sh --test
	scripts/setup-browser.sh
	$(MAKE) --no-print-directory lint
	.venv/bin/pytest

lint:
	.venv/bin/ruff check src tests bench scripts
	.venv/bin/ruff format --check src tests bench scripts
	.venv/bin/mypy

# The benchmark at 1x, 10x and 100x the real content; writes bench/RESULTS.md.
.PHONY: bench
bench:
	scripts/setup.sh
	.venv/bin/python -m bench.run
