"""Password strength and reuse. The only package (with breach/) allowed to unwrap a Secret."""
