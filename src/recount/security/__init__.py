"""Who may see and do what: accounts, passwords, the role table, the audit log, redaction."""
