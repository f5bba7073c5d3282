"""replylint: lint customer-service replies with YAML rule packs."""
from __future__ import annotations

__version__ = "0.1.0"
