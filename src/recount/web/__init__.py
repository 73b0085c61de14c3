"""`recount serve`: server-rendered pages and a JSON API over the same core the CLI uses."""
