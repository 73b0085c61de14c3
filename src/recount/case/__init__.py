"""A case: opening or creating its folder, its sources, and a summary of what it holds."""
