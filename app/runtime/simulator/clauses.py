"""Reading a request's text as a sequence of clauses, each matched by one scenario rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.runtime.simulator.rules import Rule, RuleBook

_SEPARATORS = re.compile(
    r"(?:\s+|[,;.!?:]+|\b(?:and|then|also|please|finally|next|lastly|afterwards|after that|first)\b)*",
    re.IGNORECASE,
)
_WORD = re.compile(r"\"[^\"]*\"|[^\s,;]+|.")
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_PRONOUNS = {"it", "them", "him", "her", "both"}


@dataclass(frozen=True)
class Action:
    """One matched clause: the rule, its captured values, and the items it repeats over (`each`)."""

    rule: Rule
    start: int
    end: int
    values: dict[str, str | None]
    items: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    not_understood: tuple[str, ...]


def read_text(book: RuleBook, text: str) -> Plan:
    return _read_whole(book, text) if book.mode == "whole" else read_clauses(book, text)


def read_clauses(book: RuleBook, text: str) -> Plan:
    """Scan left to right; words no rule explains either extend the clause before them or are skipped."""
    actions: list[Action] = []
    not_understood: list[str] = []
    run: tuple[int, int] | None = None
    position = _skip(text, 0)
    while position < len(text):
        action = _match_at(book, text, position)
        if action is None:
            word = _WORD.match(text, position)
            end = word.end() if word else position + 1
            run = (run[0] if run else position, end)
            position = _skip(text, end)
            continue
        if run:
            # Words before a recognised clause are filler ("could you") unless they continue the last one.
            _extend_last(actions, text, run[1])
            run = None
        actions.append(_resolve_pronoun(action, actions))
        position = _skip(text, action.end)
    if run and not _extend_last(actions, text, run[1]):
        not_understood.append(text[run[0] : run[1]])
    return Plan(tuple(actions), tuple(not_understood))


def _read_whole(book: RuleBook, text: str) -> Plan:
    for rule in book.rules:
        matches = list(rule.pattern.finditer(text)) if rule.spec.all else [rule.pattern.search(text)]
        actions = tuple(_action(rule, match) for match in matches if match)
        if actions:
            return Plan(actions, ())
    return Plan((), ())


def _skip(text: str, position: int) -> int:
    found = _SEPARATORS.match(text, position)
    return found.end() if found else position


def _match_at(book: RuleBook, text: str, position: int) -> Action | None:
    for rule in book.rules:
        match = rule.pattern.match(text, position)
        if match and match.end() > position:
            return _action(rule, match)
    return None


def _extend_last(actions: list[Action], text: str, end: int) -> bool:
    """Re-match the last clause so that it also covers the words up to `end` ("containing eggs and milk")."""
    if not actions:
        return False
    last = actions[-1]
    match = last.rule.pattern.fullmatch(text, last.start, end)
    if match is None:
        return False
    actions[-1] = _action(last.rule, match)
    return True


def _action(rule: Rule, match: re.Match[str]) -> Action:
    values = {name: _unquote(value) for name, value in match.groupdict().items()}
    listed = values.get(rule.spec.each) if rule.spec.each else None
    items = tuple(_LIST_SEPARATOR.split(listed)) if listed else ("",)
    return Action(rule, match.start(), match.end(), values, items)


def _resolve_pronoun(action: Action, earlier: list[Action]) -> Action:
    """ "create alpha and ask it to ...": "it" stands for the items of the last clause that had some."""
    each = action.rule.spec.each
    if not each or len(action.items) != 1 or action.items[0].lower() not in _PRONOUNS:
        return action
    for previous in reversed(earlier):
        if previous.rule.spec.each:
            values = {**action.values, each: ", ".join(previous.items)}
            return Action(action.rule, action.start, action.end, values, previous.items)
    return action


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
