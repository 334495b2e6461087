"""Bundled datasets."""

from pathlib import Path

HUINONG = Path(__file__).resolve().parent / "huinong"
"""The bundled Huinong District (惠农区) sample dataset."""
