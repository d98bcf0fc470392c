"""Health (more in test_monitoring.py), API schema, error pages and security headers."""
import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_is_liveness_and_readyz_names_each_check(db):
    assert Client().get("/healthz").json() == {"status": "ok"}
    body = Client().get("/readyz").json()
    assert body["checks"]["database"]["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "storage", "worker"}


def test_openapi_schema_is_valid(client_for):
    from drf_spectacular.validation import validate_schema
    import yaml

    response = client_for("city").get(reverse("api_schema"))
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate_schema(document)


def test_api_docs_use_local_assets(client_for):
    page = client_for("city").get(reverse("api_docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "//unpkg" not in page


def test_api_requires_authentication(db):
    assert Client().get(reverse("api_root")).status_code in (401, 403)
    for name in ("api_schema", "api_docs", "api_redoc"):  # the API's description too
        assert Client().get(reverse(name)).status_code in (401, 403), name


def test_personal_data_pages_are_not_cached_and_carry_security_headers(client_for):
    response = client_for("district").get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_404_page_is_in_the_users_language(client_for, settings):
    settings.DEBUG = False
    response = client_for("macau").get("/no-such-page/")
    assert response.status_code == 404
    assert "不存在" in response.content.decode()


def _run_in_production(*arguments):
    """``manage.py ARGUMENTS`` with production's settings and made-up secrets."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**env, "DJANGO_SETTINGS_MODULE": "zhuao.settings.production", "DEBUG": "0",
           "SECRET_KEY": "a" * 20 + "-production-grade-secret-key-for-the-check-0123456789",
           "AUDIT_CHAIN_KEY": "b" * 40, "FIELD_INDEX_KEY": "c" * 40,
           "FIELD_ENCRYPTION_KEYS": "k2026:sm4:" + "A" * 22 + "==",
           "ALLOWED_HOSTS": "zhuao.example.gov"}
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=root, env=env,
                          capture_output=True, text=True)


def test_deploy_checks_pass_with_production_settings():
    result = _run_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout


def test_production_runs_without_the_developer_tooling():
    """Demo data, scale data and the benchmark are devtools' commands: not in production."""
    result = _run_in_production("help", "--commands")
    assert result.returncode == 0, result.stderr
    commands = set(result.stdout.split())
    assert {"migrate", "backup", "sync_roles"} <= commands
    assert not {"seed_demo", "seed_scale", "bench", "demo_totp"} & commands


def test_schema_generates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")


@pytest.mark.tool("docker-compose")
def test_the_production_stack_file_is_valid():
    """docker-compose.yml with the values of .env.example validates; without a mandatory
    value (POSTGRES_PASSWORD) it refuses, naming it."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    example = dict(line.split("=", 1) for line in (root / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    command = ["docker-compose", "-f", str(root / "docker-compose.yml"), "config", "-q"]
    base = {"PATH": "/usr/bin:/bin"}
    valid = subprocess.run(command, env={**base, **example}, capture_output=True, text=True)
    assert valid.returncode == 0, valid.stderr
    example.pop("POSTGRES_PASSWORD")
    missing = subprocess.run(command, env={**base, **example}, capture_output=True, text=True)
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr


@pytest.mark.tool("docker-compose")
def test_the_production_stack_runs_the_application_as_a_role_that_owns_nothing():
    """Only the one-shot migrate step logs in as the owner (POSTGRES_USER); web, worker and beat
    use another role, start after migrate (and db_roles) has finished, and never see the owner's
    password."""
    import subprocess
    from pathlib import Path
    from urllib.parse import urlsplit

    import yaml

    root = Path(__file__).resolve().parents[2]
    example = dict(line.split("=", 1) for line in (root / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    example["POSTGRES_PASSWORD"] = "owner-password-x7"
    result = subprocess.run(["docker-compose", "-f", str(root / "docker-compose.yml"), "config"],
                            env={"PATH": "/usr/bin:/bin", **example}, capture_output=True,
                            text=True, check=True)
    services = yaml.safe_load(result.stdout)["services"]
    owner = services["postgres"]["environment"]["POSTGRES_USER"]
    migrate = services["migrate"]
    assert urlsplit(migrate["environment"]["DATABASE_URL"]).username == owner
    assert "db_roles" in str(migrate["command"])
    assert "migrate" not in str(services["web-1"].get("command", ""))
    for name in ("web-1", "web-2", "worker-1", "worker-2", "beat"):
        environment = services[name]["environment"]
        assert urlsplit(environment["DATABASE_URL"]).username not in (owner, None)
        assert example["POSTGRES_PASSWORD"] not in str(environment)
        assert services[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
    assert urlsplit(migrate["environment"]["APP_DATABASE_URL"]).username == \
        urlsplit(services["web-1"]["environment"]["DATABASE_URL"]).username


@pytest.mark.tool("docker-compose")
def test_the_production_stack_runs_two_web_nodes_and_two_workers_on_shared_storage():
    """Two web nodes behind the proxy, two workers; no node keeps files of its own: uploads go
    to the object store (MinIO, encrypting every object), whose bucket is made before the
    application starts."""
    import re
    import subprocess
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    example = dict(line.split("=", 1) for line in (root / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    result = subprocess.run(["docker-compose", "-f", str(root / "docker-compose.yml"), "config"],
                            env={"PATH": "/usr/bin:/bin", **example}, capture_output=True,
                            text=True, check=True)
    services = yaml.safe_load(result.stdout)["services"]
    webs = sorted(name for name, service in services.items()
                  if "gunicorn" in str(service.get("command", "")))
    workers = sorted(name for name, service in services.items()
                     if " worker" in str(service.get("command", "")))
    assert len(webs) == 2 and len(workers) == 2
    upstream = re.findall(r"server (\S+):8000", (root / "deploy/nginx.conf").read_text())
    assert sorted(upstream) == webs
    assert services["proxy"]["ports"] and all("ports" not in services[name] for name in webs)
    assert services["minio"]["environment"]["MINIO_KMS_SECRET_KEY"]
    assert "encrypt set sse-s3" in str(services["minio-init"]["entrypoint"])
    for name in webs + workers + ["beat"]:
        environment = services[name]["environment"]
        assert environment["S3_BUCKET"] and environment["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert "MEDIA_ROOT" not in environment
        assert not any("media" in str(volume) for volume in services[name].get("volumes", []))
        assert services[name]["depends_on"]["minio-init"]["condition"] == \
            "service_completed_successfully"
