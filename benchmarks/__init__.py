"""chainrule's benchmark suite (not tests): ``python -m benchmarks``."""
