"""Wrong passwords slow down whoever types them, never the right person elsewhere.

Only failures count, per address from one network (IPv4 /24, IPv6 /64) and per network over all
addresses. The first few failures are free; each one after that locks its key for a short time that
doubles up to a ceiling. Someone guessing Lan's password from one network locks only that network out
of Lan's account: Lan, from home, still logs in. Counters live in the rate limiter's storage (Redis
in production), so every worker and host shares them.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from flask import current_app

from shop.extensions import limiter


def network_of(ip: str) -> str:
    """The network an address belongs to for counting: its /24 (IPv4) or /64 (IPv6)."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return (ip or "unknown")[:64]
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _keys(email: str, ip: str) -> list[tuple[str, int]]:
    """(storage key, free failures) for the address from this network, and for the whole network."""
    config = current_app.config
    network = network_of(ip)
    # Hashed: the storage never holds the addresses people type, and a key stays short whatever they type.
    pair = hashlib.sha256(f"{(email or '').strip().lower()}\n{network}".encode()).hexdigest()[:32]
    prefix = f"{config.get('RATELIMIT_KEY_PREFIX', '')}login"
    return [(f"{prefix}/address-network/{pair}", config["LOGIN_FREE_FAILURES"]),
            (f"{prefix}/network/{network}", config["LOGIN_NETWORK_FREE_FAILURES"])]


def wait_seconds(email: str, ip: str) -> int:
    """How long this address from this network must wait before its password is checked again; 0 if not."""
    storage, moment = limiter.storage, time.time()
    waits = [storage.get_expiry(f"{key}/lock") - moment for key, _free in _keys(email, ip)
             if storage.get(f"{key}/lock")]
    return max(1, math.ceil(max(waits))) if waits else 0


def failed(email: str, ip: str) -> None:
    """Count a wrong password; past the free ones, lock the key for a time that doubles with each failure."""
    config, storage = current_app.config, limiter.storage
    for key, free in _keys(email, ip):
        failures = storage.incr(f"{key}/failures", config["LOGIN_FAILURE_MEMORY_SECONDS"])
        if failures >= free:
            lock = min(config["LOGIN_LOCKOUT_SECONDS"] * 2 ** min(failures - free, 30),
                       config["LOGIN_LOCKOUT_MAX_SECONDS"])
            storage.clear(f"{key}/lock")
            storage.incr(f"{key}/lock", lock)


def succeeded(email: str, ip: str) -> None:
    """The right password from this network forgets this address's failures there (the network's stay)."""
    key, _free = _keys(email, ip)[0]
    limiter.storage.clear(f"{key}/failures")
