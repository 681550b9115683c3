"""The event registry: every event class of both aggregates has one stable versioned name."""

from __future__ import annotations

import re

from eventsourcing.domain import CanMutateAggregate

from domain.agent import Agent
from domain.registry import EVENT_NAMES, EVENT_TYPES
from domain.session import OrchestratorSession


def _event_classes(aggregate: type) -> set[type]:
    return {
        value
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, CanMutateAggregate)
        and name not in ("Event", "Created")  # the library's own bases
    }


def test_every_event_class_of_both_aggregates_is_registered() -> None:
    registered = set(EVENT_TYPES.values())
    assert _event_classes(Agent) | _event_classes(OrchestratorSession) == registered


def test_names_are_the_class_name_and_a_version() -> None:
    for name, event_class in EVENT_TYPES.items():
        assert re.fullmatch(r"[A-Z][A-Za-z]+\.v[1-9][0-9]*", name)
        assert name.split(".")[0] == event_class.__name__
        assert EVENT_NAMES[event_class] == name
