"""Who is asking: token verification, the viewer, and the visibility policy."""
