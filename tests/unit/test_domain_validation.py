"""Format rules: agent names, models, text sizes, slugs, usage deltas, budgets; each error names its field."""

from __future__ import annotations

import math

import pytest

from domain.budget import Budget, BudgetLevel
from domain.errors import InvalidModel, InvalidName, InvalidValue, NegativeUsage, TextTooLong
from domain.validation import (
    MESSAGE_MAX_CHARS,
    check_agent_name,
    check_level,
    check_model,
    check_slug,
    check_text,
    slug_from,
)
from domain.values import Usage


@pytest.mark.parametrize("name", ["a", "builder", "agent-2", "x_y", "9lives", "a" * 64])
def test_valid_names_pass(name: str) -> None:
    assert check_agent_name(name) == name


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "1 to 64 characters"),
        ("a" * 65, "1 to 64 characters"),
        ("Builder", "use lowercase"),
        ("-lead", "must match"),
        ("_lead", "must match"),
        ("has space", "must match"),
        ("ünicode", "must match"),
        ("orchestrator", "reserved"),
    ],
)
def test_bad_names_are_rejected_naming_field_and_rule(name: str, fragment: str) -> None:
    with pytest.raises(InvalidName, match=fragment) as caught:
        check_agent_name(name)
    assert caught.value.field == "name"


@pytest.mark.parametrize("model", ["sonnet", "opus", "haiku", "claude-sonnet-4-5-20250929", "claude-3.5-x"])
def test_known_models_pass(model: str) -> None:
    assert check_model(model) == model


@pytest.mark.parametrize("model", ["", "gpt-4", "Sonnet", "claude-", "claude-Opus"])
def test_unknown_models_are_rejected(model: str) -> None:
    with pytest.raises(InvalidModel, match="is not a model"):
        check_model(model)


def test_text_over_the_limit_is_too_long_and_says_the_limit() -> None:
    with pytest.raises(TextTooLong, match=f"limit is {MESSAGE_MAX_CHARS}") as caught:
        check_text("x" * (MESSAGE_MAX_CHARS + 1), "text")
    assert caught.value.field == "text"


def test_text_at_the_limit_passes() -> None:
    assert len(check_text("x" * MESSAGE_MAX_CHARS, "text")) == MESSAGE_MAX_CHARS


def test_blank_required_text_is_rejected_but_optional_may_be_empty() -> None:
    with pytest.raises(InvalidValue, match="must not be empty"):
        check_text(" \n\t", "prompt")
    assert check_text("", "system_prompt", required=False) == ""


@pytest.mark.parametrize("slug", ["fix-login", "a", "step-2-of-3"])
def test_valid_slugs_pass(slug: str) -> None:
    assert check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["", "Fix", "double--dash", "-lead", "trail-", "a" * 81])
def test_bad_slugs_are_rejected(slug: str) -> None:
    with pytest.raises(InvalidValue, match="task_slug"):
        check_slug(slug)


def test_slug_from_prompt_takes_first_words_and_suffix() -> None:
    assert (
        slug_from("Fix the LOGIN page, then run tests please now", "ab12")
        == "fix-the-login-page-then-run-ab12"
    )
    assert slug_from("!!!", "ab12") == "ab12"
    assert check_slug(slug_from("word " * 200, "ab12"))


def test_log_level_must_be_known() -> None:
    assert check_level("WARNING") == "WARNING"
    with pytest.raises(InvalidValue, match="level 'loud'"):
        check_level("loud")


@pytest.mark.parametrize(
    "usage",
    [Usage(input_tokens=-1), Usage(cost_usd=-0.01), Usage(cost_usd=math.nan), Usage(cost_usd=math.inf)],
)
def test_usage_deltas_must_be_non_negative_and_finite(usage: Usage) -> None:
    with pytest.raises(NegativeUsage, match="only grow"):
        usage.checked_delta()


def test_usage_adds_field_by_field() -> None:
    total = Usage(input_tokens=1, output_tokens=2, cache_read_input_tokens=3, cost_usd=0.5) + Usage(
        input_tokens=10, cache_creation_input_tokens=4, cost_usd=0.25
    )
    assert total == Usage(
        input_tokens=11,
        output_tokens=2,
        cache_read_input_tokens=3,
        cache_creation_input_tokens=4,
        cost_usd=0.75,
    )


@pytest.mark.parametrize(
    ("limit", "warn", "field"),
    [
        (0.0, 0.8, "limit_usd"),
        (-1.0, 0.8, "limit_usd"),
        (math.inf, 0.8, "limit_usd"),
        (5.0, 0.0, "warn_fraction"),
        (5.0, 1.5, "warn_fraction"),
    ],
)
def test_bad_budgets_are_rejected(limit: float, warn: float, field: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Budget.checked(limit, warn)
    assert caught.value.field == field


def test_budget_levels_reached_in_order() -> None:
    budget = Budget.checked(10.0, 0.5)
    assert budget is not None
    assert budget.reached(4.99) == []
    assert budget.reached(5.0) == [BudgetLevel.WARNING]
    assert budget.reached(12.0) == [BudgetLevel.WARNING, BudgetLevel.LIMIT]
    assert Budget.checked(None) is None
