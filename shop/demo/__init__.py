"""Demo data for development: the demo catalogue as TOML files with its loader (`flask seed-demo`, load.py) and
the benchmark generator beside it (`--scale N`, scale.py), and an account per role with a few orders to look at."""
