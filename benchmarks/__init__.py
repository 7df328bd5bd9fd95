"""Raqib's benchmarks: each `bench_*.py` measures one part against a baseline run in the same process."""
