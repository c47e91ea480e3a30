"""avtal: assemble Swedish public-sector cooperation agreements from a clause library."""

__version__ = "0.1.0"
