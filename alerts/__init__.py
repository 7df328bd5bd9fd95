"""Raqib's delivery side: everything after the `matches` stream, and the message contract."""
