"""Settings: defaults → instance/config.py → SHOP_* environment → test config."""
from __future__ import annotations

import os
import secrets

from flask import Flask

#: The development secret; production refuses it, and development replaces it with instance/secret_key.
DEV_SECRET_KEY = "dev-only-not-secret"
#: The only values of ENV (SHOP_ENV) that are not production, spelled exactly so.
NOT_PRODUCTION = ("development", "testing")


class Defaults:
    #: development | testing | production. Anything but exactly "development" or "testing" (unset,
    #: "Production", "prod", a typo) is production, which turns on the safety checks below.
    ENV = "production"
    SECRET_KEY = DEV_SECRET_KEY
    DEBUG = False
    #: None means instance/shop.sqlite3.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    #: Set up `flask db` (Alembic); wsgi.py turns it off, as web workers never migrate.
    MIGRATIONS = True
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ["vi", "en", "zh", "ko"]
    #: Cookie that remembers the language chosen with ?lang=.
    LANGUAGE_COOKIE = "lang"
    #: The server-side cart's token; a visitor holding one never gets a page from the page cache.
    CART_COOKIE = "cart"
    PRODUCTS_PER_PAGE = 24
    #: Rate-limit counters: redis://… in production (shared by every worker and host). memory:// counts
    #: per worker, so production refuses it unless RATELIMIT_SINGLE_PROCESS says only one process runs.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Set true only when exactly one worker on one host serves the shop (then memory:// counts right).
    RATELIMIT_SINGLE_PROCESS = False
    RATELIMIT_HEADERS_ENABLED = True
    #: redis://… : the page cache and the catalogue's version (which invalidates pages, filter choices and display
    #: rates on every host the moment an edit commits) live in Redis, shared by every worker and host. None: each
    #: worker's memory (one host; other workers see edits within the caches' seconds).
    CACHE_REDIS_URL: str | None = None
    #: Keys of this shop in a Redis shared with other programs (or another shop).
    CACHE_KEY_PREFIX = "ocop-shop:"
    #: Responses the shop compresses itself (Flask-Compress), brotli first, for clients that accept it. A proxy
    #: that compresses too (nginx `gzip on`) leaves an already encoded body alone. Static files are compressed
    #: once, ahead of time, by shop/static_files.py.
    COMPRESS_REGISTER = True
    COMPRESS_ALGORITHM = ["br", "gzip"]
    #: Brotli 4 and gzip 6: about as small as the highest levels on our pages for a tenth of the CPU.
    COMPRESS_BR_LEVEL = 4
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/plain", "text/csv", "text/xml", "application/xml",
                          "application/json", "application/javascript", "text/javascript", "image/svg+xml"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    #: Shown in the footer and on policy pages (Decree 52/2013 as amended).
    OPERATOR_NAME = "Trung tâm Xúc tiến thương mại OCOP Quảng Ninh (demo)"
    OPERATOR_ADDRESS = "Đường Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh"
    OPERATOR_PHONE = "0203 3 000 000"
    OPERATOR_EMAIL = "lienhe@ocop-quangninh.example"
    OPERATOR_TAX_CODE = "5700000000"
    #: The founding decision or business registration: its number, date and who issued it (Decree 52/2013
    #: Art. 29 as amended by Decree 85/2021), and the person answerable for the shop.
    OPERATOR_REGISTRATION_NUMBER = "0000/QĐ-UBND"
    OPERATOR_REGISTRATION_DATE = "01/01/2020"
    OPERATOR_REGISTRATION_ISSUER = "Ủy ban nhân dân tỉnh Quảng Ninh"
    OPERATOR_RESPONSIBLE_PERSON = "Nguyễn Văn A"
    #: True while the OPERATOR_* values above are the invented demo ones: every page then says so.
    #: Set SHOP_OPERATOR_DEMO=false once the real details are filled in.
    OPERATOR_DEMO = True
    #: The Ministry of Industry and Trade's "Đã thông báo Bộ Công Thương" badge: the link to the shop's
    #: record on online.gov.vn and the badge picture (a path served by the shop, such as /static/…, or an
    #: https:// address, which the CSP then allows). Unset, no badge is shown: never a badge without a record.
    MOIT_BADGE_LINK: str | None = None
    MOIT_BADGE_IMAGE: str | None = None
    #: Complaints are answered within this many working days (shown on the complaints page).
    COMPLAINT_ANSWER_DAYS = 7
    #: The shop's public origin (https://…) for links in e-mails and sitemap.xml; required in production.
    PUBLIC_URL: str | None = None
    #: How many proxies (nginx, a load balancer) stand in front: their X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0
    #: Anonymous catalog pages are served from each worker's memory for this long (0 turns it off).
    PAGE_CACHE_SECONDS = 30
    #: How many pages and product cards each worker keeps at most (pages are about 30 KiB, cards under 1 KiB) …
    PAGE_CACHE_ENTRIES = 4000
    #: … and how many bytes in all (without CACHE_REDIS_URL).
    PAGE_CACHE_BYTES = 6 * 1024 * 1024
    #: A rendered product card is reused this long when the store is shared (CACHE_REDIS_URL); each worker's own
    #: store keeps cards only PAGE_CACHE_SECONDS, as it does not see other workers' edits.
    CARD_CACHE_SECONDS = 3600
    #: Filter choices (wards, producers) are recomputed at most this often per worker.
    FILTER_CACHE_SECONDS = 60
    #: Max-age of the generated product artwork, in seconds.
    ARTWORK_MAX_AGE = 7 * 24 * 3600

    # --- Accounts ---------------------------------------------------------------------------
    #: Werkzeug's password hashing method; scrypt is slow on purpose (tests use a cheaper one).
    PASSWORD_HASH_METHOD = "scrypt"
    #: Seconds a password-reset link stays valid (the e-mail says it in minutes).
    PASSWORD_RESET_MAX_AGE = 3600
    #: Wrong passwords for one address from one network (IPv4 /24, IPv6 /64) before each further one locks it.
    #: Only failures count; the right password from another network is never held up (auth/throttle.py).
    LOGIN_FREE_FAILURES = 5
    #: Wrong passwords from one network, whatever the address, before each further one locks the network.
    LOGIN_NETWORK_FREE_FAILURES = 30
    #: The first lock, in seconds; each further failure doubles it, up to LOGIN_LOCKOUT_MAX_SECONDS.
    LOGIN_LOCKOUT_SECONDS = 30
    LOGIN_LOCKOUT_MAX_SECONDS = 15 * 60
    #: Failures are forgotten this long after the first one (and the address's at its right password).
    LOGIN_FAILURE_MEMORY_SECONDS = 6 * 3600
    #: Password-reset requests and new-password posts per client IP.
    RESET_RATE_LIMIT = "5 per 15 minutes"
    #: Registrations per client IP: slows probing which e-mail addresses have accounts.
    REGISTER_RATE_LIMIT = "10 per hour"
    #: "Remember me" keeps a user logged in this long, in seconds; the server ends the login then too.
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    #: A login without "remember me" ends on the server after this many seconds (the browser forgets it sooner).
    LOGIN_MAX_AGE = 24 * 3600
    #: The remember-me cookie is never sent by other sites' requests, like the session cookie.
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # --- Checkout ---------------------------------------------------------------------------
    #: Delivery fee per zone: [up to grams, fee in VND] brackets, then a fee per started extra kg.
    SHIPPING_RATES = {
        "quang_ninh": {"brackets": [[1000, 20000], [3000, 30000], [5000, 38000]], "per_extra_kg": 5000},
        "north": {"brackets": [[1000, 30000], [3000, 45000], [5000, 60000]], "per_extra_kg": 9000},
        "other": {"brackets": [[1000, 38000], [3000, 60000], [5000, 85000]], "per_extra_kg": 14000},
    }
    #: Orders whose subtotal reaches this amount are delivered free (0 turns it off); never abroad.
    FREE_DELIVERY_FROM_VND = 1_000_000
    #: Delivery abroad: zones of countries (ISO 3166 alpha-2), each with [up to grams, fee in VND] brackets,
    #: then a fee per started extra kg. Countries in no zone are not shipped to.
    #: The fees are estimates modelled on VNPost EMS international rates (2025), not a carrier's quote.
    SHIPPING_ABROAD_ZONES = {
        "asia_near": {
            "countries": ["CN", "HK", "MO", "TW", "KR", "JP", "SG", "MY", "TH", "LA", "KH", "PH", "ID", "BN", "MM"],
            "brackets": [[500, 350_000], [1000, 450_000], [2000, 650_000], [5000, 1_150_000]],
            "per_extra_kg": 200_000,
        },
        "asia_pacific_far": {
            "countries": ["AU", "NZ", "IN", "LK", "BD", "NP", "AE", "QA"],
            "brackets": [[500, 450_000], [1000, 600_000], [2000, 900_000], [5000, 1_700_000]],
            "per_extra_kg": 300_000,
        },
        "europe": {
            "countries": ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                          "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
                          "GB", "CH", "NO", "IS"],
            "brackets": [[500, 550_000], [1000, 750_000], [2000, 1_150_000], [5000, 2_200_000]],
            "per_extra_kg": 400_000,
        },
        "americas": {
            "countries": ["US", "CA", "MX", "BR"],
            "brackets": [[500, 650_000], [1000, 900_000], [2000, 1_350_000], [5000, 2_600_000]],
            "per_extra_kg": 480_000,
        },
    }
    #: Honest estimate shown for parcels travelling from a producer to a sales point.
    PICKUP_PARCEL_DAYS = "2–4"
    #: The rule behind the first pickup day shown at checkout, on the order page and in the ready e-mail: a
    #: producer's parcel reaches its sales point this many working days after the order (or its payment).
    PICKUP_PARCEL_WORKING_DAYS = 2
    #: A VietQR transfer not received within this many working days (Monday to Friday, Vietnam's public holidays
    #: and Tết excepted) cancels the order (flask orders expire): placed Friday 10:00, due Tuesday 10:00.
    TRANSFER_WORKING_DAYS = 2
    #: How often an order page waiting for a transfer asks whether it has arrived (seconds).
    ORDER_PAGE_REFRESH_SECONDS = 10
    #: The shop's commission on goods sold, in percent of the goods (the rest is payable to the producer).
    COMMISSION_PERCENT = 0
    #: The operator's bank account shown in VietQR codes (BIN of the bank, account number, name).
    VIETQR_BANK_BIN = "970436"
    VIETQR_BANK_NAME = "Vietcombank"
    VIETQR_ACCOUNT_NUMBER = "0011000123456"
    VIETQR_ACCOUNT_NAME = "TRUNG TAM XTTM OCOP QUANG NINH"
    #: Card payments by Stripe appear only when this is set (sk_live_… / sk_test_…); set it through the environment.
    STRIPE_SECRET_KEY: str | None = None
    #: The webhook endpoint's signing secret (whsec_…); production refuses a secret key without it.
    STRIPE_WEBHOOK_SECRET: str | None = None
    #: Where Stripe's payment page lives: the CSP lets the "Pay by card" form be redirected only there.
    STRIPE_CHECKOUT_ORIGINS = ["https://checkout.stripe.com"]
    #: The shared secret the bank-notification service (Casso / SePay style) sends as "Authorization: Apikey …"
    #: to /webhooks/bank; unset, every notification is refused. Set it through SHOP_BANK_WEBHOOK_SECRET.
    BANK_WEBHOOK_SECRET: str | None = None
    #: None talks to Stripe itself; tests point it at their fake Stripe on 127.0.0.1.
    STRIPE_API_BASE: str | None = None
    #: Seconds one request to Stripe may take before the shop gives up and tells the customer.
    STRIPE_TIMEOUT = 10
    #: Retries of a request that got no answer (always with the same idempotency key).
    STRIPE_MAX_NETWORK_RETRIES = 1
    #: Minutes a card order waits on Stripe's payment page; then the session expires and the stock goes back.
    #: Stripe accepts 30 minutes to 24 hours; a little over 30 leaves time for the request itself.
    STRIPE_SESSION_MINUTES = 60

    # --- Producer workspace -----------------------------------------------------------------
    #: Hours a producer has to accept or reject a new order part; later ones stand out as overdue.
    PART_RESPONSE_HOURS = 24

    # --- Price estimates for foreign visitors (always charged in VND) ------------------------
    #: Currencies a visitor may see estimates in, once the office has set their rates at /admin/rates.
    DISPLAY_CURRENCIES = ["USD", "EUR", "CNY", "KRW"]
    #: The estimate shown when the visitor has not chosen, by language (none for Vietnamese).
    DEFAULT_DISPLAY_CURRENCY = {"en": "USD", "zh": "CNY", "ko": "KRW"}
    #: Each worker re-reads the rates at most this often.
    DISPLAY_RATE_CACHE_SECONDS = 60

    # --- Sales-point desk --------------------------------------------------------------------
    #: Days a ready order waits at the sales point before it becomes unclaimed.
    PICKUP_HOLD_DAYS = 7
    #: The customer is reminded this many days before the hold ends.
    PICKUP_REMINDER_DAYS = 2
    #: A producer's parcel not at the point this many days after the order counts as late.
    PARCEL_LATE_DAYS = 4
    #: Wrong pickup codes typed at the desk, per staff user and per sales point.
    PICKUP_CODE_USER_RATE_LIMIT = "10 per 10 minutes"
    PICKUP_CODE_POINT_RATE_LIMIT = "30 per 10 minutes"
    #: A guest's order lookup (number + phone): misses counted per network, as wrong passwords are.
    ORDER_LOOKUP_RATE_LIMIT = "10 per 10 minutes"

    # --- Mail and the outbox ----------------------------------------------------------------
    #: Sender of every e-mail; the domain also names each Message-ID.
    MAIL_FROM = "OCOP Quảng Ninh <no-reply@ocop-quangninh.example>"
    #: None writes each e-mail as a .eml file into instance/outbox/ instead of sending it.
    MAIL_SMTP_HOST: str | None = None
    #: 587 for starttls, 465 for ssl, 25 for none.
    MAIL_SMTP_PORT = 587
    #: None sends without logging in.
    MAIL_SMTP_USERNAME: str | None = None
    #: Set it through SHOP_MAIL_SMTP_PASSWORD, never in a committed file.
    MAIL_SMTP_PASSWORD: str | None = None
    #: none | starttls | ssl.
    MAIL_SMTP_SECURITY = "starttls"
    #: Seconds one attempt waits for the mail server; keep it far below OUTBOX_CLAIM_SECONDS.
    MAIL_TIMEOUT = 10
    #: Attempts before a message is marked dead (with the backoff, about two days of retries).
    OUTBOX_MAX_ATTEMPTS = 8
    #: Messages one round of `flask outbox work` handles at most.
    OUTBOX_BATCH = 50
    #: How long a sender owns a claimed message; after that another sender may take it over.
    OUTBOX_CLAIM_SECONDS = 300

    # --- Texts to the customer's phone: SMS and Zalo ZNS (notifications/channels.py, texting.py) --
    #: None sends no SMS; "fake" (tests: kept in memory), "log" (the log and instance/outbox/*.sms.txt),
    #: "esms" (eSMS.vn) or "speedsms" (SpeedSMS). The provider is named on the privacy page.
    SMS_PROVIDER: str | None = None
    #: The provider's keys: eSMS.vn ApiKey and SecretKey; SpeedSMS: its access token as SMS_API_KEY.
    #: Set them through SHOP_SMS_API_KEY and SHOP_SMS_SECRET_KEY, never in a committed file.
    SMS_API_KEY: str | None = None
    SMS_SECRET_KEY: str | None = None
    #: The registered brandname the SMS comes from (eSMS Brandname, SpeedSMS sender).
    SMS_SENDER = "OCOP_QN"
    #: None is the provider's own address; tests point it at a fake server on 127.0.0.1.
    SMS_API_BASE: str | None = None
    #: False folds Vietnamese SMS to GSM-7 (no marks: 160 characters a message, accepted by every brandname);
    #: Chinese and Korean SMS go as Unicode either way.
    SMS_UNICODE = False
    #: None sends nothing by Zalo; "fake", "log" or "zns" (Zalo Notification Service).
    ZALO_PROVIDER: str | None = None
    #: The Zalo Official Account's access token (SHOP_ZALO_ACCESS_TOKEN).
    ZALO_ACCESS_TOKEN: str | None = None
    #: Approved ZNS template id per kind, e.g. {"order_ready": "318947"}; a kind without one goes by SMS.
    #: Environment: a JSON object. Parameters: see each kind's zalo_params() in orders/messages.py.
    ZALO_TEMPLATES: dict = {}
    ZALO_API_BASE: str | None = None
    #: Seconds one request to an SMS or Zalo provider may take; far below OUTBOX_CLAIM_SECONDS.
    TEXT_TIMEOUT = 10

    # --- Personal data (Decree 13/2023/ND-CP) -------------------------------------------------
    #: The privacy notice's version: every consent records the text it was given under. Raise it (a date)
    #: whenever templates/site/policy_privacy.html changes what is processed, why or by whom.
    PRIVACY_NOTICE_VERSION = "2026-12-04"
    #: Sent and dead outbox messages (and instance/outbox/*.eml files) are deleted after this many days
    #: by `flask privacy purge`: they hold order links with tokens and reset links.
    OUTBOX_RETENTION_DAYS = 90
    #: Carts nobody touched for this many days are deleted by `flask privacy purge`.
    CART_RETENTION_DAYS = 60
    #: Who hosts the shop's servers and database, named on the privacy page.
    HOSTING_PROVIDER = "Máy chủ của Trung tâm Xúc tiến thương mại OCOP Quảng Ninh (demo)"

    # --- Alcohol (docs/legal.md) ----------------------------------------------------------------
    #: Payment methods an order with alcohol may use. Non-cash by default, so the payer is identified
    #: (VietQR: the bank account; card: the card holder). Environment: a JSON list, e.g.
    #: SHOP_ALCOHOL_PAYMENT_METHODS='["vietqr_transfer", "stripe_card", "cash_at_pickup"]'.
    ALCOHOL_PAYMENT_METHODS = ("vietqr_transfer", "stripe_card")

    # --- A producer's edits to a product in the shop (docs/architecture.md) -------------------------
    #: A new price within this many percent of the current one goes live at once (and is shown to the
    #: office); a larger change waits until the OCOP office accepts it. 0: every price change waits.
    PRICE_CHANGE_LIVE_PERCENT = 20

    # --- Producer workspace: pictures and stock ---------------------------------------------
    #: Widths in pixels each uploaded picture is re-encoded to (WebP); none larger than the original.
    MEDIA_IMAGE_WIDTHS = (400, 800, 1200)
    #: Uploaded pictures larger than this many bytes are refused.
    MEDIA_MAX_UPLOAD_BYTES = 8 * 1024 * 1024
    #: Pictures of more pixels than this are refused before decoding (decompression bombs).
    MEDIA_MAX_PIXELS = 40_000_000
    #: Pixels one upload may be decoded to (about 4 bytes each in memory). A JPEG is decoded at a reduced
    #: scale first, so this refuses only PNG and WebP pictures above it, from their header alone.
    MEDIA_MAX_DECODED_PIXELS = 16_000_000
    #: A scanned OCOP decision (PDF) larger than this is refused, with a message (below MAX_CONTENT_LENGTH).
    CERTIFICATE_SCAN_MAX_BYTES = 8 * 1024 * 1024
    #: Flask refuses any request body larger than this (413), before a view reads it.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    #: Rows a stock CSV import may hold at most.
    STOCK_CSV_MAX_ROWS = 5000


