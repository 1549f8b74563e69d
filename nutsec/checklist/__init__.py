"""Checklists: the typed model (`model`), the validating TOML loader (`loader`) and the
shipped-checklist catalog (`catalog`). Nothing is imported here, so that a command that needs
only a checklist's name (`names`) does not load the rest."""
