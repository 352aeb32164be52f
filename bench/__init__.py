"""Benchmark harness: what each step of the pipeline costs, against baselines, at scale."""
