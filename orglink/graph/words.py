"""Chinese word segmentation with jieba, shared by the loaders and matching.

The loaders infer a row's sub-type from the words of its title and keywords
(``orglink.graph.subtypes``); matching orders fitting resources by the words a need and a
resource share (``orglink.matching.fit``). Both segment here, with one jieba tokenizer built
lazily, once per process, on first use.

The tokenizer's dictionary is the taxonomy's words (:func:`orglink.graph.taxonomy.all_words`),
so every synonym segments as one word (``下水管道堵塞疏通`` → 下水管道 / 堵塞 / 疏通), and the
longer word wins where two overlap (健身器材 over 健身). jieba's own 350,000-word dictionary is
not loaded: building or even reading its cache costs about a second per process, four times
a whole validation of the Huinong lists; the rest of a text is cut by jieba's HMM (its
statistical model for words outside the dictionary), which is enough for the shared-word
ordering. The result depends only on the text and the taxonomy (no cache file, deterministic).
jieba's log output is silenced (it logs to stderr at level DEBUG by default).
"""

from __future__ import annotations

import io
import logging
import re
import threading
from functools import lru_cache
from typing import Any

from orglink.graph.taxonomy import all_words, fold

_WORD_FREQ = 1000  # every taxonomy word alike: with equal frequencies the longer word wins
_lock = threading.Lock()
_tokenizer: Any = None
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


def _segmenter() -> Any:
    """The one jieba tokenizer, built on first use from the taxonomy's words."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba  # lazy: importing jieba loads its HMM tables (~0.2 s)

                logging.getLogger("jieba").setLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                lines = "".join(f"{w} {_WORD_FREQ}\n" for w in all_words()).encode("utf-8")
                # the public prefix-dictionary builder on an in-memory dictionary; setting the
                # tables directly skips jieba's cache file in the temp directory and its log lines
                tk.FREQ, tk.total = jieba.Tokenizer.gen_pfdict(io.BytesIO(lines))
                tk.initialized = True
                _tokenizer = tk
    return _tokenizer


def tokens(text: str, hmm: bool = True) -> list[str]:
    """jieba's tokens of ``text`` (folded: NFKC, no spaces), in order, without punctuation.

    ``hmm=False`` leaves the text outside the dictionary in single characters instead of
    guessing words there: the dictionary words come out the same, about twice as fast (what
    the sub-type inference needs, since only dictionary words can name a sub-type)."""
    return list(_cut(text, hmm))


@lru_cache(maxsize=8192)  # the lists repeat titles and keywords (结对帮扶志愿者 ×12)
def _cut(text: str, hmm: bool) -> tuple[str, ...]:
    t = fold(text)
    if not t:
        return ()
    return tuple(w for w in _segmenter().lcut(t, HMM=hmm) if _MEANINGFUL.search(w))


def words(title: str, keywords: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """The words of a need or resource: its keywords (folded) and the tokens of its title, each
    at least two characters long (single characters such as 老 or 的 say nothing)."""
    out = {fold(k) for k in keywords} | set(tokens(title))
    return frozenset(w for w in out if len(w) >= 2)
