"""Dispatch optimizer (pure): see issue 4."""
