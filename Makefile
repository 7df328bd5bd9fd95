# Two set-up commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-quick test-cluster lint bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/raqib run

test: $(STAMP)
	$(BIN)/python -m pytest -q --durations=15

# Everything but the minutes-long tests (soak, crash recovery, multi-process runs): while working.
test-quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# The delivery and incident tests again on a 3-master Redis Cluster (needs redis-server and
# redis-cli): every Lua script and transaction keeps its keys in one slot.
test-cluster: $(STAMP)
	RAQIB_TEST_REDIS=cluster $(BIN)/python -m pytest -q tests/test_delivery_*.py tests/test_incidents_*.py

lint: $(STAMP)
	$(BIN)/ruff check crawler alerts config tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH)

# The image's dependencies, pinned with hashes, without the test tools (deploy/Dockerfile).
lock: $(STAMP)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
		-o deploy/requirements.lock

# Pictures for the docs (docs/images/), rendered in a real headless Chromium.
screenshots: $(STAMP)
	for script in docs/screenshots/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
