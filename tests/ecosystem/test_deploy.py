"""The production stack as described by docker-compose.yml and the Dockerfile.

Docker is not available to the test suite, so these tests check what can go wrong without it:
the files parse, every service has what it needs, and every command they run exists in the
project with options the program accepts. Plus the two gates of a release: the deploy checks of
the production settings and a valid OpenAPI schema.
"""

import fnmatch
import importlib
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
PORTAL_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    return re.sub(r"\\\n\s*", " ", text)  # join continued lines


def _command(service) -> list[list[str]]:
    """The programs a service runs, `sh -c "a && b"` split into [a, b]."""
    command = service["command"]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in argv[2].split("&&")]
    return [argv]


def _strip_exec(argv):
    return argv[1:] if argv and argv[0] == "exec" else argv


def _options(argv) -> list[str]:
    return [arg.split("=")[0] for arg in argv if arg.startswith("-") and arg != "-"]


def _check_manage_py(argv):
    assert argv[:2] == ["python", "manage.py"], argv
    assert argv[2] in get_commands(), f"manage.py has no command {argv[2]!r}"


def _check_gunicorn(argv):
    from gunicorn.config import Config

    assert argv[0] == "gunicorn"
    parsed = Config().parser().parse_args(argv[1:])  # exits (fails the test) on a bad option
    module_name, _, attribute = parsed.args[0].partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application"))


def _check_celery(argv):
    from celery.app.utils import find_app
    from celery.bin.celery import celery as cli
    from kombu.utils.imports import symbol_by_name

    assert argv[:3] == ["celery", "-A", "ecosystem"], argv
    app = find_app("ecosystem")
    assert app.main == "ecosystem"
    subcommand = cli.commands[argv[3]]
    accepted = {opt for param in subcommand.params for opt in param.opts}
    assert set(_options(argv[4:])) <= accepted, f"celery {argv[3]} does not accept {argv[4:]}"
    if "--scheduler" in argv:
        assert symbol_by_name(argv[argv.index("--scheduler") + 1])


def test_compose_describes_the_production_stack(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    for name in PORTAL_SERVICES:
        service = compose["services"][name]
        assert service["build"] == "."
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "ecosystem.settings.production"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
        assert service["restart"] == "unless-stopped"


@pytest.mark.parametrize(
    "service, probe",
    [("web", "/healthz"), ("postgres", "pg_isready"), ("redis", "redis-cli")],
)
def test_every_stateful_or_serving_service_has_a_health_check(compose, service, probe):
    check = compose["services"][service]["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert probe in " ".join(check["test"])
    assert check["interval"] and check["retries"] >= 3


def test_web_health_check_probes_an_exempt_path_with_an_allowed_host(compose, monkeypatch):
    test = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in test and "ALLOWED_HOSTS" in test
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example")
    monkeypatch.setenv("SITE_URL", "https://portal.example")
    production = importlib.import_module("ecosystem.settings.production")

    assert any(re.search(pattern, "healthz") for pattern in production.SECURE_REDIRECT_EXEMPT)


def test_data_lives_in_named_volumes(compose):
    volumes = set(compose["volumes"])
    assert {"db_data", "media", "private_media"} <= volumes
    mounted = set()
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source, target = mount.split(":")[:2]
            assert source in volumes, f"{name} mounts an undeclared volume {source}"
            mounted.add((name, source, target))
    assert ("postgres", "db_data", "/var/lib/postgresql/data") in mounted
    for name in PORTAL_SERVICES:
        env = compose["services"][name]["environment"]
        assert (name, "media", env["MEDIA_ROOT"]) in mounted
        assert (name, "private_media", env["PRIVATE_MEDIA_ROOT"]) in mounted


def test_services_start_in_order(compose):
    services = compose["services"]
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    # Worker and beat wait for web, which migrates the database before it reports healthy.
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["beat"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_variable_given_to_the_portal_is_read_by_the_settings(compose):
    source = "\n".join(path.read_text() for path in (ROOT / "ecosystem" / "settings").glob("*.py"))
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["'](\w+)["']""", source))
    outside_settings = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}  # Django and gunicorn
    for name in PORTAL_SERVICES:
        given = set(compose["services"][name]["environment"]) - outside_settings
        assert given <= read, f"{name}: settings never read {sorted(given - read)}"


def test_web_migrates_then_serves_with_gunicorn(compose):
    commands = [_strip_exec(argv) for argv in _command(compose["services"]["web"])]
    assert [argv[0] for argv in commands] == ["python", "gunicorn"]
    _check_manage_py(commands[0])
    assert commands[0][2] == "migrate"
    _check_gunicorn(commands[1])


@pytest.mark.parametrize("service, subcommand", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_run_the_project_app(compose, service, subcommand):
    (argv,) = _command(compose["services"][service])
    assert argv[3] == subcommand
    _check_celery([arg.replace("${WORKER_CONCURRENCY:-2}", "2") for arg in argv])


def test_beat_keeps_its_schedule_in_the_database(compose):
    (argv,) = _command(compose["services"]["beat"])
    assert argv[argv.index("--scheduler") + 1] == "django_celery_beat.schedulers:DatabaseScheduler"
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_worker_health_check_is_a_celery_command(compose):
    test = compose["services"]["worker"]["healthcheck"]["test"][1]
    argv = shlex.split(test.replace("$$HOSTNAME", "host"))
    _check_celery(argv)


def test_dockerfile_copies_what_exists_and_runs_real_commands(dockerfile):
    copies = re.findall(r"^COPY\s+(.+)$", dockerfile, re.MULTILINE)
    assert copies
    for line in copies:
        *sources, _target = shlex.split(line)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY source {source} is missing"
    for command in re.findall(r"python manage\.py (\w+)", dockerfile):
        assert command in get_commands(), f"manage.py has no command {command!r}"
    (cmd,) = re.findall(r"^CMD\s+(.+)$", dockerfile, re.MULTILINE)
    import json

    _check_gunicorn(json.loads(cmd))
    assert "ENV" in dockerfile and "DJANGO_SETTINGS_MODULE=ecosystem.settings.production" in dockerfile
    assert re.search(r"^USER\s+(?!root)\w+", dockerfile, re.MULTILINE), "runs as root"


def test_dockerignore_keeps_the_code_and_drops_local_state():
    patterns = [
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path):
        return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)

    for needed in ["manage.py", "pyproject.toml", "ecosystem", "stakeholders", "templates", "static"]:
        assert not ignored(needed), needed
    for local in [".venv", "db.sqlite3", ".git", ".env", "media", "staticfiles"]:
        assert ignored(local), local


def _run_manage(*args, env_extra=None, settings_module="ecosystem.settings.production"):
    import os

    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DEBUG",
                       "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": settings_module, **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180,
    )


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    result = _run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "portal.example",
                   "SITE_URL": "https://portal.example"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("site_url", [None, "http://127.0.0.1:8000", "http://portal.example",
                                      "https://localhost"])
def test_production_refuses_to_start_without_its_public_address(site_url):
    env_extra = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "portal.example"}
    if site_url:
        env_extra["SITE_URL"] = site_url
    result = _run_manage("check", env_extra=env_extra)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_manage("check", env_extra={"ALLOWED_HOSTS": "portal.example",
                                             "SITE_URL": "https://portal.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    """Guards every app's endpoints: a serializer the schema generator cannot type fails here."""
    target = tmp_path / "schema.yml"
    result = _run_manage(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target),
        settings_module="ecosystem.settings.test",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/organisations/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]
