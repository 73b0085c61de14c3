"""The demo: a fictional, synthetic event built into a whole case (all fiction lives here)."""
