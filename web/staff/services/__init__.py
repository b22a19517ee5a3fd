"""The staff workspace's service layer: plain functions over a session (and the engine),
no Flask. Views parse input, call one of these and map their errors to HTTP answers."""
