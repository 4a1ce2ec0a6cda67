from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from embeddings import CachingEmbedder, EmbeddingCache, HashingEncoder, MiniLMEncoder, make_encoder


class CountingEncoder:
    """Wraps an encoder and counts the texts it is asked to encode."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return self.inner.encode(texts)


def test_the_fake_encoder_is_deterministic_unit_length_and_word_sensitive() -> None:
    encoder = HashingEncoder()
    a, b, c = encoder.encode(["public speaking", "speaking in public", "tax law"])
    np.testing.assert_array_equal(a, HashingEncoder().encode(["public speaking"])[0])
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-6)
    assert a @ b > a @ c


def test_unchanged_text_is_never_embedded_twice(tmp_path: Path) -> None:
    counting = CountingEncoder(HashingEncoder())
    cache_path = tmp_path / "cache.sqlite"
    embedder = CachingEmbedder(counting, EmbeddingCache(cache_path), batch_size=2, progress=False)
    texts = ["sql", "negotiation", "sql", "budgeting", ""]
    first = embedder.embed(texts)
    assert sorted(t for call in counting.calls for t in call) == ["budgeting", "negotiation", "sql"]
    assert not first[4].any()  # the empty text is the zero vector, never encoded

    counting.calls.clear()
    again = CachingEmbedder(counting, EmbeddingCache(cache_path), progress=False)  # a new process
    second = again.embed(texts)
    assert counting.calls == []
    assert again.stats.cache_hits == 3 and again.stats.encoded == 0
    np.testing.assert_array_equal(first, second)

    again.embed(["sql", "python"])
    assert counting.calls == [["python"]]


def test_the_cache_key_includes_the_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    CachingEmbedder(HashingEncoder(), cache, progress=False).embed(["sql"])
    other = CountingEncoder(HashingEncoder())
    other.model_id = "another-model"
    CachingEmbedder(other, cache, progress=False).embed(["sql"])
    assert other.calls == [["sql"]]


def test_an_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend 'bert'"):
        make_encoder("bert")


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import json, socket
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network is unreachable (blocked by test)")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from embeddings import MiniLMEncoder
    vectors = MiniLMEncoder().encode(["public speaking", "presenting to executives", "python"])
    print(json.dumps({"attempts": attempts, "shape": list(vectors.shape),
                      "norms": vectors.dot(vectors.T).diagonal().tolist(),
                      "sim": vectors.dot(vectors.T).tolist()}))
    """
)


@pytest.mark.slow
def test_the_bundled_model_loads_and_embeds_with_no_network(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS"))
    }
    env.update(
        HOME=str(tmp_path), HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9"
    )
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert result["shape"] == [3, 384]
    assert result["norms"] == pytest.approx([1.0, 1.0, 1.0], abs=1e-4)
    speaking, presenting, python = result["sim"][0]
    assert presenting > 0.3 > python


@pytest.mark.slow
def test_the_model_is_loaded_once_per_process() -> None:
    first, second = MiniLMEncoder(), MiniLMEncoder(batch_size=8)
    assert first.model is second.model
    vectors = second.encode(["mentoring junior analysts"])
    assert vectors.shape == (1, 384) and vectors.dtype == np.float32


def test_the_cache_serves_other_threads(tmp_path) -> None:
    """The chat UI runs each reply in some worker thread: the cache must not care which."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from embeddings import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "c.sqlite")
    cache.put_many([("k", np.ones(3, dtype=np.float32))])
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: cache.get_many(["k"])["k"].tolist(), range(8)))
        pool.submit(cache.put_many, [("j", np.zeros(3, dtype=np.float32))]).result()
    assert found == [[1.0, 1.0, 1.0]] * 8 and len(cache) == 2
