"""Made-up values shared by the areas' tables."""

GHOST_INT = 2_000_000_000
GHOST_REF = "BET-2026-999999"
GHOST_TOKEN = "eyJyIjoxfQ:1tXXXX:forged"


def values_of(*names: str):
    """B's real values: the world's values of those kinds, one after the other."""
    return lambda world, route: [value for name in names for value in world.values[name]]
