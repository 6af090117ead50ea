"""Norm compliance pages."""
