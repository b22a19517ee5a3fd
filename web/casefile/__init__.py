"""What staff and initiator share around a case besides the process: documents and messages."""
