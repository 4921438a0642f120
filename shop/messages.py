"""Every kind of e-mail, imported in one place so the outbox can build any message it stored."""
from shop.auth.messages import PasswordReset, Registration, UserInvite  # noqa: F401
from shop.orders.messages import (OrderCancelled, OrderPlaced, OrderReady, OrderUnclaimed, PickupPointChanged,  # noqa: F401
                                  PickupReminder, RefundDue, ReviewInvitation)
from shop.orders.part_messages import (PartCancelled, PartDestinationChanged, PartNew, PartRejected,  # noqa: F401
                                       PartUnclaimed)
from shop.payments.messages import PaymentReceived, PaymentRefunded, RefundOwed  # noqa: F401
from shop.admin.reminders import CertificateExpiring  # noqa: F401
from shop.privacy.messages import AccountErased  # noqa: F401
