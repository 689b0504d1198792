"""parkplan: future-proof Dutch business parks, from inventory to implementation plan."""

from __future__ import annotations

__version__ = "0.1.0"
