"""Benchmarks: each prints JSON with its figures beside baselines measured in the same run."""
