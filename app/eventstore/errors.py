"""What can go wrong at the store, in words a caller can act on."""

from __future__ import annotations

from uuid import UUID

import asyncpg


class ConcurrencyError(Exception):
    """Another writer got there first: the stream is not at the version this append expected."""

    def __init__(self, stream_id: UUID, expected_version: int, actual_version: int) -> None:
        super().__init__(
            f"stream {stream_id} was expected at version {expected_version} but is at {actual_version}"
        )
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.actual_version = actual_version


class EventIdConflict(Exception):
    """A batch reuses some event ids already stored but not all: neither a new append nor a retry."""


class StoreUnavailable(Exception):
    """The database cannot be reached right now; retrying later may work."""


# Raised when the server, the network or the database goes away, or a (re)connection is refused.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidAuthorizationSpecificationError,
    # A pooled connection whose backend was terminated while idle can be handed out before asyncpg has
    # seen the socket close; its protocol then refuses the query ("cannot switch to state 12"). It is
    # closed by the time of the next try, so callers treat it like any lost connection and retry.
    asyncpg.InternalClientError,
)
