"""Secrets split across streamed chunks never reach the stream: the last words wait for what follows."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from app.runtime.redaction import REDACTED, redact_text
from app.runtime.stream_redaction import StreamRedactor

TEXT = (
    "Use the header Authorization: Bearer abcdefghijklmnop "
    "and ANTHROPIC_API_KEY=sk-ant-api03-zzzzzzzzzzzz now."
)


def _stream(chunks: list[str]) -> str:
    redactor = StreamRedactor()
    return "".join(redactor.feed(chunk) for chunk in chunks) + redactor.flush()


def test_a_secret_cut_in_pieces_is_still_redacted() -> None:
    chunks = [TEXT[i : i + 3] for i in range(0, len(TEXT), 3)]
    streamed = _stream(chunks)
    assert "abcdefghijklmnop" not in streamed
    assert "sk-ant" not in streamed
    assert streamed == redact_text(TEXT)
    assert streamed.count(REDACTED) == 2


def test_text_is_sent_before_the_block_ends() -> None:
    redactor = StreamRedactor()
    sent = redactor.feed("one two three four five six ")
    assert sent.startswith("one two")


@given(st.lists(st.integers(min_value=1, max_value=len(TEXT)), max_size=20))
def test_any_cut_streams_exactly_the_redacted_text(cuts: list[int]) -> None:
    points = sorted({0, len(TEXT), *cuts})
    chunks = [TEXT[a:b] for a, b in itertools.pairwise(points)]
    assert _stream(chunks) == redact_text(TEXT)
