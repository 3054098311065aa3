"""The pure core: facts and rules of asking for a promotion. Stdlib and pydantic only."""
