"""Tables of the initiator portal."""
