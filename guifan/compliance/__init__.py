"""Transcript compliance checker (pure): see issue 5."""
