"""Matching needs to resources: nearest units with paths, the pairing plan."""
