"""earthcode-kg: the EarthCODE Open Science Catalog as a knowledge graph."""

__version__ = "0.1.0"
