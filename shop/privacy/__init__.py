"""Personal data (Decree 13/2023/ND-CP): a person's data exported, erased (orders kept, anonymised), retention.

It reads and writes accounts, carts, orders and the outbox, so it sits above `orders` (floor 5); the
pages that call it live in `account/` (the customer's own data, a guest's order) and `admin/` (the
office answering a request).
"""
