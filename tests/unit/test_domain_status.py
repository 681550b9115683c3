"""The agent status state machine: one table, terminal deletion, busy and resting statuses."""

from __future__ import annotations

from domain.status import BUSY, REPORTABLE, RESTING, TRANSITIONS, AgentStatus, can_transition


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(AgentStatus)


def test_deleted_is_terminal_and_reachable_from_every_other_status() -> None:
    assert TRANSITIONS[AgentStatus.DELETED] == frozenset()
    for status in AgentStatus:
        if status is not AgentStatus.DELETED:
            assert can_transition(status, AgentStatus.DELETED)


def test_no_status_transitions_to_itself() -> None:
    for status, targets in TRANSITIONS.items():
        assert status not in targets


def test_busy_and_resting_are_disjoint_and_leave_out_blocked_and_deleted() -> None:
    assert not BUSY & RESTING
    assert set(AgentStatus) - BUSY - RESTING == {AgentStatus.BLOCKED, AgentStatus.DELETED}


def test_resting_agents_can_start_executing_and_blocked_only_returns_to_idle() -> None:
    for status in RESTING:
        assert can_transition(status, AgentStatus.EXECUTING)
    assert TRANSITIONS[AgentStatus.BLOCKED] == {AgentStatus.IDLE, AgentStatus.DELETED}


def test_reportable_edges_are_transitions() -> None:
    for source, target in REPORTABLE:
        assert can_transition(source, target)
