"""The earthcode-kg web service: SPARQL 1.1 Protocol, named queries, lineage JSON and linked data for harvesters."""

from .app import create_app

__all__ = ["create_app"]
