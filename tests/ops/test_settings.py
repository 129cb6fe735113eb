"""Settings.from_env: malformed values are refused with a message naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.settings import Settings, SettingsError

GOOD_KEY = "k" * 40
IDENTITY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
# The keys production demands besides SECRET_KEY.
PRODUCTION_KEYS = {"IDENTITY_KEY": IDENTITY_KEY, "DUPLICATE_HASH_KEY": "d" * 40}


def from_env(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"PORTAL_VAR_DIR": str(tmp_path / "var"), **env})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://user@db/portal"),
        ("BASE_URL", "ftp://portal.example.org"),
        ("REDIS_URL", "memcached://cache:11211"),
        ("SMTP_PORT", "abc"),
        ("SMTP_PORT", "0"),
        ("SMTP_PORT", "-25"),
        ("COOKIE_SECURE", "maybe"),
        ("SMTP_STARTTLS", "sometimes"),
        ("LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "LOUD"),
        ("SESSION_IDLE_MINUTES", "-5"),
        ("SESSION_ABSOLUTE_HOURS", "0"),
        ("LOGIN_THROTTLE_ACCOUNT", "-1"),
        ("LOGIN_THROTTLE_ADDRESS", "twenty"),
        ("LOGIN_THROTTLE_MINUTES", "1.5"),
        ("DATABASE_POOL_SIZE", "-1"),
        ("STATS_THRESHOLD", "2"),
        ("STATS_THRESHOLD", "1"),
        ("STATS_DOMINANCE_PERCENT", "101"),
        ("STATS_MIN_DENOMINATOR", "2"),
        ("ARGON2_TIME_COST", "0"),
        ("ARGON2_MEMORY_KIB", "4"),
        ("PORTAL_ENVIRONMENT", "staging"),
        ("CLAMD_SOCKET", "clamd"),
        ("CLAMD_SOCKET", "clamd:port"),
        ("CLAMD_SOCKET", "clamd:0"),
        ("CLAMD_SOCKET", ":3310"),
    ],
)
def test_it_refuses_a_malformed_value_naming_the_setting(tmp_path, name, value):
    with pytest.raises(SettingsError) as error:
        from_env(tmp_path, **{name: value})
    assert str(error.value).startswith(f"{name}:")


def test_it_reads_well_formed_values(tmp_path):
    settings = from_env(
        tmp_path,
        DATABASE_URL="postgresql://portal@db/portal",
        SMTP_PORT="587",
        SMTP_STARTTLS="yes",
        COOKIE_SECURE="true",
        LOG_FORMAT="json",
        DATABASE_POOL_SIZE="0",
    )
    assert settings.database_url == "postgresql://portal@db/portal"
    assert settings.smtp_port == 587
    assert settings.smtp_starttls is True
    assert settings.cookie_secure is True
    assert settings.log_format == "json"
    assert settings.database_pool_size == 0
    assert settings.var_dir == tmp_path / "var"


def test_it_refuses_s3_without_credentials(tmp_path):
    with pytest.raises(SettingsError, match=r"^S3_ACCESS_KEY_ID:"):
        from_env(tmp_path, S3_BUCKET="documents")


def test_it_refuses_production_without_secret_key(tmp_path):
    with pytest.raises(SettingsError, match=r"^SECRET_KEY:"):
        from_env(tmp_path, PORTAL_ENVIRONMENT="production")
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("key", ["change-me", "CHANGE-ME", "changeme", "secret", "  dev  "])
def test_it_refuses_a_placeholder_secret_key_in_production(tmp_path, key):
    with pytest.raises(SettingsError, match=r"^SECRET_KEY:"):
        from_env(tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY=key)


def test_it_refuses_a_short_secret_key_in_production(tmp_path):
    with pytest.raises(SettingsError, match=r"^SECRET_KEY: must be at least 32"):
        from_env(tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY="k" * 31)


@pytest.mark.parametrize(
    "weak", [{"ARGON2_MEMORY_KIB": "8192"}, {"ARGON2_TIME_COST": "1"}], ids=["memory", "passes"]
)
def test_it_refuses_weak_password_hashing_in_production(tmp_path, weak):
    with pytest.raises(SettingsError, match=r"^ARGON2_MEMORY_KIB / ARGON2_TIME_COST"):
        from_env(
            tmp_path,
            PORTAL_ENVIRONMENT="production",
            SECRET_KEY=GOOD_KEY,
            **PRODUCTION_KEYS,
            **weak,
        )


def test_it_uses_production_defaults(tmp_path):
    settings = from_env(
        tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY=GOOD_KEY, **PRODUCTION_KEYS
    )
    assert settings.is_production
    assert settings.cookie_secure is True
    assert settings.log_format == "json"
    assert settings.secret_key == GOOD_KEY


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(GOOD_KEY + "\n", encoding="utf-8")
    settings = from_env(
        tmp_path,
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY="ignored-because-the-file-wins-0123456789",
        SECRET_KEY_FILE=str(secret),
        **PRODUCTION_KEYS,
    )
    assert settings.secret_key == GOOD_KEY


def test_it_reads_the_other_secrets_from_files(tmp_path):
    (tmp_path / "s3").write_text("s3-secret\n", encoding="utf-8")
    (tmp_path / "smtp").write_text("smtp-secret", encoding="utf-8")
    settings = from_env(
        tmp_path,
        S3_BUCKET="documents",
        S3_ACCESS_KEY_ID="portal",
        S3_SECRET_ACCESS_KEY_FILE=str(tmp_path / "s3"),
        SMTP_PASSWORD_FILE=str(tmp_path / "smtp"),
    )
    assert settings.s3_secret_access_key == "s3-secret"
    assert settings.smtp_password == "smtp-secret"


def test_it_names_an_unreadable_secret_file(tmp_path):
    with pytest.raises(SettingsError, match=r"^SECRET_KEY_FILE: cannot read"):
        from_env(tmp_path, SECRET_KEY_FILE=str(tmp_path / "missing"))


def test_it_refuses_a_placeholder_read_from_a_file_in_production(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("change-me\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^SECRET_KEY:"):
        from_env(tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY_FILE=str(secret))


def test_it_generates_a_development_key_once_and_reuses_it(tmp_path):
    first = from_env(tmp_path)
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text(encoding="utf-8") == first.secret_key
    assert len(first.secret_key) >= 32
    assert key_file.stat().st_mode & 0o077 == 0
    second = from_env(tmp_path)
    assert second.secret_key == first.secret_key


def test_it_keeps_secrets_out_of_the_repr(tmp_path):
    settings = from_env(tmp_path, SECRET_KEY=GOOD_KEY, SMTP_PASSWORD="smtp-secret-value")
    assert GOOD_KEY not in repr(settings)
    assert "smtp-secret-value" not in repr(settings)


@pytest.mark.parametrize("name", ["IDENTITY_KEY", "DUPLICATE_HASH_KEY"])
def test_it_refuses_production_without_the_candidate_keys(tmp_path, name):
    keys = {key: value for key, value in PRODUCTION_KEYS.items() if key != name}
    with pytest.raises(SettingsError, match=rf"^{name}: required in production"):
        from_env(tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY=GOOD_KEY, **keys)
    assert not (tmp_path / "var" / name.lower()).exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IDENTITY_KEY", "not-a-key"),
        ("IDENTITY_KEY", "AAECAwQFBgcICQoLDA0ODw=="),  # 16 bytes, not 32
        ("IDENTITY_OLD_KEYS", f"{IDENTITY_KEY},short"),
        ("UPLOAD_MAX_MB", "0"),
        ("RETENTION_MONTHS", "-1"),
    ],
)
def test_it_refuses_malformed_candidate_settings(tmp_path, name, value):
    with pytest.raises(SettingsError, match=rf"^{name}:"):
        from_env(tmp_path, **{name: value})


def test_it_refuses_a_short_duplicate_hash_key_in_production(tmp_path):
    with pytest.raises(SettingsError, match=r"^DUPLICATE_HASH_KEY: must be at least 32"):
        from_env(
            tmp_path,
            PORTAL_ENVIRONMENT="production",
            SECRET_KEY=GOOD_KEY,
            IDENTITY_KEY=IDENTITY_KEY,
            DUPLICATE_HASH_KEY="short",
        )


def test_it_generates_development_candidate_keys_once(tmp_path):
    first = from_env(tmp_path)
    again = from_env(tmp_path)
    assert first.identity_key == again.identity_key
    assert first.duplicate_hash_key == again.duplicate_hash_key
    assert first.identity_keys == [first.identity_key]


def test_it_lists_the_current_identity_key_before_the_old_ones(tmp_path):
    old = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
    settings = from_env(tmp_path, IDENTITY_KEY=IDENTITY_KEY, IDENTITY_OLD_KEYS=f" {old} ")
    assert settings.identity_keys == [IDENTITY_KEY, old]


@pytest.mark.parametrize("value", ["/run/clamav/clamd.ctl", "clamav:3310", "127.0.0.1:3310"])
def test_it_takes_clamd_at_a_path_or_host_and_port(tmp_path, value):
    assert from_env(tmp_path, CLAMD_SOCKET=value).clamd_socket == value
