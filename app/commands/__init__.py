"""The command side: handlers load aggregates from their streams, decide, and append the new events."""
