"""One module per board family, imitating its public API for the local board server."""
