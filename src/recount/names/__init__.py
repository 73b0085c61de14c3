"""Personal names across scripts and romanisation conventions: ASCII forms, keys, patronymics."""
