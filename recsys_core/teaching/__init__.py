"""The lecture, reproduced exactly: its first lesson and its set-ups."""
