"""Customer links."""
