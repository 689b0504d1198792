"""economics."""
