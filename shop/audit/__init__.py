"""The office's audit log: who changed what, when, from what to what."""
from shop.audit.models import AuditEntry
from shop.audit.record import record_change

__all__ = ["AuditEntry", "record_change"]
