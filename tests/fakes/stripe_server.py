"""A fake Stripe on 127.0.0.1: only what the shop uses, stateful, honouring idempotency keys.

API (as stripe-python 16 calls it, form-encoded): POST /v1/checkout/sessions, GET /v1/checkout/sessions/<id>,
POST /v1/checkout/sessions/<id>/expire, POST /v1/refunds. A stand-in for the hosted payment page:
GET /pay/<session id> shows the amount and two buttons; POST /pay/<id>/pay marks the session paid (a
PaymentIntent pi_… and its charge ch_…), sends the signed checkout.session.completed webhook and redirects
303 to success_url; POST /pay/<id>/cancel redirects to cancel_url, as Stripe does.

Switches for tests: fail_next(n, status), hang_next(n, seconds), `requests` (every API request received),
`webhooks` (every delivery and its answer), deliver_webhooks (False loses them, as a broken network would).
Response shapes follow Stripe's API reference, trimmed to the fields the shop reads.
"""
from __future__ import annotations

import collections
import html
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

import requests as http
import stripe
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

API_VERSION = "2026-10-28.endive"
_KEY_PART = re.compile(r"[^\[\]]+")


def decode_form(pairs) -> dict:
    """Stripe's form encoding back to JSON: line_items[0][price_data][unit_amount]=5 → nested lists/dicts."""
    root: dict = {}
    for key, value in pairs:
        parts = _KEY_PART.findall(key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_lists(node[k]) for k in sorted(node, key=int)]
    return {k: _lists(v) for k, v in node.items()}


def _id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


