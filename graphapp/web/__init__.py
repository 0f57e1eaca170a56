"""Blueprints: web pages and the JSON API. Thin: parse, call a capability, render."""
