"""Domain events of the two aggregates, declared field by field (the aggregates attach them)."""
