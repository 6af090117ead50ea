"""Technician phone app."""
