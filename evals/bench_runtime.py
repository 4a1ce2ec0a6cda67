"""Encoder runtimes side by side: speed, agreement and matching quality on both benchmarks.

    python -m evals.bench_runtime [--people 1000] [--seed 7]

The same all-MiniLM-L6-v2 run three ways: sentence-transformers on torch (the baseline),
the exported ONNX graph on onnxruntime (fp32, the default since it was measured here),
and that graph quantised to dynamic int8 (onnxruntime.quantization, made in a temporary
folder). For each: profile texts and skill phrases encoded per second, cosine of its
vectors to the baseline's, and mentorkit's nDCG@10 on both matching benchmarks (one seed)
with vectors from that runtime. A runtime is adoptable only within 0.01 nDCG of the
baseline on both.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

import numpy as np

from companion.demo import generate_organisation
from embeddings.minilm import MiniLMEncoder, bundled_model_path
from embeddings.onnx import OnnxMiniLM, exported_model_path
from evals.matching import BENCHMARKS, prepare, ranking_quality
from evals.report import markdown_table, write_report
from retrieval import total_of

Encode = Callable[[Sequence[str]], np.ndarray]


def runtimes(folder: Path) -> dict[str, Encode]:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = exported_model_path()
    int8 = folder / "int8.onnx"
    quantize_dynamic(str(graph), str(int8), weight_type=QuantType.QInt8)
    torch_model = MiniLMEncoder().model

    def on_torch(texts: Sequence[str]) -> np.ndarray:
        vectors = torch_model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    return {
        "sentence-transformers (torch)": on_torch,
        "onnxruntime fp32": OnnxMiniLM(graph, bundled_model_path()).encode,
        "onnxruntime int8": OnnxMiniLM(int8, bundled_model_path()).encode,
    }


def speed(encode: Encode, texts: list[str]) -> float:
    encode(texts[:8])  # load
    started = time.perf_counter()
    encode(texts)
    return len(texts) / (time.perf_counter() - started)


def quality(encode: Encode, people: int, seed: int) -> dict[str, float]:
    out = {}
    with mock.patch.object(MiniLMEncoder, "encode", lambda self, texts: encode(texts)):
        for benchmark in BENCHMARKS:
            with tempfile.TemporaryDirectory() as folder:
                prepared = prepare(benchmark, people, seed, "minilm", Path(folder))
            scores = total_of(
                prepared.matcher.scorer.components(prepared.mentees, prepared.mentors)
            )
            out[benchmark] = ranking_quality(prepared, scores)["ndcg@10"]
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    people = generate_organisation(args.people, args.seed).people
    profiles = [t for p in people for t in (p.offer_text, p.goals_text) if t]
    phrases = sorted({s for p in people for s in (*p.skills_offered, *p.skills_wanted)})
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        encoders = runtimes(Path(folder))
        reference = encoders["sentence-transformers (torch)"](profiles)
        for name, encode in encoders.items():
            agreement = np.einsum("ij,ij->i", encode(profiles), reference)
            figures[name] = {
                "profiles_per_s": speed(encode, profiles),
                "phrases_per_s": speed(encode, phrases),
                "cosine_mean": float(agreement.mean()),
                "cosine_min": float(agreement.min()),
                "ndcg@10": quality(encode, args.people, args.seed),
            }
    base = figures["sentence-transformers (torch)"]
    rows = [
        (
            name,
            f"{f['profiles_per_s']:.0f} ({f['profiles_per_s'] / base['profiles_per_s']:.2f}x)",
            f"{f['phrases_per_s']:.0f} ({f['phrases_per_s'] / base['phrases_per_s']:.2f}x)",
            f"{f['cosine_mean']:.4f} / {f['cosine_min']:.4f}",
            *(
                f"{f['ndcg@10'][b]:.3f} ({f['ndcg@10'][b] - base['ndcg@10'][b]:+.3f})"
                for b in BENCHMARKS
            ),
        )
        for name, f in figures.items()
    ]
    table = markdown_table(
        [
            "runtime",
            "profiles/s",
            "phrases/s",
            "cosine to torch (mean / min)",
            "nDCG@10 O*NET",
            "nDCG@10 people-style",
        ],
        rows,
    )
    header = (
        f"Encoder runtimes, {len(profiles):,} profile texts and {len(phrases):,} phrases "
        f"from {args.people:,} demo people; nDCG on seed {args.seed} of both benchmarks"
    )
    result = {"people": args.people, "seed": args.seed, "runtimes": figures}
    write_report("bench_runtime", result, f"{header}\n\n{table}", args.out)
    return result


if __name__ == "__main__":
    main()
