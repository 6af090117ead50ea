"""Dispatcher board."""
