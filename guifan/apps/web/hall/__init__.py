"""Business hall pages."""
