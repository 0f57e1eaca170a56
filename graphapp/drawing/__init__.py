"""Diagrams drawn for people: ladder and tree layouts, text in every script, SVG/PNG."""
