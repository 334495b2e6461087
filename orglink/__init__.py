"""orglink: a graph of a district's party organisations, units, cadres, needs and resources."""

__version__ = "0.1.0"
