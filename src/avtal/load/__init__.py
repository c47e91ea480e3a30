"""Loading a cooperation: YAML with line numbers, the typed parameter model, schema, starters."""
