"""Writes need the token when one is set; serving beyond loopback needs one."""

from __future__ import annotations

import pytest

from app.http.auth import TokenRequired, check_exposure, is_loopback
from app.settings import Settings


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.5.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.0.2.7", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_beyond_loopback_without_a_token_is_refused() -> None:
    with pytest.raises(TokenRequired, match=r"O3S_TOKEN must be set to serve on 0\.0\.0\.0"):
        check_exposure(Settings(), "0.0.0.0")
    check_exposure(Settings(token="s3cret"), "0.0.0.0")
    check_exposure(Settings(), "127.0.0.1")
