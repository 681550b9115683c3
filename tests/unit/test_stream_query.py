"""`GET /api/stream` request parsing: positions, filters, and refusals that say why."""

from __future__ import annotations

from uuid import uuid4

import pytest

from read_api.live import FrameFilter
from read_api.stream_query import BadStreamQuery, parse_stream_query


def test_no_position_means_live_only_and_no_filter() -> None:
    query = parse_stream_query([], None)
    assert query.start is None
    assert query.frame_filter.passes_all


def test_last_event_id_wins_over_from_because_a_reconnect_sends_both() -> None:
    assert parse_stream_query([("from", "5")], "42").start == 42
    assert parse_stream_query([("from", "5")], None).start == 5
    assert parse_stream_query([("from", "5")], "  ").start == 5


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "", "0x10", "٣", str(2**63)])
def test_a_malformed_position_is_refused_with_its_value(bad: str) -> None:
    with pytest.raises(BadStreamQuery, match="from"):
        parse_stream_query([("from", bad)], None)
    if bad.strip():
        with pytest.raises(BadStreamQuery, match="Last-Event-ID"):
            parse_stream_query([], bad)


def test_unknown_and_repeated_parameters_are_refused() -> None:
    with pytest.raises(BadStreamQuery, match="unknown query parameter 'since'"):
        parse_stream_query([("since", "3")], None)
    with pytest.raises(BadStreamQuery, match="more than once"):
        parse_stream_query([("agent", "a"), ("agent", "b")], None)


def test_types_must_all_be_wire_types() -> None:
    query = parse_stream_query([("types", "agent_log, system_log")], None)
    assert query.frame_filter.types == frozenset({"agent_log", "system_log"})
    with pytest.raises(BadStreamQuery, match="'agent_logs'"):
        parse_stream_query([("types", "agent_log,agent_logs")], None)
    with pytest.raises(BadStreamQuery, match="at least one"):
        parse_stream_query([("types", " , ")], None)


def test_agent_ids_are_compared_in_canonical_form_and_names_as_given() -> None:
    agent_id = uuid4()
    assert parse_stream_query([("agent", agent_id.hex.upper())], None).frame_filter.agent == str(agent_id)
    assert parse_stream_query([("agent", "builder")], None).frame_filter.agent == "builder"


def test_orchestrator_must_be_a_session_id() -> None:
    session_id = uuid4()
    assert parse_stream_query([("orchestrator", str(session_id))], None).frame_filter == FrameFilter(
        session_id=str(session_id)
    )
    with pytest.raises(BadStreamQuery, match="session id"):
        parse_stream_query([("orchestrator", "main")], None)
