"""What a trained run gives back: numbers, words, figures, files and code."""
