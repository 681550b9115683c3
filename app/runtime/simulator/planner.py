"""Decides the next model turn from the conversation alone: the next scripted tool turn, or the final text."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.runtime.simulator.clauses import Action, Plan, read_text
from app.runtime.simulator.conversation import STRUCTURED_OUTPUT_TOOL, Conversation
from app.runtime.simulator.message import Reply, Text, Thinking, ToolUse
from app.runtime.simulator.rules import Role, RuleBook
from app.runtime.simulator.scenario_files import FaultKind
from app.runtime.simulator.structured import fill_schema
from app.runtime.simulator.templates import render_input, render_text

DEFAULT_DONE = "- {tool}: {result:short}"
_MCP_PREFIX = re.compile(r"^mcp__.+?__")


@dataclass(frozen=True)
class ScriptTurn:
    """One model turn of tool calls: a step of a rule, repeated over the rule's `each` items."""

    action: int
    think: str | None
    say: str | None
    calls: tuple[tuple[str, dict[str, Any]], ...]


def answer(books: Mapping[Role, RuleBook], conversation: Conversation) -> Reply:
    if conversation.role == "title":
        return Reply((Text(json.dumps(fill_schema(conversation.output_schema, conversation.prompt))),))
    if conversation.role == "structured":
        return _structured(conversation)
    book = _book(books, conversation)
    if book is None:
        return Reply((Text("Done."),))
    plan = read_text(book, conversation.prompt)
    turns = script(plan, conversation)
    if conversation.next_turn < len(turns):
        return _tool_turn(conversation, conversation.next_turn, turns[conversation.next_turn])
    return Reply((Text(final_text(book, plan, turns, conversation)),))


def triggered_fault(books: Mapping[Role, RuleBook], conversation: Conversation) -> FaultKind | None:
    book = _book(books, conversation)
    for trigger in book.triggers if book else ():
        if trigger.pattern.search(conversation.prompt):
            return trigger.fault
    return None


def _book(books: Mapping[Role, RuleBook], conversation: Conversation) -> RuleBook | None:
    """Roles answered from scenario files; title and structured requests are answered by schema."""
    role = conversation.role
    return books.get(role) if role in ("orchestrator", "worker", "summary") else None


def script(plan: Plan, conversation: Conversation) -> list[ScriptTurn]:
    turns: list[ScriptTurn] = []
    for index, action in enumerate(plan.actions):
        for step_index, step in enumerate(action.rule.steps):
            calls = tuple(
                (step.tool, render_input(step.input, _values(action, conversation, item)))
                for item in action.items
            )
            values = {**_values(action, conversation), "tools": ", ".join(_short(n) for n, _ in calls)}
            think = action.rule.think
            say = action.rule.spec.say if step_index == 0 else None
            turns.append(
                ScriptTurn(
                    action=index,
                    think=render_text(think, values) if think else None,
                    say=render_text(say, values) if say else None,
                    calls=calls,
                )
            )
    return turns


def final_text(book: RuleBook, plan: Plan, turns: list[ScriptTurn], conversation: Conversation) -> str:
    lines: list[str] = []
    for index, action in enumerate(plan.actions):
        if not action.rule.steps:
            lines.append(render_text(action.rule.spec.say or "", _values(action, conversation)))
            continue
        last_turn = max(number for number, turn in enumerate(turns) if turn.action == index)
        for call, item in enumerate(action.items):
            outcome = conversation.outcomes.get((last_turn, call))
            values = {
                **_values(action, conversation, item),
                "tool": _short(turns[last_turn].calls[call][0]),
                "result": outcome.text if outcome else "(no result)",
                "error": "error" if outcome and outcome.is_error else None,
            }
            lines.append(render_text(action.rule.spec.done or DEFAULT_DONE, values))
    if not plan.actions:
        examples = "\n".join(f"- {example}" for example in book.examples)
        return render_text(book.fallback, {"examples": examples, "text": conversation.prompt})
    if turns:
        lines.insert(0, book.final)
    lines.extend(f"I did not understand “{words}”." for words in plan.not_understood)
    return "\n".join(line for line in lines if line)


def _tool_turn(conversation: Conversation, number: int, turn: ScriptTurn) -> Reply:
    missing = [name for name, _ in turn.calls if name not in conversation.tool_names]
    if missing:
        return Reply((Text(f"I cannot do that here: the tool {', '.join(missing)} is not available."),))
    blocks: list[Thinking | Text | ToolUse] = []
    if turn.think:
        blocks.append(Thinking(turn.think))
    if turn.say:
        blocks.append(Text(turn.say))
    blocks.extend(
        ToolUse(conversation.tool_id(number, call), name, tool_input)
        for call, (name, tool_input) in enumerate(turn.calls)
    )
    return Reply(tuple(blocks))


def _values(action: Action, conversation: Conversation, item: str | None = None) -> dict[str, str | None]:
    values = {
        **action.values,
        "cwd": conversation.cwd,
        "text": conversation.prompt,
        "clause": conversation.prompt[action.start : action.end],
    }
    if action.rule.spec.each and item is not None:
        values[action.rule.spec.each] = item
    return values


def _short(tool_name: str) -> str:
    return _MCP_PREFIX.sub("", tool_name)


def _structured(conversation: Conversation) -> Reply:
    """First turn: call the CLI's StructuredOutput tool with schema-shaped values; then finish."""
    if conversation.next_turn > 0:
        return Reply((Text("Done."),))
    value = fill_schema(conversation.output_schema, conversation.prompt)
    return Reply((ToolUse(conversation.tool_id(0, 0), STRUCTURED_OUTPUT_TOOL, value),))
