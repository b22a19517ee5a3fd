"""Tables of the staff workspace."""
