"""The clause library: clauses, document definitions, the Jinja environment, markup, context."""
