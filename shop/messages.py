"""Every kind of e-mail, imported in one place so the outbox can build any message it stored."""
from shop.auth.messages import PasswordReset, UserInvite  # noqa: F401
from shop.orders.messages import OrderCancelled, OrderPlaced, OrderReady, OrderUnclaimed, PickupReminder  # noqa: F401
from shop.orders.part_messages import PartCancelled, PartNew, PartRejected, PartUnclaimed  # noqa: F401
from shop.payments.messages import PaymentReceived, PaymentRefunded, RefundDue  # noqa: F401
