# The two jobs of the README. Each installs what it needs first.
.PHONY: all main test test-fast lint verify

all: main

main:
	scripts/setup.sh
	.venv/bin/gapkb build

test:
	scripts/setup.sh --test
	scripts/setup-browser.sh
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory verify
	.venv/bin/pytest

# Every quote proved inside its provision against the stored official texts, and the
# committed record current. Without ../shared/sources beside the clone (a user's clone) it
# says so and passes: the texts are not ours to ship. Where they must be there
# (GAPKB_REQUIRE_SOURCES=1, as .ci/run sets) a missing folder fails; GitHub's CI=true does
# not require them, since a clone on GitHub has no ../shared.
verify:
	@if [ -d ../shared/sources ]; then .venv/bin/gapkb verify --strict; \
	elif [ -n "$${GAPKB_REQUIRE_SOURCES:-}" ]; then echo "gapkb verify: ../shared/sources is missing (GAPKB_REQUIRE_SOURCES is set)" >&2; exit 1; \
	else echo "gapkb verify: no ../shared/sources beside this clone — quotes not re-proved"; fi

# The inner loop: everything but the tests marked slow (real browser, real server, site
# builds, the whole check over the real content, the benchmark) or reasoner (HermiT), on
# both cores; under a minute on 2 cores. `make test` and .ci/run still run them all.
# Installs only when the test tools are missing.
test-fast:
	@.venv/bin/python -c "import xdist" 2>/dev/null || scripts/setup.sh --test
	.venv/bin/pytest -m "not slow and not reasoner" -n 2 -q

lint:
	.venv/bin/ruff check src tests bench scripts
	.venv/bin/ruff format --check src tests bench scripts
	.venv/bin/mypy

# The benchmark at 1x, 10x and 100x the real content; writes bench/RESULTS.md.
.PHONY: bench
bench:
	scripts/setup.sh
	.venv/bin/python -m bench.run
