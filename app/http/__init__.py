"""HTTP edge: the Litestar app factory, controllers and problem+json mapping."""
