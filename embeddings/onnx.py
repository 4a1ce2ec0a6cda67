"""The bundled model run by onnxruntime: the same all-MiniLM-L6-v2, without torch at run time.

`python -m embeddings.onnx` exports the bundled model once (torch.onnx, fp32, a few
seconds, no network) next to the Python environment; `make install` does it. The encoder
then tokenises with the model's own tokenizer.json (the `tokenizers` library), runs the
graph on onnxruntime's CPU provider and mean-pools over the attention mask, as
sentence-transformers does: the vectors are the same to float rounding (cosine 1.0000 on
the demo's profiles), as fast on a quiet machine and about twice as fast when other work
shares the cores, and a process never imports torch (about 9 s). fp32 on purpose: dynamic
int8 was faster but moved vectors by up to 0.11 in cosine (evals/results/bench_runtime.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.base import DIM

MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
# Texts per run of the graph, sorted by length: 16 encoded 1,500 demo profiles at 150/s
# against 126/s for 64 (best of 3 each, 2 cores): less padding, smaller working set.
BATCH = 16
_load_lock = threading.Lock()


def exported_model_path() -> Path:
    """Where the exported graph lives: beside the environment, never downloaded."""
    return Path(sys.prefix) / "share" / "mentorkit" / "all-MiniLM-L6-v2.onnx"


def export(model_dir: Path, out: Path) -> Path:
    """Export the bundled model's transformer to ONNX (fp32), atomically."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = tokenizer(
        ["a short text", "and a somewhat longer one"], padding=True, return_tensors="pt"
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    torch.onnx.export(
        Hidden(model),
        tuple(sample[n] for n in names),
        str(partial),
        input_names=names,
        output_names=["hidden"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
        opset_version=17,
        dynamo=False,
    )
    partial.replace(out)
    return out


@lru_cache(maxsize=1)
def _session(path: str) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _tokenizer(path: str) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(path)
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    return tokenizer


class OnnxMiniLM:
    """Mean-pooled, normalised all-MiniLM-L6-v2 vectors from the exported graph."""

    def __init__(self, graph: Path, model_dir: Path, batch_size: int = BATCH) -> None:
        self.graph, self.model_dir, self.batch_size = graph, model_dir, batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with _load_lock:
            session = _session(str(self.graph))
            tokenizer = _tokenizer(str(self.model_dir / "tokenizer.json"))
        order = np.argsort([len(t) for t in texts], kind="stable")  # little padding per batch
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            encoded = tokenizer.encode_batch([texts[i] for i in rows.tolist()])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)[
                :, None
            ]
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.where(norms == 0, 1.0, norms)
        return out


def main(argv: list[str] | None = None) -> None:
    from embeddings.minilm import bundled_model_path

    parser = argparse.ArgumentParser(description="Export the bundled encoder to ONNX.")
    parser.add_argument("--out", type=Path, default=exported_model_path())
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"already exported: {args.out}")
        return
    print(f"exported {export(bundled_model_path(), args.out)}")


if __name__ == "__main__":
    main()
