"""Secrets never reach the store or the stream: keys by name, values by shape, nested or in text."""

from __future__ import annotations

from app.runtime.redaction import REDACTED, is_secret_key, redact, redact_text


def test_values_under_secret_keys_are_masked_at_any_depth() -> None:
    tool_input = {
        "command": "deploy",
        "env": {"ANTHROPIC_API_KEY": "abc", "GITHUB_TOKEN": "xyz", "PATH": "/usr/bin"},
        "headers": [{"Authorization": "Bearer 123"}],
        "password": "hunter2",
    }
    assert redact(tool_input) == {
        "command": "deploy",
        "env": {"ANTHROPIC_API_KEY": REDACTED, "GITHUB_TOKEN": REDACTED, "PATH": "/usr/bin"},
        "headers": [{"Authorization": REDACTED}],
        "password": REDACTED,
    }


def test_counters_and_ids_that_sound_like_secrets_are_kept() -> None:
    usage = {"input_tokens": 12, "output_tokens": 3, "session_id": "s-1", "tool_use_id": "toolu_1"}
    assert redact(usage) == usage
    assert not is_secret_key("max_tokens")
    assert is_secret_key("OPENAI_API_KEY")
    assert is_secret_key("db_password")


def test_secrets_inside_free_text_are_replaced() -> None:
    command = (
        "ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnop curl -H 'Authorization: Bearer eyJhbGciOi.x.y' "
        "postgresql://app:s3cret@db/prod"
    )
    cleaned = redact_text(command)
    assert "sk-ant-api03" not in cleaned
    assert "eyJhbGciOi" not in cleaned
    assert "s3cret" not in cleaned
    assert cleaned.startswith(f"ANTHROPIC_API_KEY={REDACTED}")
    assert "postgresql://app:" in cleaned


def test_known_token_shapes_are_found_without_a_name() -> None:
    text = "use ghp_abcdefghijklmnopqrstuvwxyz0123 and AKIAABCDEFGHIJKLMNOP please"
    assert redact_text(text) == f"use {REDACTED} and {REDACTED} please"


def test_ordinary_text_is_untouched() -> None:
    text = "Wrote 3 files; max_tokens: 4096; the key idea is caching. token count = 12"
    assert redact_text(text) == text
