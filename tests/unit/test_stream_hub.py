"""The hub's fan-out: recent frames then live with no gap or repeat, filters, bounded buffers, heartbeats."""

from __future__ import annotations

import asyncio
import re

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.stream.hub import FrameBatch, Hub
from read_api.live import PASS_ALL, FrameFilter, SubscriptionDropped
from read_api.sse import HEARTBEAT, WireFrame, encode_frame


class Line(msgspec.Struct):
    position: int
    text: str


def frame(position: int, agent: str = "a1", wire_type: str = "agent_log") -> WireFrame:
    return encode_frame(wire_type, Line(position, "x"), position=position, agent_id=agent, agent_name="alice")


def batch(after: int, through: int, agent: str = "a1") -> FrameBatch:
    return FrameBatch(after, through, tuple(frame(p, agent) for p in range(after + 1, through + 1)))


async def no_store(after: int, limit: int) -> FrameBatch:
    raise AssertionError("the store should not be read")


def positions(chunk: bytes) -> list[int]:
    return [int(found) for found in re.findall(rb"^id: (\d+)$", chunk, re.MULTILINE)]


async def drain(subscription: object) -> bytes:
    return await asyncio.wait_for(subscription.next_chunk(), 1)  # type: ignore[attr-defined]


async def test_a_published_batch_reaches_every_subscriber_as_the_same_bytes() -> None:
    hub = Hub(no_store, start=0)
    _, first = hub.subscribe_from(0, PASS_ALL)
    _, second = hub.subscribe_from(0, PASS_ALL)
    hub.publish(batch(0, 3))
    one, two = await drain(first), await drain(second)
    assert positions(one) == [1, 2, 3]
    assert one is two


@given(
    cuts=st.lists(st.integers(1, 5), min_size=1, max_size=12),
    join_after=st.integers(0, 11),
    start=st.integers(0, 30),
)
def test_recent_frames_then_live_give_every_position_after_the_start_once(
    cuts: list[int], join_after: int, start: int
) -> None:
    start = min(start, sum(cuts))

    async def scenario() -> None:
        hub = Hub(no_store, start=0, ring_size=1000)
        through, received = 0, b""
        subscription = None
        for number, size in enumerate(cuts):
            if number == join_after:
                received, subscription = hub.subscribe_from(start, PASS_ALL)
            hub.publish(batch(through, through + size))
            through += size
        if subscription is None:
            received, subscription = hub.subscribe_from(start, PASS_ALL)
        hub.publish(batch(through, through + 1))
        received += await drain(subscription)
        assert positions(received) == list(range(start + 1, through + 2))

    asyncio.run(scenario())


async def test_filters_pick_frames_by_type_agent_name_or_id_and_session() -> None:
    hub = Hub(no_store, start=0)
    _, by_id = hub.subscribe_from(0, FrameFilter(agent="a2"))
    _, by_name = hub.subscribe_from(0, FrameFilter(agent="alice"))
    _, by_type = hub.subscribe_from(0, FrameFilter(types=frozenset({"system_log"})))
    hub.publish(batch(0, 2, agent="a1"))
    hub.publish(batch(2, 4, agent="a2"))
    hub.publish(FrameBatch(4, 5, (encode_frame("system_log", Line(5, "x"), position=5),)))
    assert positions(await drain(by_id)) == [3, 4]
    assert positions(await drain(by_name)) == [1, 2, 3, 4]
    assert positions(await drain(by_type)) == [5]


async def test_a_subscriber_past_its_bound_is_dropped_and_the_others_keep_everything() -> None:
    hub = Hub(no_store, start=0, max_pending=5)
    _, slow = hub.subscribe_from(0, PASS_ALL)
    _, fast = hub.subscribe_from(0, PASS_ALL)
    overflowed: list[bool] = []
    slow.on_overflow(lambda: overflowed.append(True))
    received: list[int] = []
    for through in range(3, 13, 3):
        hub.publish(batch(through - 3, through))
        received += positions(await drain(fast))
    assert overflowed == [True]
    with pytest.raises(SubscriptionDropped, match="more than 5"):
        await drain(slow)
    assert received == list(range(1, 13))
    assert hub.stats().subscribers == 1
    assert hub.stats().dropped == 1


async def test_frames_that_left_the_ring_must_come_from_the_store() -> None:
    hub = Hub(no_store, start=10, ring_size=4)
    assert not hub.covers(9)
    hub.publish(batch(10, 16))
    assert hub.stats().ring_floor == 12
    assert not hub.covers(11)
    recent, _ = hub.subscribe_from(12, PASS_ALL)
    assert positions(recent) == [13, 14, 15, 16]
    with pytest.raises(ValueError, match="left the ring"):
        hub.subscribe_from(11, PASS_ALL)


async def test_a_start_beyond_the_hub_skips_frames_up_to_it() -> None:
    hub = Hub(no_store, start=0)
    recent, subscription = hub.subscribe_from(7, PASS_ALL)
    assert recent == b""
    hub.publish(batch(0, 9))
    assert positions(await drain(subscription)) == [8, 9]


async def test_repeated_and_overlapping_batches_are_not_fanned_out_twice() -> None:
    hub = Hub(no_store, start=0)
    _, subscription = hub.subscribe_from(0, PASS_ALL)
    hub.publish(batch(0, 3))
    hub.publish(batch(0, 3))
    hub.publish(batch(1, 5))
    assert positions(await drain(subscription)) == [1, 2, 3, 4, 5]


async def test_heartbeats_go_to_idle_subscribers_only_and_ephemeral_frames_have_no_id() -> None:
    async with Hub(no_store, start=0, heartbeat_seconds=0.01) as hub:
        _, idle = hub.subscribe_from(0, PASS_ALL)
        assert await drain(idle) == HEARTBEAT
        typing = encode_frame("chat_typing", msgspec.Struct(), position=None, session_id="s1")
        _, other_session = hub.subscribe_from(0, FrameFilter(session_id="s2"))
        await hub.publish_ephemeral(typing)
        chunk = await drain(idle)
        assert chunk.startswith(b"event: chat_typing\ndata: {}\n\n")
        assert positions(chunk) == []
        assert await drain(other_session) == HEARTBEAT
    with pytest.raises(SubscriptionDropped, match="shutting down"):
        await drain(idle)


def test_preload_needs_contiguous_batches() -> None:
    hub = Hub(no_store, start=0)
    with pytest.raises(ValueError, match="contiguous"):
        hub.preload([batch(0, 2), batch(3, 4)])
    hub.preload([batch(5, 7), batch(7, 9)])
    assert (hub.through, hub.stats().ring_floor) == (9, 5)
