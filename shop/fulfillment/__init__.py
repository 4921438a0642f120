"""The producer workspace: importing the package attaches every route to `bp`."""
from shop.fulfillment import catalog, parts, reviews, statements  # noqa: F401  (their routes attach to bp)
from shop.fulfillment.blueprint import bp  # noqa: F401
