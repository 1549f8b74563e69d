"""Password strength and reuse. With breach/, the only code allowed to unwrap a Secret."""
