"""Every model, imported in one place so Alembic and the shell see them all."""
from shop.catalog.models import Category, Producer, Product, ProductCertification, Variant  # noqa: F401
from shop.inventory.models import Location, Stock  # noqa: F401
from shop.sales_points.models import SalesPoint  # noqa: F401
