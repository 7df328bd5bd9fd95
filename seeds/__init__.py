"""Raqib's source catalogue and sample articles (data only)."""
