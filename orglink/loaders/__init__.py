"""Loaders for dataset directories of CSV / XLSX lists."""
