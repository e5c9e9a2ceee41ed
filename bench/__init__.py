"""Benchmarks: a realistic data generator, `make bench` and its CI-sized `make bench-smoke`."""
