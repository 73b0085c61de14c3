"""Record linkage: name features, the Splink model, clustering, stable persons, review."""
