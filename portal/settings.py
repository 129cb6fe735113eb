"""One typed settings object, read from the environment.

Every setting is documented in `.env.example`; `tests/ops/test_env_example.py` keeps the two
in step. A malformed value stops the start with a message that names the setting.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "test", "production")
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "please-change", "dev", "development"}


def _is_socket_address(value: str) -> bool:
    if value.startswith("/"):
        return True
    host, colon, port = value.rpartition(":")
    return bool(colon and host and port.isdigit() and 0 < int(port) < 65536)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    database_url: str = "sqlite:///var/portal.sqlite3"
    # 0 = a new connection per query (what the tests use, see tests/README.md).
    database_pool_size: int = 10
    secret_key: str = field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    cookie_secure: bool = False
    var_dir: Path = ROOT / "var"
    redis_url: str = ""
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    login_throttle_account: int = 5
    login_throttle_address: int = 20
    login_throttle_minutes: int = 15
    # Requests per minute one API token may send (portal/api/ratelimit.py): counted in Redis
    # with REDIS_URL (every process shares the count), in each process otherwise.
    api_rate_per_minute: int = 120
    # argon2id parameters for new password hashes (the library's recommendation by default;
    # production refuses less than OWASP's minimum, 19 MiB and two passes).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_region: str = "eu-central-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = field(default="", repr=False)
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False
    mail_from: str = "Praktikumsportal <noreply@portal.invalid>"
    # Proxies whose X-Forwarded-For is believed (uvicorn); the login throttle counts per address.
    forwarded_allow_ips: str = "127.0.0.1"
    log_format: str = "console"
    log_level: str = "INFO"
    # Candidate identities are encrypted field by field with this key (AES-256-GCM); the old
    # keys only decrypt, until `portal identity-key rotate` has re-encrypted everything.
    identity_key: str = field(default="", repr=False)
    identity_old_keys: str = field(default="", repr=False)
    # Keys the hash behind the duplicate hint (normalised name + date of birth).
    duplicate_hash_key: str = field(default="", repr=False)
    upload_max_mb: int = 10
    # A request still running after this many seconds is stopped with a 503 page (uploads are
    # left out: UPLOAD_MAX_MB bounds them).
    request_timeout_seconds: int = 30
    # clamd's socket (a path, or host:port): every upload is scanned there before it is stored,
    # and refused while the scanner does not answer. Empty: no scanner.
    clamd_socket: str = ""
    # Identities, documents and free text are erased this many months after a case is closed
    # or consent withdrawn (`portal erase-expired`).
    retention_months: int = 6
    # An employer is reminded of a nomination it has not answered after this many days; the
    # response rate shown to case managers counts answers within the same time.
    reminder_days: int = 5
    # The employer and the case manager are told this many days before an internship starts.
    start_notice_days: int = 3
    # The worker looks for work this often, and gives up on an e-mail after this many attempts.
    worker_interval_seconds: int = 10
    outbox_max_attempts: int = 8
    # Disclosure control of the statistics (portal/stats/disclosure.py): counts below the
    # threshold are suppressed (3 at least, as in the Bundesagentur's statistics; only higher is
    # allowed), so is a cell one employer dominates beyond the share, and rates and medians need
    # a denominator of at least the minimum.
    stats_threshold: int = 3
    stats_dominance_percent: int = 85
    stats_min_denominator: int = 10
    # The statistics' counts of a period that has not ended are read again from the summary at
    # most this often (a period that has ended is kept until `portal stats rebuild`); the worker
    # computes the usual views ahead (portal/stats/cache.py). 0: always from the summary.
    stats_cache_seconds: int = 600
    # A live-update stream (server-sent events) ends after this many seconds and the browser
    # opens a new one, so that no connection outlives a deploy or a proxy's timeout; 0 ends it
    # right after the first message (the tests).
    live_stream_seconds: int = 300
    # Webhook endpoints must be https:// addresses on the public internet; this admits
    # http://127.0.0.1 too (the tests' receiver, a developer's machine). Refused in production.
    webhook_allow_local_http: bool = False

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_s3(self) -> bool:
        return bool(self.s3_bucket)

    @property
    def documents_dir(self) -> Path:
        return self.var_dir / "documents"

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    def replace(self, **changes: object) -> Settings:
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: `os.environ`); raise SettingsError on nonsense."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.name.upper()
            raw = _read(env, name)
            if raw is None:
                continue
            values[f.name] = _convert(name, raw, f.type)
        environment = str(values.get("environment", "development"))
        if environment not in ENVIRONMENTS:
            raise SettingsError(f"PORTAL_ENVIRONMENT: must be one of {', '.join(ENVIRONMENTS)}")
        values.setdefault("cookie_secure", environment == "production")
        values.setdefault("log_format", "json" if environment == "production" else "console")
        settings = cls(**values)  # type: ignore[arg-type]
        settings._validate()
        generated: dict[str, object] = {}
        for name, file_name, make in (
            ("secret_key", "secret_key", lambda: secrets.token_urlsafe(48)),
            ("identity_key", "identity_key", new_identity_key),
            ("duplicate_hash_key", "duplicate_hash_key", lambda: secrets.token_urlsafe(32)),
        ):
            if getattr(settings, name):
                continue
            if settings.is_production:
                env_name = name.upper()
                raise SettingsError(f"{env_name}: required in production (or {env_name}_FILE)")
            generated[name] = _development_secret(settings.var_dir, file_name, make)
        if generated:
            settings = settings.replace(**generated)
        settings._validate_keys()
        return settings

    def _validate(self) -> None:
        scheme = urlsplit(self.database_url).scheme
        if scheme not in ("sqlite", "postgresql", "postgres"):
            raise SettingsError("DATABASE_URL: must start with sqlite:/// or postgresql://")
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise SettingsError("BASE_URL: must be an http:// or https:// address")
        if self.redis_url and urlsplit(self.redis_url).scheme not in ("redis", "rediss", "unix"):
            raise SettingsError("REDIS_URL: must start with redis:// or rediss://")
        if self.clamd_socket and not _is_socket_address(self.clamd_socket):
            raise SettingsError("CLAMD_SOCKET: must be a socket path (/…) or host:port")
        if self.is_production and self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            raise SettingsError("SECRET_KEY: a placeholder is refused in production")
        if self.is_production and self.secret_key and len(self.secret_key) < 32:
            raise SettingsError("SECRET_KEY: must be at least 32 characters in production")
        if self.log_format not in ("json", "console"):
            raise SettingsError("LOG_FORMAT: must be json or console")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError("LOG_LEVEL: must be DEBUG, INFO, WARNING or ERROR")
        for name in (
            "session_idle_minutes",
            "session_absolute_hours",
            "login_throttle_account",
            "login_throttle_address",
            "login_throttle_minutes",
            "api_rate_per_minute",
            "argon2_time_cost",
            "argon2_memory_kib",
            "argon2_parallelism",
            "smtp_port",
            "reminder_days",
            "start_notice_days",
            "worker_interval_seconds",
            "outbox_max_attempts",
            "request_timeout_seconds",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name.upper()}: must be a positive number")
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise SettingsError("ARGON2_MEMORY_KIB: must be at least 8 × ARGON2_PARALLELISM")
        if self.is_production and (self.argon2_memory_kib < 19456 or self.argon2_time_cost < 2):
            raise SettingsError(
                "ARGON2_MEMORY_KIB / ARGON2_TIME_COST: production needs at least 19456 KiB "
                "and 2 passes"
            )
        if self.upload_max_mb < 1:
            raise SettingsError("UPLOAD_MAX_MB: must be a positive number")
        if self.retention_months < 1:
            raise SettingsError("RETENTION_MONTHS: must be a positive number")
        if self.is_production and 0 < len(self.duplicate_hash_key) < 32:
            raise SettingsError("DUPLICATE_HASH_KEY: must be at least 32 characters in production")
        if self.stats_threshold < 3:
            raise SettingsError("STATS_THRESHOLD: must be 3 or more (it may only be raised)")
        if not 50 <= self.stats_dominance_percent <= 100:
            raise SettingsError("STATS_DOMINANCE_PERCENT: must be between 50 and 100")
        if not 0 <= self.stats_cache_seconds <= 86_400:
            raise SettingsError("STATS_CACHE_SECONDS: must be between 0 and 86400")
        if self.stats_min_denominator < self.stats_threshold:
            raise SettingsError("STATS_MIN_DENOMINATOR: must be at least STATS_THRESHOLD")
        if self.live_stream_seconds < 0:
            raise SettingsError("LIVE_STREAM_SECONDS: must be 0 or more")
        if self.is_production and self.webhook_allow_local_http:
            raise SettingsError("WEBHOOK_ALLOW_LOCAL_HTTP: not allowed in production")
        if self.database_pool_size < 0:
            raise SettingsError("DATABASE_POOL_SIZE: must be 0 or more")
        if self.s3_bucket and not (self.s3_access_key_id and self.s3_secret_access_key):
            raise SettingsError(
                "S3_ACCESS_KEY_ID: required (with S3_SECRET_ACCESS_KEY) with S3_BUCKET"
            )

    def _validate_keys(self) -> None:
        for name in ("identity_key", "identity_old_keys"):
            for key in filter(None, (k.strip() for k in getattr(self, name).split(","))):
                if not is_identity_key(key):
                    raise SettingsError(
                        f"{name.upper()}: each key must be 32 random bytes in URL-safe base64 "
                        "(`portal identity-key new` prints one)"
                    )
        if "," in self.identity_key:
            raise SettingsError("IDENTITY_KEY: one key only; older keys go to IDENTITY_OLD_KEYS")

    @property
    def identity_keys(self) -> list[str]:
        """The current key first, then the keys that only decrypt."""
        old = [k.strip() for k in self.identity_old_keys.split(",") if k.strip()]
        return [self.identity_key, *[k for k in old if k != self.identity_key]]


def new_identity_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def is_identity_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode())) == 32
    except (ValueError, binascii.Error):
        return False


# The environment name of a field is its upper-case name, except where a prefix makes it clearer.
_ENV_ALIASES = {"ENVIRONMENT": "PORTAL_ENVIRONMENT", "VAR_DIR": "PORTAL_VAR_DIR"}


def env_names() -> list[str]:
    """Every environment variable the settings read (without the *_FILE variants)."""
    return [_ENV_ALIASES.get(f.name.upper(), f.name.upper()) for f in fields(Settings)]


SECRET_FIELDS = (
    "SECRET_KEY",
    "S3_SECRET_ACCESS_KEY",
    "SMTP_PASSWORD",
    "IDENTITY_KEY",
    "IDENTITY_OLD_KEYS",
    "DUPLICATE_HASH_KEY",
)


def _read(env: Mapping[str, str], name: str) -> str | None:
    name = _ENV_ALIASES.get(name, name)
    if name in SECRET_FIELDS and env.get(f"{name}_FILE"):
        path = Path(env[f"{name}_FILE"])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingsError(f"{name}_FILE: cannot read {path}: {exc.strerror}") from exc
    value = env.get(name)
    return None if value is None or value == "" else value


def _convert(name: str, raw: str, annotation: object) -> object:
    kind = str(annotation)
    if kind == "bool":
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{_ENV_ALIASES.get(name, name)}: expected true or false, got {raw!r}")
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(
                f"{_ENV_ALIASES.get(name, name)}: expected a whole number, got {raw!r}"
            ) from None
    if kind == "Path":
        return Path(raw).resolve()
    return raw


def _development_secret(var_dir: Path, name: str, make: Callable[[], str]) -> str:
    """A per-checkout secret in var/, generated once, so development needs no configuration."""
    path = var_dir / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = make()
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