class UnsafeConfig(SystemExit):
    """The production configuration is unsafe: one message listing every problem, and no traceback.

    A SystemExit, so `flask …` prints the message and stops; wsgi.py turns it into gunicorn's
    "worker failed to boot" so the master stops too instead of starting workers in a loop.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Refusing to start in production (set SHOP_ENV=development on a developer's machine):\n"
                         + "\n".join(f"  - {problem}" for problem in problems))


def load_config(app: Flask, test_config: dict | None = None) -> None:
    """Fill app.config in order and refuse an unsafe production setup."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SHOP")
    if test_config:
        app.config.update(test_config)
    # Fail closed: only an exact "development" or "testing" is not production.
    if app.config.get("ENV") not in NOT_PRODUCTION:
        app.config["ENV"] = "production"
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "shop.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if app.config["ENV"] == "development" and app.config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        # The secret written in the source would let anyone forge a session: use this machine's own.
        app.config["SECRET_KEY"] = instance_secret(app.instance_path)
    check_production_safety(app.config)


def instance_secret(instance_path: str) -> str:
    """A random secret kept in instance/secret_key (mode 0600), created by the first process that needs it."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as file:
            secret = file.read().strip()
        if len(secret) >= 32:
            return secret
        raise UnsafeConfig([f"{path} holds no usable secret: delete it and start again"]) from None
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secret + "\n")
    return secret


def production_problems(config) -> list[str]:
    """Everything that makes this production configuration unsafe, in words an operator can act on."""
    problems = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
        problems.append("SHOP_SECRET_KEY must be set to a random value of at least 32 characters")
    if config.get("DEBUG"):
        problems.append("SHOP_DEBUG must be off")
    public_url = config.get("PUBLIC_URL") or ""
    if not public_url.startswith("https://") or len(public_url) <= len("https://"):
        # Links in e-mails (password reset, order pages) would otherwise trust the request's Host header,
        # or carry tokens over plain http.
        problems.append("SHOP_PUBLIC_URL must be set to the shop's https:// address")
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://") and (
            config.get("RATELIMIT_SINGLE_PROCESS") is not True):
        # Each worker would count alone: with four workers, four times the login attempts get through.
        problems.append("SHOP_RATELIMIT_STORAGE_URI must be redis://… when more than one worker or host may run "
                        "(or set SHOP_RATELIMIT_SINGLE_PROCESS=true if exactly one process serves the shop)")
    if not config.get("MAIL_SMTP_HOST"):
        problems.append("SHOP_MAIL_SMTP_HOST must be set: without it e-mails are only written to files")
    if str(config.get("MAIL_FROM", "")).rstrip(">").endswith(".example"):
        problems.append("SHOP_MAIL_FROM must be the shop's own sender address (not the demo one)")
    if bool(config.get("STRIPE_SECRET_KEY")) != bool(config.get("STRIPE_WEBHOOK_SECRET")):
        # A secret key alone would take card payments whose webhooks the shop cannot verify.
        problems.append("SHOP_STRIPE_SECRET_KEY and SHOP_STRIPE_WEBHOOK_SECRET must be set together for card payments")
    if not 31 <= config.get("STRIPE_SESSION_MINUTES", 60) <= 24 * 60:
        problems.append("SHOP_STRIPE_SESSION_MINUTES must be between 31 and 1440 (Stripe's limits)")
    if config.get("BANK_WEBHOOK_SECRET") and len(str(config["BANK_WEBHOOK_SECRET"])) < 24:
        # Whoever guesses it can tell the shop that money came in: it pays orders.
        problems.append("SHOP_BANK_WEBHOOK_SECRET must be at least 24 random characters when set")
    problems += text_problems(config)
    return problems


def text_problems(config) -> list[str]:
    """The SMS and Zalo settings that cannot send a real text."""
    problems = []
    sms, zalo = config.get("SMS_PROVIDER"), config.get("ZALO_PROVIDER")
    if sms and sms not in ("log", "esms", "speedsms"):
        problems.append("SHOP_SMS_PROVIDER must be esms, speedsms or log (or unset for no SMS)")
    if sms in ("esms", "speedsms") and not config.get("SMS_API_KEY"):
        problems.append("SHOP_SMS_API_KEY must be set for the SMS provider")
    if sms == "esms" and not config.get("SMS_SECRET_KEY"):
        problems.append("SHOP_SMS_SECRET_KEY must be set for eSMS.vn")
    if zalo and zalo not in ("log", "zns"):
        problems.append("SHOP_ZALO_PROVIDER must be zns or log (or unset for no Zalo)")
    if zalo == "zns" and not config.get("ZALO_ACCESS_TOKEN"):
        problems.append("SHOP_ZALO_ACCESS_TOKEN must be set for Zalo ZNS")
    return problems


def check_production_safety(config) -> None:
    """Raise UnsafeConfig, listing every problem at once, when production is not set up safely."""
    if config.get("ENV") != "production":
        return
    problems = production_problems(config)
    if problems:
        raise UnsafeConfig(problems)
