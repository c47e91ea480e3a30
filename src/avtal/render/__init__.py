"""Renderers: each turns a Document into one output format."""
