"""The container build: docker-compose.yml validated by a real compose implementation,
and static checks on the Dockerfile / .dockerignore.

No Docker engine is needed: ``docker-compose config`` only parses, interpolates and
normalises the file. The tool is Debian's ``docker-compose`` package (1.29.x), installed
by ``make install-system`` / ``.ci/run`` with ``apt-get install -y docker-compose``.
A missing tool is a failure, never a skip.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

AIRFLOW_LONG_RUNNING = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
)
CELERY_SERVICES = ("redis", "airflow-worker", "flower")
AIRFLOW_SERVICES = ("airflow-init", *AIRFLOW_LONG_RUNNING, "airflow-worker", "flower")
DATABASES = ("warehouse", "airflow-db")
CORE_SERVICES = (*DATABASES, "airflow-init", *AIRFLOW_LONG_RUNNING)
LONG_RUNNING = (*DATABASES, *AIRFLOW_LONG_RUNNING, *CELERY_SERVICES)

MISSING_TOOL = (
    "`docker-compose` is not on PATH. It is Debian's docker-compose package (1.29.x); "
    "install it with `make install-system` (or run `.ci/run`), which runs "
    "`apt-get update && apt-get install -y docker-compose`."
)


# --------------------------------------------------------------------------- compose


def _docker_compose() -> str:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail(MISSING_TOOL, pytrace=False)
    return exe


def _compose_config(tmp_path_factory: pytest.TempPathFactory, *args: str, **env: str) -> dict:
    """``docker-compose config`` in a clean environment (no caller's AIRFLOW_* or .env leaks in)."""
    exe = _docker_compose()
    empty_env_file = tmp_path_factory.mktemp("compose-env") / "empty.env"
    empty_env_file.write_text("")
    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(empty_env_file.parent)}
    run_env.update(env)
    cmd = [exe, "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE), *args, "config"]
    proc = subprocess.run(
        cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, (
        f"{shlex.join(cmd)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    config = yaml.safe_load(proc.stdout)
    assert isinstance(config, dict)
    assert "services" in config
    return config


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _compose_config(tmp_path_factory)


@pytest.fixture(scope="module")
def celery_config(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _compose_config(
        tmp_path_factory,
        "--profile",
        "celery",
        "--profile",
        "flower",
        AIRFLOW_EXECUTOR="CeleryExecutor",
    )


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def _published_targets(service: dict) -> set[tuple[str, str]]:
    """(published, target) pairs from short or long port syntax, as compose normalised them."""
    pairs: set[tuple[str, str]] = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            pairs.add((str(port.get("published", "")), str(port["target"])))
        else:
            parts = str(port).split("/")[0].split(":")
            pairs.add((parts[-2] if len(parts) >= 2 else "", parts[-1]))
    return pairs


def _named_volumes(service: dict) -> set[str]:
    names = set()
    for vol in service.get("volumes") or []:
        if isinstance(vol, dict):
            if vol.get("type", "volume") == "volume" and vol.get("source"):
                names.add(vol["source"])
        else:
            source = str(vol).split(":")[0]
            if source and not source.startswith(("/", ".", "~")):
                names.add(source)
    return names


def _healthcheck_text(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    return " ".join(test) if isinstance(test, list) else str(test or "")


def test_docker_compose_is_installed() -> None:
    """Fails (never skips) without the tool; the message says how to install it."""
    _docker_compose()


def test_compose_config_is_valid_and_has_every_service(config: dict) -> None:
    services = config["services"]
    for name in (*CORE_SERVICES, *CELERY_SERVICES):
        assert name in services, f"service {name!r} missing; have {sorted(services)}"


def test_celery_profile_config_is_valid(celery_config: dict) -> None:
    services = celery_config["services"]
    for name in (*CORE_SERVICES, *CELERY_SERVICES):
        assert name in services
    # the executor switch reaches every Airflow component and the image build
    for name in AIRFLOW_SERVICES:
        svc = services[name]
        assert _env(svc)["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert svc["build"]["args"]["AIRFLOW_EXECUTOR"] == "CeleryExecutor", name
        assert svc["image"].endswith(":CeleryExecutor"), name
    worker = services["airflow-worker"]
    assert _depends_on(worker).get("redis") == "service_healthy"


def test_profiles(config: dict) -> None:
    services = config["services"]
    for name in CORE_SERVICES:
        assert not services[name].get("profiles"), f"{name} must run without any profile"
    assert "celery" in services["redis"]["profiles"]
    assert "celery" in services["airflow-worker"]["profiles"]
    assert services["flower"].get("profiles"), "flower is optional: it must sit in a profile"


def test_celery_workers_are_replicated(config: dict) -> None:
    worker = config["services"]["airflow-worker"]
    assert int(worker["deploy"]["replicas"]) >= 2
    assert "container_name" not in worker, "a fixed container_name prevents replicas"
    assert "celery" in worker["command"]
    assert "worker" in worker["command"]


def test_default_executor_is_local(config: dict) -> None:
    for name in AIRFLOW_SERVICES:
        svc = config["services"][name]
        assert _env(svc)["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor", name
        assert svc["build"]["args"]["AIRFLOW_EXECUTOR"] == "LocalExecutor", name


def test_airflow_services_share_one_image_and_build(config: dict) -> None:
    services = config["services"]
    builds = {name: services[name].get("build") for name in AIRFLOW_SERVICES}
    images = {name: services[name].get("image") for name in AIRFLOW_SERVICES}
    for name, build in builds.items():
        assert build, f"{name} must be built from the Dockerfile"
        assert Path(build["context"]).resolve() == ROOT, name
        assert build.get("dockerfile", "Dockerfile") == "Dockerfile", name
    assert len({json.dumps(b, sort_keys=True) for b in builds.values()}) == 1, builds
    assert len(set(images.values())) == 1, images
    assert next(iter(images.values())), "the built image needs a name so all services share it"


def test_airflow_services_wait_for_init(config: dict) -> None:
    services = config["services"]
    for name in (*AIRFLOW_LONG_RUNNING, "airflow-worker", "flower"):
        deps = _depends_on(services[name])
        assert deps.get("airflow-init") == "service_completed_successfully", (name, deps)
        assert deps.get("airflow-db") == "service_healthy", (name, deps)
    init_deps = _depends_on(services["airflow-init"])
    assert init_deps.get("airflow-db") == "service_healthy"
    assert init_deps.get("warehouse") == "service_healthy"
    assert "restart" not in services["airflow-init"] or services["airflow-init"]["restart"] == "no"


def test_airflow_init_migrates_both_databases() -> None:
    compose_text = COMPOSE_FILE.read_text()
    script = (ROOT / "docker" / "airflow-init.sh").read_text()
    assert "airflow-init" in compose_text
    assert "airflow db migrate" in script
    assert "python -m pipeline migrate" in script
    assert "mkdir -p" in script


def test_long_running_services_have_healthchecks(config: dict) -> None:
    services = config["services"]
    for name in LONG_RUNNING:
        hc = services[name].get("healthcheck")
        assert hc, f"{name} has no healthcheck"
        assert hc.get("test"), f"{name} has no healthcheck test"
        assert not hc.get("disable"), f"{name} disables its healthcheck"
        assert services[name].get("restart") == "always", f"{name} should restart: always"
    expected = {
        "airflow-apiserver": "http://localhost:8080/api/v2/version",
        "airflow-scheduler": "http://localhost:8974/health",
        "airflow-dag-processor": "--job-type DagProcessorJob",
        "airflow-triggerer": "--job-type TriggererJob",
        "warehouse": "pg_isready",
        "airflow-db": "pg_isready",
        "redis": "redis-cli ping",
    }
    for name, fragment in expected.items():
        assert fragment in _healthcheck_text(services[name]), (
            name,
            _healthcheck_text(services[name]),
        )
    # the scheduler's /health endpoint only exists when enabled
    assert _env(services["airflow-scheduler"])["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"


def test_warehouse_and_airflow_db_are_separate(config: dict) -> None:
    services = config["services"]
    warehouse, airflow_db = services["warehouse"], services["airflow-db"]
    for svc in (warehouse, airflow_db):
        assert str(svc["image"]).startswith("postgres:16")
    wh_vols, af_vols = _named_volumes(warehouse), _named_volumes(airflow_db)
    assert wh_vols, "the warehouse needs its own named volume"
    assert af_vols, "the Airflow DB needs its own named volume"
    assert not wh_vols & af_vols, "the two databases must not share a volume"
    assert (wh_vols | af_vols) <= set(config.get("volumes") or {})
    wh_env = _env(warehouse)
    assert (wh_env["POSTGRES_DB"], wh_env["POSTGRES_USER"], wh_env["POSTGRES_PASSWORD"]) == (
        "news",
        "news",
        "news",
    )


def test_airflow_environment(config: dict) -> None:
    services = config["services"]
    envs = {name: _env(services[name]) for name in AIRFLOW_SERVICES}
    for name, env in envs.items():
        assert "@warehouse:" in env["WAREHOUSE_URL"], name
        assert env["WAREHOUSE_URL"].startswith("postgresql+psycopg://"), name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://"), name
        assert "@airflow-db/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == (
            "http://airflow-apiserver:8080/execution/"
        ), name
        assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager"), name
        assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin", name
        assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"], name
        assert env["PIPELINE_SOURCES_FILE"], name
        assert env["NLP_MODEL"], name
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in env, "no installs at container start"
    # one JWT secret (and API secret key) for all components
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY"):
        values = {env[key] for env in envs.values()}
        assert len(values) == 1, (key, values)
        assert next(iter(values)), key


def test_apiserver_publishes_8080(config: dict) -> None:
    pairs = _published_targets(config["services"]["airflow-apiserver"])
    assert ("8080", "8080") in pairs, pairs


def test_nothing_installed_at_container_start(config: dict) -> None:
    for name, svc in config["services"].items():
        for key in ("command", "entrypoint"):
            value = svc.get(key) or ""
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "pip install" not in text, (name, key, text)
            assert "uv pip" not in text, (name, key, text)
    assert "pip install" not in (ROOT / "docker" / "airflow-init.sh").read_text()


# --------------------------------------------------------------------------- Dockerfile


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    current = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        logical.append(current.strip())
        current = ""
    if current.strip():
        logical.append(current.strip())
    result = []
    for item in logical:
        word, _, rest = item.partition(" ")
        result.append((word.upper(), rest.strip()))
    return result


def _copy_sources() -> list[str]:
    sources = []
    for word, args in _instructions():
        if word not in ("COPY", "ADD"):
            continue
        tokens = json.loads(args) if args.startswith("[") else shlex.split(args)
        flags = [t for t in tokens if t.startswith("--")]
        paths = [t for t in tokens if not t.startswith("--")]
        if any(f.startswith("--from=") for f in flags):
            continue
        sources.extend(paths[:-1])
    return sources


def test_dockerfile_base_image_and_user() -> None:
    instructions = _instructions()
    args: dict[str, str] = {}
    for word, rest in instructions:
        if word == "FROM":
            break
        if word == "ARG" and "=" in rest:
            key, value = rest.split("=", 1)
            args[key] = value.strip("\"'")
    froms = [rest.split()[0] for word, rest in instructions if word == "FROM"]
    assert froms
    resolved = [re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), f) for f in froms]
    assert resolved[-1] == "python:3.11-slim-bookworm", resolved
    users = [rest for word, rest in instructions if word == "USER"]
    assert users, "the final image must run as airflow"
    assert users[-1].split(":")[0] == "airflow", "the final image must run as airflow"
    envs = " ".join(rest for word, rest in instructions if word == "ENV")
    assert "AIRFLOW_HOME=/opt/airflow" in envs
    assert re.search(r"PATH=/opt/venv/bin:", envs), "the venv's bin must be on PATH"


def test_dockerfile_installs_from_the_lock() -> None:
    instructions = _instructions()
    runs = [rest for word, rest in instructions if word == "RUN"]
    sync = [i for i, (w, r) in enumerate(instructions) if w == "RUN" and "uv pip sync" in r]
    assert sync, "dependencies must be installed with `uv pip sync requirements.lock`"
    assert "requirements.lock" in instructions[sync[0]][1]
    assert "/opt/venv" in instructions[sync[0]][1]
    copy_lock = [i for i, (w, r) in enumerate(instructions) if w == "COPY" and "requirements.lock" in r]
    assert copy_lock
    assert copy_lock[0] < sync[0]
    project = [r for r in runs if "--no-deps" in r and re.search(r"install\b.*(\s\.|-e \.)", r)]
    assert project, "the project itself must be installed with --no-deps"
    # the first COPY of application code comes after the dependency layer (caching)
    first_code_copy = next(i for i, (w, r) in enumerate(instructions) if w == "COPY" and "pipeline" in r)
    assert first_code_copy > sync[0]
    # the uv pin matches the one the Makefile uses (when there is a Makefile)
    uv_pin = re.search(r"ARG UV_VERSION=(\S+)", DOCKERFILE.read_text())
    assert uv_pin, "pin uv with ARG UV_VERSION=..."
    makefile = ROOT / "Makefile"
    if makefile.exists() and (make_pin := re.search(r"uv==([\w.]+)", makefile.read_text())):
        assert make_pin.group(1) == uv_pin.group(1), "Dockerfile and Makefile pin different uv"
    # the Celery extras are opt-in only
    celery_runs = [r for r in runs if "CELERY_PACKAGES" in r]
    assert celery_runs
    for run in celery_runs:
        assert run.lstrip().startswith("if"), run
        assert "CeleryExecutor" in run, run


def test_dockerfile_copies_the_project_files() -> None:
    sources = {s.rstrip("/").removeprefix("./") for s in _copy_sources()}
    needed_files = ("requirements.lock", "pyproject.toml", "sources.yml")
    for needed in (*needed_files, "pipeline", "dags", "plugins", "sql"):
        assert needed in sources, f"Dockerfile does not COPY {needed}"


def _dockerignore_patterns() -> list[str]:
    if not DOCKERIGNORE.exists():
        return []
    patterns = []
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(line)
    return patterns


def _ignored(path: str, patterns: list[str]) -> bool:
    """Simplified .dockerignore matching: a path is excluded if it or a parent matches."""
    parts = Path(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern[1:] if negate else pattern
        pat = pat.strip("/")
        pats = {pat, pat.removeprefix("**/")}
        if any(fnmatch.fnmatchcase(c, p) for c in candidates for p in pats):
            excluded = not negate
    return excluded


@pytest.mark.parametrize("source", sorted(set(_copy_sources())))
def test_every_copy_source_exists_and_is_in_the_context(source: str) -> None:
    rel = source.rstrip("/").removeprefix("./")
    path = ROOT / rel
    assert path.exists(), f"Dockerfile COPYs {source!r}, which is missing from the repository"
    assert not _ignored(rel, _dockerignore_patterns()), f".dockerignore excludes {source!r}"


def test_dockerignore_keeps_host_state_out() -> None:
    patterns = _dockerignore_patterns()
    for path in (".venv", ".git", ".state", "pipeline/__pycache__/x.pyc", "newspipe.egg-info"):
        assert _ignored(path, patterns), f"{path} should be in .dockerignore"


def test_compose_file_is_plain_yaml_with_common_anchor() -> None:
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    assert "x-airflow-common" in raw
    assert "version" not in raw, "the Compose spec needs no version key"
