"""The OCOP office's back office: importing the package attaches every route to `bp`."""
from shop.admin import (audit_log, bank, certificates, commission, home, money, orders, payments, payouts, people, points, privacy,  # noqa: F401
                        producers, products, rates, refunds_owed, report_pages, reviews, users, views)  # (their routes attach to bp)
from shop.admin.blueprint import bp  # noqa: F401