class StripeFailure(Exception):
    def __init__(self, status: int, error_type: str, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": error_type, "message": message, "code": code}}


@dataclass
class Recorded:
    method: str
    path: str
    idempotency_key: str | None
    params: dict
    status: int = 0


@dataclass
class FakeStripe:
    webhook_secret: str = "whsec_test"
    #: Where webhooks go (the shop's /payments/stripe/webhook); None keeps them in `undelivered`.
    webhook_url: str | None = None
    deliver_webhooks: bool = True
    #: Real Stripe tells about refunds by charge.refunded; off unless a test wants it.
    refund_webhooks: bool = False
    url: str = ""
    sessions: dict = field(default_factory=dict)
    charges: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    webhooks: list = field(default_factory=list)
    undelivered: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.RLock()
        self._key_locks: dict[str, threading.Lock] = collections.defaultdict(threading.Lock)
        self._stored: dict[str, tuple[str, int, dict]] = {}
        self._failures: list[tuple[int, str]] = []
        self._hangs: list[tuple[float, str]] = []
        self._server = None
        self._background: list[threading.Thread] = []
        # Requests still being answered (a hung one outlives its client): reset() waits for them.
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)

    # ---- lifecycle and switches ----------------------------------------------------------------

    def start(self) -> str:
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        self.wait_for_webhooks()
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=30)
            for collection in (self.sessions, self.charges, self.refunds, self._stored, self._key_locks):
                collection.clear()
            for sequence in (self.requests, self.webhooks, self.undelivered, self.events, self._failures,
                             self._hangs):
                sequence.clear()
            self.webhook_url, self.deliver_webhooks, self.refund_webhooks = None, True, False

    def fail_next(self, count: int = 1, status: int = 500, path: str = "/v1/") -> None:
        """The next `count` API requests (to paths starting with `path`) answer `status`.

        Stored under their idempotency key, as Stripe does: the same key gets the same error again.
        """
        with self._lock:
            self._failures.extend([(status, path)] * count)

    def hang_next(self, count: int = 1, seconds: float = 3.0, path: str = "/v1/") -> None:
        """The next `count` API requests (to paths starting with `path`) wait `seconds`, then are handled."""
        with self._lock:
            self._hangs.extend([(seconds, path)] * count)

    @staticmethod
    def _take(switches: list, path: str):
        for index, (value, prefix) in enumerate(switches):
            if path.startswith(prefix):
                del switches[index]
                return value
        return None

    def api_requests(self, method: str, path_start: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_start)]

    # ---- WSGI ----------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/v1/"):
            with self._idle:
                self._in_flight += 1
            try:
                response = self._api(request)
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()
        elif request.path.startswith("/pay/"):
            response = self._hosted_page(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _api(self, request: Request) -> Response:
        params = decode_form(request.form.items(multi=True)) if request.method == "POST" else \
            decode_form(request.args.items(multi=True))
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        record = Recorded(request.method, request.path, key, params)
        with self._lock:
            self.requests.append(record)
            hang = self._take(self._hangs, request.path)
        if not (request.headers.get("Authorization") or "").startswith("Bearer sk_"):
            return self._answer(record, 401, {"error": {"type": "invalid_request_error",
                                                        "message": "Invalid API Key provided"}})
        if hang:
            time.sleep(hang)
        if key is None:
            status, body = self._handle(request.method, request.path, params)
            return self._answer(record, status, body)
        fingerprint = json.dumps([request.method, request.path, params], sort_keys=True)
        # One request per key at a time; later ones replay the first answer, as Stripe's idempotency layer does.
        with self._key_locks[key]:
            stored = self._stored.get(key)
            if stored is not None:
                if stored[0] != fingerprint:
                    return self._answer(record, 400, {"error": {
                        "type": "idempotency_error",
                        "message": "Keys for idempotent requests can only be used with the same parameters they "
                                   f"were first used with. Try using a key other than '{key}' if you meant to "
                                   "execute a different request."}})
                return self._answer(record, stored[1], stored[2], replayed=True)
            status, body = self._handle(request.method, request.path, params)
            self._stored[key] = (fingerprint, status, body)
            return self._answer(record, status, body)

    def _answer(self, record: Recorded, status: int, body: dict, replayed: bool = False) -> Response:
        record.status = status
        headers = {"Request-Id": _id("req")}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        if status >= 500:
            headers["Stripe-Should-Retry"] = "false"
        return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")

    def _handle(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            failure = self._take(self._failures, path)
        if failure:
            return failure, {"error": {"type": "api_error", "message": "An unknown error occurred (fake)."}}
        try:
            if method == "POST" and path == "/v1/checkout/sessions":
                return 200, self.create_session(params)
            match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
            if match and method == "GET" and not match.group(2):
                return 200, self._session(match.group(1))
            if match and method == "POST" and match.group(2):
                return 200, self.expire(match.group(1))
            if method == "POST" and path == "/v1/refunds":
                return 200, self.create_refund(params)
        except StripeFailure as failure_:
            return failure_.status, failure_.body
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}}

    # ---- resources -----------------------------------------------------------------------------

    def create_session(self, params: dict) -> dict:
        if params.get("mode") != "payment":
            raise StripeFailure(400, "invalid_request_error", "mode must be payment (fake)", "parameter_invalid")
        items = params.get("line_items") or []
        if not items:
            raise StripeFailure(400, "invalid_request_error", "line_items is required", "parameter_missing")
        currencies = {item["price_data"]["currency"] for item in items}
        if currencies != {params.get("currency", "vnd")}:
            raise StripeFailure(400, "invalid_request_error", "line items must share the session's currency")
        total = sum(int(item["price_data"]["unit_amount"]) * int(item["quantity"]) for item in items)
        expires_at = int(params.get("expires_at") or time.time() + 24 * 3600)
        if not time.time() + 30 * 60 - 60 <= expires_at <= time.time() + 24 * 3600 + 60:
            raise StripeFailure(400, "invalid_request_error",
                                "The `expires_at` timestamp must be between 30 minutes and 24 hours from now.",
                                "parameter_invalid_integer")
        session_id = _id("cs")
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment", "status": "open",
            "payment_status": "unpaid", "currency": params.get("currency", "vnd"), "amount_total": total,
            "amount_subtotal": total, "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {}, "customer_email": params.get("customer_email"),
            "locale": params.get("locale"), "expires_at": expires_at, "created": int(time.time()),
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
            "url": f"{self.url}/pay/{session_id}", "payment_intent": None, "livemode": False,
            "line_items": items,
            "_payment_intent_metadata": (params.get("payment_intent_data") or {}).get("metadata") or {},
        }
        with self._lock:
            self.sessions[session_id] = session
        return self._public(session)

    def _public(self, session: dict) -> dict:
        return {k: v for k, v in session.items() if not k.startswith("_") and k != "line_items"}

    def _session(self, session_id: str) -> dict:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                raise StripeFailure(404, "invalid_request_error", f"No such checkout.session: '{session_id}'",
                                    "resource_missing")
            return self._public(session)

    def expire(self, session_id: str) -> dict:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                raise StripeFailure(404, "invalid_request_error", f"No such checkout.session: '{session_id}'",
                                    "resource_missing")
            if session["status"] != "open":
                raise StripeFailure(400, "invalid_request_error",
                                    'Only Checkout Sessions with a status in ["open"] can be expired.')
            session["status"] = "expired"
            public = self._public(session)
        self.send_later(self.event("checkout.session.expired", public))
        return public

    def create_refund(self, params: dict) -> dict:
        with self._lock:
            charge = next((c for c in self.charges.values() if c["payment_intent"] == params.get("payment_intent")),
                          None)
            if charge is None:
                raise StripeFailure(404, "invalid_request_error",
                                    f"No such payment_intent: '{params.get('payment_intent')}'", "resource_missing")
            left = charge["amount"] - charge["amount_refunded"]
            amount = int(params.get("amount") or left)
            if left <= 0:
                raise StripeFailure(400, "invalid_request_error", f"Charge {charge['id']} has already been refunded.",
                                    "charge_already_refunded")
            if amount > left:
                raise StripeFailure(400, "invalid_request_error", "Refund amount is greater than unrefunded amount",
                                    "amount_too_large")
            refund = {"id": _id("re"), "object": "refund", "amount": amount, "currency": charge["currency"],
                      "payment_intent": charge["payment_intent"], "charge": charge["id"], "status": "succeeded",
                      "metadata": params.get("metadata") or {}, "created": int(time.time())}
            self.refunds[refund["id"]] = refund
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            charge_now = dict(charge)
        if self.refund_webhooks:
            self.send_later(self.event("charge.refunded", charge_now))
        return refund

    # ---- the customer on the hosted page -------------------------------------------------------

    def complete(self, session_id: str, *, deliver: bool = True, delayed: bool = False) -> dict:
        """Pay an open session (delayed: a bank debit still processing); send checkout.session.completed."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeFailure(400, "invalid_request_error", "This Checkout Session is no longer open.")
            session["status"] = "complete"
            session["payment_intent"] = _id("pi")
            if not delayed:
                self._charge(session)
            public = self._public(session)
        event = self.event("checkout.session.completed", public)
        if deliver:
            self.send(event)
        else:
            self.undelivered.append(event)
        return event

    def settle_delayed(self, session_id: str, succeeded: bool = True, *, deliver: bool = True) -> dict:
        """The delayed payment of a completed session succeeds or fails; send the async event."""
        with self._lock:
            session = self.sessions[session_id]
            if succeeded:
                self._charge(session)
            public = self._public(session)
        kind = "succeeded" if succeeded else "failed"
        event = self.event(f"checkout.session.async_payment_{kind}", public)
        if deliver:
            self.send(event)
        else:
            self.undelivered.append(event)
        return event

    def _charge(self, session: dict) -> None:
        session["payment_status"] = "paid"
        charge_id = _id("ch")
        # Stripe copies the PaymentIntent's metadata onto the charge it creates.
        self.charges[charge_id] = {"id": charge_id, "object": "charge", "amount": session["amount_total"],
                                   "amount_refunded": 0, "refunded": False, "currency": session["currency"],
                                   "payment_intent": session["payment_intent"], "status": "succeeded",
                                   "metadata": dict(session["_payment_intent_metadata"])}

    def charge_of(self, session_id: str) -> dict:
        intent = self.sessions[session_id]["payment_intent"]
        return dict(next(c for c in self.charges.values() if c["payment_intent"] == intent))

    def _hosted_page(self, request: Request) -> Response:
        match = re.fullmatch(r"/pay/([^/]+)(?:/(pay|cancel))?", request.path)
        session = self.sessions.get(match.group(1)) if match else None
        if session is None:
            return Response("No such payment page", status=404)
        action = match.group(2)
        if request.method == "GET" and action is None:
            return Response(self._page(session), content_type="text/html; charset=utf-8")
        if request.method != "POST":
            return Response("Method not allowed", status=405)
        if action == "cancel":
            return Response(status=303, headers={"Location": session["cancel_url"]})
        try:
            self.complete(session["id"], deliver=self.deliver_webhooks, delayed=request.form.get("delayed") == "1")
        except StripeFailure as failure:
            return Response(failure.body["error"]["message"], status=400)
        location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
        return Response(status=303, headers={"Location": location})

    def _page(self, session: dict) -> str:
        amount = f"{session['amount_total']:,}".replace(",", ".")
        return (f"<!doctype html><html lang='en'><title>Fake Stripe Checkout</title><main>"
                f"<h1>Pay {amount} ₫</h1><p>{html.escape(session['customer_email'] or '')}</p>"
                f"<form method='post' action='/pay/{session['id']}/pay'><button>Pay</button></form>"
                f"<form method='post' action='/pay/{session['id']}/cancel'><button>Cancel</button></form>"
                f"</main></html>")

    # ---- webhooks ------------------------------------------------------------------------------

    def event(self, kind: str, obj: dict) -> dict:
        event = {"id": _id("evt"), "object": "event", "api_version": API_VERSION, "created": int(time.time()),
                 "type": kind, "livemode": False, "pending_webhooks": 1, "data": {"object": obj}}
        with self._lock:
            self.events.append(event)
        return event

    def signed(self, event: dict, *, timestamp: int | None = None, secret: str | None = None) -> tuple[bytes, str]:
        """The exact bytes Stripe would POST and their Stripe-Signature header."""
        payload = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(payload, secret or self.webhook_secret,
                                                                   timestamp=timestamp)
        return payload.encode("utf-8"), header

    def send(self, event: dict) -> int | None:
        """Deliver one event to webhook_url (signed now); return the shop's HTTP status."""
        if not self.deliver_webhooks or not self.webhook_url:
            with self._lock:
                self.undelivered.append(event)
            return None
        body, header = self.signed(event)
        response = http.post(self.webhook_url, data=body, timeout=30,
                                 headers={"Content-Type": "application/json", "Stripe-Signature": header})
        with self._lock:
            self.webhooks.append((event["id"], event["type"], response.status_code))
        return response.status_code

    def send_later(self, event: dict) -> None:
        """Deliver after the current answer, as Stripe does (tests call wait_for_webhooks)."""
        thread = threading.Thread(target=self.send, args=(event,), daemon=True)
        with self._lock:
            self._background.append(thread)
        thread.start()

    def wait_for_webhooks(self, timeout: float = 30) -> None:
        with self._lock:
            threads, self._background = self._background, []
        for thread in threads:
            thread.join(timeout)
