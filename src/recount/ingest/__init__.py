"""List importers: file formats, column mapping, validation, and the import transaction."""
