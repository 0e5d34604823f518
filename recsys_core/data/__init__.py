"""Rating data: the shared shape, reading files, samples, synthetic data, splits."""
