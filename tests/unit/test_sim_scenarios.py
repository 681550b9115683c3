"""Scenario files: templates, loading, precedence of extra files, and the fault queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.runtime.simulator.clauses import read_text
from app.runtime.simulator.conversation import read_conversation
from app.runtime.simulator.faults import FaultQueue
from app.runtime.simulator.planner import answer
from app.runtime.simulator.rules import load_rule_books
from app.runtime.simulator.scenario_files import FaultKind, ScenarioFileError
from app.runtime.simulator.templates import TemplateError, render_input, render_text
from tests.unit.sim_requests import WORKER_TOOLS, request_body


def test_a_missing_group_drops_its_key_and_filters_convert() -> None:
    template = {
        "name": "{name}",
        "model": "{model}",
        "tail": "{n:int}",
        "path": "{file:path}",
        "note": "x{model}y",
    }

    rendered = render_input(
        template, {"name": "alpha", "model": None, "n": "5", "file": "a.txt", "cwd": "/w"}
    )

    assert rendered == {"name": "alpha", "tail": 5, "path": "/w/a.txt", "note": "xy"}


def test_text_templates_keep_escaped_braces_and_reject_unknown_filters() -> None:
    assert render_text("{{literal}} {word}", {"word": "ok"}) == "{literal} ok"
    with pytest.raises(TemplateError):
        render_text("{word:shout}", {"word": "ok"})


def test_an_extra_scenario_file_takes_precedence_over_the_built_in_rules(tmp_path: Path) -> None:
    (tmp_path / "greeting.yaml").write_text(
        "role: worker\n"
        "rules:\n"
        "  - example: write a poem about THING\n"
        "    match: 'write a poem about (?P<thing>{TEXT})'\n"
        "    tool: Write\n"
        "    input: {file_path: '{cwd}/poem.txt', content: 'Ode to {thing}'}\n"
    )
    books = load_rule_books(tmp_path)

    reply = answer(books, read_conversation(request_body("write a poem about tea", WORKER_TOOLS)))

    assert [getattr(block, "input", None) for block in reply.blocks] == [
        {"file_path": "/work/here/poem.txt", "content": "Ode to tea"}
    ]
    assert "write a poem about THING" in books["worker"].examples
    assert read_text(books["worker"], "read a.txt").actions  # built-in rules still apply


@pytest.mark.parametrize(
    "content",
    [
        "role: worker\nrules:\n  - {match: 'x', tool: Read, surprise: 1}\n",
        "role: jester\n",
        "role: worker\nrules:\n  - {match: '(unclosed', tool: Read}\n",
        "role: worker\nrules:\n  - {match: 'x', each: names, tool: Read}\n",
    ],
)
def test_a_bad_scenario_file_is_refused_with_its_path(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.yaml").write_text(content)

    with pytest.raises(ScenarioFileError, match=r"bad\.yaml"):
        load_rule_books(tmp_path)


def test_faults_are_taken_in_order_by_the_roles_they_target() -> None:
    queue = FaultQueue()
    queue.inject(FaultKind.OVERLOADED, count=2, role="worker")
    queue.inject("server_error")

    taken = [queue.take(role) for role in ("orchestrator", "worker", "worker", "worker", "summary")]

    assert taken == [FaultKind.SERVER_ERROR, FaultKind.OVERLOADED, FaultKind.OVERLOADED, None, None]


def test_an_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="explode"):
        FaultQueue().inject("explode")


def test_a_value_a_filter_cannot_convert_is_a_scenario_error(tmp_path: Path) -> None:
    (tmp_path / "count.yaml").write_text(
        "role: worker\nrules:\n  - {match: 'show (?P<n>\\w+) lines', tool: Read, input: {limit: '{n:int}'}}\n"
    )
    books = load_rule_books(tmp_path)

    with pytest.raises(ValueError, match="five"):
        answer(books, read_conversation(request_body("show five lines", WORKER_TOOLS)))
