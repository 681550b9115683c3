"""Redacting text that arrives in chunks: a secret may be split across chunks, so the last words wait.

Chunks are held until a few more words have followed them; the held text is redacted as a whole, and
only what is settled is sent. The finished block is redacted again before it is stored, in one piece.
"""

from __future__ import annotations

import re

from app.runtime.redaction import redact_text

HELD_WORDS = 3
"""Enough for the longest secret patterns that span words (`Authorization: Bearer <token>`)."""
_SPACE = re.compile(r"\s+")


class StreamRedactor:
    def __init__(self) -> None:
        self._raw = ""
        self._sent = ""

    def feed(self, chunk: str) -> str:
        """The redacted text that may be sent now (possibly empty)."""
        self._raw += chunk
        gaps = [match.start() for match in _SPACE.finditer(self._raw)]
        if len(gaps) < HELD_WORDS:
            return ""
        return self._advance(redact_text(self._raw[: gaps[-HELD_WORDS]]))

    def flush(self) -> str:
        """The rest, at the end of the block."""
        return self._advance(redact_text(self._raw))

    def _advance(self, redacted: str) -> str:
        # A redaction reaching back into text already sent cannot be undone: send nothing more then.
        if not redacted.startswith(self._sent):
            return ""
        fresh, self._sent = redacted[len(self._sent) :], redacted
        return fresh
