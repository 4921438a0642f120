"""Demo data for development: the demo catalogue, and an account per role with a few orders to look at."""
