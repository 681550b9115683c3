"""The agent status state machine: the one table every status change is checked against.

```
            command                     turn finished (queue empty)
   idle ───────────────▶ executing ─────────────────────────────▶ idle | complete
    ▲ │                   │  ▲  │ permission asked                     │
    │ │budget used up     │  │  └──────────────▶ waiting ──────────────┤ (back to executing when answered)
    │ ▼                   │  │                     │                    │
  blocked ◀───────────────┤  └── next command ─────┘                    │
    │ (budget raised: idle)│      (from idle, complete, interrupted, failed)
    │                      ├──▶ interrupted   (interrupt honoured)
    │                      └──▶ failed        (turn ended in error, or the CLI broke)
    └──────────────▶ deleted ◀── from every status but deleted; terminal
```

Busy statuses (executing, waiting) refuse a new command unless it is queued; resting statuses (idle,
complete, interrupted, failed) start one at once; blocked refuses work until its budget is raised.
"""

from __future__ import annotations

import enum


class AgentStatus(enum.StrEnum):
    IDLE = "idle"
    EXECUTING = "executing"
    WAITING = "waiting"
    BLOCKED = "blocked"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    DELETED = "deleted"


S = AgentStatus

TRANSITIONS: dict[AgentStatus, frozenset[AgentStatus]] = {
    S.IDLE: frozenset({S.EXECUTING, S.BLOCKED, S.DELETED}),
    S.EXECUTING: frozenset({S.IDLE, S.COMPLETE, S.WAITING, S.INTERRUPTED, S.FAILED, S.BLOCKED, S.DELETED}),
    S.WAITING: frozenset({S.EXECUTING, S.INTERRUPTED, S.FAILED, S.DELETED}),
    S.BLOCKED: frozenset({S.IDLE, S.DELETED}),
    S.COMPLETE: frozenset({S.EXECUTING, S.IDLE, S.BLOCKED, S.DELETED}),
    S.INTERRUPTED: frozenset({S.EXECUTING, S.IDLE, S.BLOCKED, S.DELETED}),
    S.FAILED: frozenset({S.EXECUTING, S.IDLE, S.BLOCKED, S.DELETED}),
    S.DELETED: frozenset(),
}

BUSY = frozenset({S.EXECUTING, S.WAITING})
RESTING = frozenset({S.IDLE, S.COMPLETE, S.INTERRUPTED, S.FAILED})

# The runtime may move an agent along these edges directly; every other edge is the consequence of a
# domain decision (a command, a finished turn, an interrupt, a budget) and has its own method.
REPORTABLE = frozenset({(S.EXECUTING, S.WAITING), (S.WAITING, S.EXECUTING)})


def can_transition(source: AgentStatus, target: AgentStatus) -> bool:
    return target in TRANSITIONS[source]
