"""Scenario files compiled into per-role rule books: regexes with macros expanded, file defaults applied."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.runtime.simulator.scenario_files import (
    FaultKind,
    RuleSpec,
    ScenarioFile,
    ScenarioFileError,
    StepSpec,
    read_scenario_files,
)

Role = Literal["orchestrator", "worker", "summary"]
ROLES: tuple[Role, ...] = ("orchestrator", "worker", "summary")

# Names never taken as agent names, so that "alpha and then ..." is not read as two names.
_NAME = r"(?!(?:and|to|then|also|with|the|a|an)\b)[A-Za-z][\w-]*"
DEFAULT_MACROS = {
    "NAME": _NAME,
    "NAMES": r"{NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){NAME})*",
    "PATH": r"\"[^\"]+\"|'[^']+'|[\w~/-]+(?:\.[\w~/-]+)*",
    "TEXT": r"\"[^\"]*\"|'[^']*'|.+?",
    "INT": r"\d+",
}
# A clause ends at the end of the text, a punctuation mark, a line break or a joining word.
CLAUSE_END = r"(?=[ \t]*(?:$|[,;!?\n]|[.:](?:\s|$)|\b(?:and|then|also)\b))"
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")
FALLBACK = "I did not understand that. I understand requests like:\n{examples}"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    spec: RuleSpec
    steps: tuple[StepSpec, ...]
    think: str | None
    source: str


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    fault: FaultKind
    example: str | None


@dataclass(frozen=True)
class RuleBook:
    """Everything the simulator knows for one role."""

    role: Role
    mode: Literal["clauses", "whole"]
    rules: tuple[Rule, ...]
    triggers: tuple[Trigger, ...]
    final: str
    fallback: str

    @property
    def examples(self) -> list[str]:
        found = [rule.spec.example for rule in self.rules] + [t.example for t in self.triggers]
        return [example for example in found if example]


def load_rule_books(extra_dir: Path | None = None) -> dict[Role, RuleBook]:
    files = read_scenario_files(extra_dir)
    return {role: compile_role(role, files) for role in ROLES}


def compile_role(role: Role, files: list[tuple[str, ScenarioFile]]) -> RuleBook:
    own = [(source, file) for source, file in files if file.role == role]
    shared = [(source, file) for source, file in files if file.role in (role, "any")]
    rules = tuple(
        _compile_rule(spec, file, f"{source}#{index}")
        for source, file in own
        for index, spec in enumerate(file.rules)
    )
    triggers = tuple(
        Trigger(_compile(trigger.match, file.macros, source, anchored=False), trigger.fault, trigger.example)
        for source, file in shared
        for trigger in file.triggers
    )
    return RuleBook(
        role=role,
        mode=next((file.mode for _, file in own), "clauses"),
        rules=rules,
        triggers=triggers,
        final=next((file.final for _, file in own if file.final is not None), "Done."),
        fallback=next((file.fallback for _, file in own if file.fallback is not None), FALLBACK),
    )


def _compile_rule(spec: RuleSpec, file: ScenarioFile, source: str) -> Rule:
    clauses = file.mode == "clauses"
    pattern = _compile(spec.match, file.macros, source, anchored=clauses)
    if spec.each and spec.each not in pattern.groupindex:
        raise ScenarioFileError(f"{source}: 'each: {spec.each}' names no group of its pattern")
    return Rule(pattern, spec, spec.all_steps, spec.think or file.think, source)


def _compile(pattern: str, macros: dict[str, str], source: str, *, anchored: bool) -> re.Pattern[str]:
    expanded = expand_macros(pattern, {**DEFAULT_MACROS, **macros})
    if anchored:
        expanded = f"(?:{expanded}){CLAUSE_END}"
    try:
        return re.compile(expanded, re.IGNORECASE)
    except re.error as error:
        raise ScenarioFileError(f"{source}: bad pattern {pattern!r}: {error}") from error


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace `{NAME}`-style macros (upper case, so regex quantifiers like `{2}` stay) until none is left."""
    for _ in range(10):
        expanded = _MACRO.sub(lambda m: f"(?:{macros[m[1]]})" if m[1] in macros else m[0], pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ScenarioFileError(f"macros nest too deeply in {pattern!r}")
