"""Bounds that let exact search skip mentors: k-means cells over profile vectors, and a
memory-bounded cache of per-phrase lifts. Pure numpy and faiss."""

from __future__ import annotations

from collections import OrderedDict

import faiss
import numpy as np

EPSILON = 1e-4  # faiss and numpy round the same cosine differently, by far less than this
MENTORS_PER_CELL = 48
MAX_CELLS = 1024


class LiftCache:
    """The most recently used lifts, up to a memory budget: wanted phrases repeat."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[int, np.ndarray] = OrderedDict()
        self.bytes = 0

    def get(self, key: int) -> np.ndarray | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: int, value: np.ndarray) -> None:
        self.items[key] = value
        self.bytes += value.nbytes
        while self.bytes > self.max_bytes and len(self.items) > 1:
            _, dropped = self.items.popitem(last=False)
            self.bytes -= dropped.nbytes


class Cells:
    """Mentors' profile vectors in k-means cells, each with the widest angle of a member
    to its centre: a query at angle a to a centre is at angle >= a - widest to every
    member, so its cosine to them is at most cos(a - widest). One cell at small sizes."""

    def __init__(self, vectors: np.ndarray) -> None:
        count = min(MAX_CELLS, len(vectors) // MENTORS_PER_CELL)
        norms = np.linalg.norm(vectors, axis=1)
        self.centres: np.ndarray | None = None
        self.of = np.zeros(len(vectors), dtype=np.int64)
        self.widest = np.full(1, np.pi)
        if count >= 2:
            data = np.ascontiguousarray(vectors, dtype=np.float32)
            kmeans = faiss.Kmeans(vectors.shape[1], count, niter=10, seed=1, spherical=True)
            kmeans.train(data)
            centroids = np.asarray(kmeans.centroids)
            self.centres = centroids / np.linalg.norm(centroids, axis=1, keepdims=True)
            nearest = kmeans.index.search(data, 1)[1][:, 0]
            used, self.of = np.unique(nearest, return_inverse=True)  # no empty cell
            self.centres = self.centres[used]
            count = len(used)
            unit = vectors / np.maximum(norms, 1e-12)[:, None]
            cosine = np.einsum("ij,ij->i", unit, self.centres[self.of])
            angle = np.arccos(np.clip(cosine, -1, 1))
            angle[norms < 1e-12] = np.pi  # a zero vector: no direction, bound by its norm only
            self.widest = np.zeros(count)
            np.maximum.at(self.widest, self.of, angle)
        self.count = len(self.widest)
        self.reach = np.zeros(self.count)  # the longest vector in each cell (1 when normalised)
        np.maximum.at(self.reach, self.of, norms)

    def per_cell(self, queries: np.ndarray) -> np.ndarray:
        """len(queries) x cells: an upper bound on max(cosine, 0) to any member of a cell."""
        length = np.linalg.norm(queries, axis=1)
        if self.centres is None:
            return (length[:, None] * self.reach[None, :] + EPSILON).astype(np.float32)
        unit = queries / np.maximum(length, 1e-12)[:, None]
        angle = np.arccos(np.clip(unit @ self.centres.T, -1, 1))
        cosine = np.cos(np.maximum(angle - self.widest[None, :], 0.0))
        out = np.maximum(cosine, 0.0) * self.reach[None, :] * length[:, None] + EPSILON
        return out.astype(np.float32)

    def bound(self, query: np.ndarray) -> np.ndarray:
        """Per mentor, an upper bound on max(cosine to `query`, 0)."""
        return self.per_cell(query[None, :])[0][self.of]
