"""Buyers' reviews: who may write one (only after a part was collected or delivered), writing and editing it,
the office's moderation and the producer's one answer. Pages: account/reviews.py, admin/reviews.py,
fulfillment/reviews.py; the record and the published list are catalog/reviews.py."""
