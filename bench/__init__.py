"""Benchmarks: scripts that measure and print figures, never pass or fail on a timing."""
