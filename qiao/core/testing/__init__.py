"""Test support shared by every app: factories and browser helpers (not imported at run time)."""
