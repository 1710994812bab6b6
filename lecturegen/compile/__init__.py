"""Compile layer."""
