"""Benchmarks: scripts that time things (the test suite never does)."""
