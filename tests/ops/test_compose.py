"""compose.yaml and the Dockerfile, read as files: no Docker engine runs where the tests run."""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml

from portal.settings import ROOT, SECRET_FIELDS, Settings, env_names

KNOWN = set(env_names()) | {f"{name}_FILE" for name in SECRET_FIELDS}


@pytest.fixture(scope="module")
def services() -> dict:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return compose["services"]


def interpolate(value: str) -> str:
    """Compose's ${NAME:?message} / ${NAME:-default} / $$, with a stand-in for required values."""

    def one(match: re.Match[str]) -> str:
        name, operator, rest = match[1], match[2], match[3]
        if operator == ":-":
            return rest
        if name == "IDENTITY_KEY":
            return "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        return f"{name.lower()}0123456789abcdef0123456789abcdef"

    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", one, value).replace("$$", "$")


def command(service: dict) -> list[str]:
    value = service["command"]
    return value if isinstance(value, list) else shlex.split(value)


def conditions(service: dict) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in service["depends_on"].items()}


def test_it_defines_the_services(services):
    assert {"app", "worker", "migrate", "db", "minio", "createbucket", "redis", "mailpit"} <= set(
        services
    )


@pytest.mark.parametrize("name", ["app", "worker", "migrate"])
def test_it_passes_only_known_settings_to_the_app(services, name):
    environment = services[name]["environment"]
    assert set(environment) <= KNOWN, set(environment) - KNOWN


@pytest.mark.parametrize("name", ["app", "worker", "migrate"])
def test_its_app_environment_is_accepted_as_production_settings(services, name, tmp_path):
    env = {key: interpolate(str(value)) for key, value in services[name]["environment"].items()}
    settings = Settings.from_env({**env, "PORTAL_VAR_DIR": str(tmp_path)})
    assert settings.is_production
    assert settings.database_url.startswith("postgresql://portal:")
    assert settings.database_url.endswith("@db:5432/portal")
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.s3_endpoint_url == "http://minio:9000"
    assert (settings.smtp_host, settings.smtp_port) == ("mailpit", 1025)
    assert settings.cookie_secure is True
    assert settings.log_format == "json"


def test_it_requires_the_secret_key_rather_than_defaulting_it(services):
    secret = services["app"]["environment"].get("SECRET_KEY") or ""
    secret_file = services["app"]["environment"].get("SECRET_KEY_FILE") or ""
    assert secret.startswith("${SECRET_KEY:?") or secret_file.startswith("/run/secrets/")


def test_it_creates_the_bucket_the_app_uses(services):
    bucket = services["app"]["environment"]["S3_BUCKET"]
    script = " ".join(services["createbucket"]["entrypoint"])
    assert f"mc mb --ignore-existing --region eu-central-1 portal/{bucket}" in script
    assert services["createbucket"]["image"].startswith("minio/mc")
    assert conditions(services["createbucket"]) == {"minio": "service_healthy"}


def test_it_checks_the_health_of_the_backing_services(services):
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert services["db"]["image"].startswith("postgres:16")
    assert services["minio"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_it_starts_the_app_after_migrations_bucket_redis_and_mail(services):
    assert conditions(services["app"]) == {
        "migrate": "service_completed_successfully",
        "createbucket": "service_completed_successfully",
        "redis": "service_healthy",
        "mailpit": "service_started",
    }
    assert conditions(services["migrate"]) == {"db": "service_healthy"}


def test_it_runs_the_portal_command(services):
    assert command(services["app"])[:2] == ["portal", "serve"]
    assert "0.0.0.0" in command(services["app"])  # noqa: S104 - inside the container
    assert command(services["migrate"]) == ["portal", "migrate"]
    assert services["migrate"]["image"] == services["app"]["image"]
    assert services["migrate"]["restart"] == "no"


def test_it_runs_the_worker_from_the_same_image_with_the_same_settings(services):
    worker = services["worker"]
    assert command(worker) == ["portal", "worker"]
    assert worker["image"] == services["app"]["image"]
    assert worker["environment"] == services["app"]["environment"]
    assert worker["healthcheck"] == {"disable": True}
    assert "ports" not in worker
    assert conditions(worker) == {
        "migrate": "service_completed_successfully",
        "createbucket": "service_completed_successfully",
        "mailpit": "service_started",
    }


def test_it_publishes_the_portal_and_the_mail_catcher(services):
    assert "8000:8000" in services["app"]["ports"]
    assert "8025:8025" in services["mailpit"]["ports"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _sep, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_image_runs_portal_serve_as_a_user_who_is_not_root():
    instructions = dockerfile_instructions()
    cmd = json.loads(next(rest for key, rest in reversed(instructions) if key == "CMD"))
    assert cmd[:2] == ["portal", "serve"]
    assert "0.0.0.0" in cmd  # noqa: S104 - inside the container
    assert not any(key == "ENTRYPOINT" for key, _rest in instructions)
    users = [rest for key, rest in instructions if key == "USER"]
    assert users and users[-1] not in ("root", "0")
    froms = [rest for key, rest in instructions if key == "FROM"]
    assert froms[-1] == "python:3.11-slim"


def test_the_image_checks_healthz_with_python():
    healthcheck = next(rest for key, rest in dockerfile_instructions() if key == "HEALTHCHECK")
    assert '"python"' in healthcheck
    assert "/healthz" in healthcheck
    assert "curl" not in healthcheck


def test_the_image_copies_the_front_end_assets_like_the_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    sources = re.findall(r"node_modules/\S+", makefile)
    assert sources
    for source in sources:
        assert source in dockerfile, source
    assert "COPY --from=assets /build/static/vendor ./static/vendor" in dockerfile


def test_the_build_context_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for path in (".git", ".venv", "node_modules", "var", "static/vendor", ".env"):
        assert path in ignored, path
