"""Training: the loop, its optimisers, the run service, what-if, tuning, fold-in."""
