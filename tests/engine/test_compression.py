"""Stored state is written with Zstandard; states written with zlib before still read."""

from __future__ import annotations

import base64
import json
import threading
import zlib
from pathlib import Path

from engine.bench import RawSpiff
from engine.compression import ZSTD_MAGIC, compress, decompress
from engine.serialization import StateSerializer

STATE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "engine" / "state_v1.json"


def test_new_state_is_zstandard_and_reads_back() -> None:
    blob = StateSerializer().dumps(RawSpiff().start())
    assert blob[:4] == ZSTD_MAGIC
    assert json.loads(decompress(blob))["format"] == "loket-1"


def test_state_written_with_zlib_still_reads() -> None:
    old = base64.b64decode(json.loads(STATE_V1.read_text())["state"])
    assert old[:1] == b"\x78"  # the fixture really is the old format
    assert decompress(old) == zlib.decompress(old)


def test_threads_compress_at_the_same_time_without_mixing_up() -> None:
    texts = [json.dumps({"thread": n, "data": "x" * (n * 50)}).encode() for n in range(8)]
    results: dict[int, bool] = {}

    def work(n: int) -> None:
        results[n] = all(decompress(compress(texts[n])) == texts[n] for _ in range(300))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == dict.fromkeys(range(8), True)
