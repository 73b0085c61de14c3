"""The case store: tables, migrations, and the only code that writes SQL."""
