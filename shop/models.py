"""Every model, imported in one place so Alembic and the shell see them all."""
from shop.catalog.reviews import Review  # noqa: F401
from shop.catalog.models import Category, Certificate, Producer, ProducerContact, Product, ProductCertification, ProductImage, Variant  # noqa: F401
from shop.inventory.models import Location, Stock, StockAdjustment  # noqa: F401
from shop.sales_points.models import Closure, SalesPoint  # noqa: F401
from shop.auth.models import Address, Login, User  # noqa: F401
from shop.auth.consents import Consent  # noqa: F401
from shop.cart.models import Cart, CartLine  # noqa: F401
from shop.notifications.models import OutboxMessage  # noqa: F401
from shop.orders.models import Fulfillment, Order, OrderCounter, OrderEvent, OrderLine  # noqa: F401
from shop.orders.payment import Payment  # noqa: F401
from shop.payments.models import BankLine, BankStatementFormat, ProviderEvent, Refund, RefundBankDetails  # noqa: F401
from shop.currency.models import DisplayRate  # noqa: F401
from shop.ledger.models import Account, CommissionRule, JournalEntry, JournalLine, Payout, PayoutBatch  # noqa: F401
from shop.audit.models import AuditEntry  # noqa: F401
from shop.desk.models import CashCloseout, CounterSale, CounterSaleLine  # noqa: F401
