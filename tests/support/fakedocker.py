"""Fake `docker` / `docker-compose` CLI for MigrationDesk's tests. A TEST STAND-IN ONLY.

No Docker engine runs on the test machines, so tests put tests/support/fakebin first on PATH.
This implements the subset of the CLI the app uses by running the same commands locally:

  docker version [--format T]            docker info [--format T]
  docker compose version [--short]       docker-compose version | --version   (Compose v1)
  docker compose [-f FILE]... [-p NAME] [--project-directory DIR] [--env-file FILE] SUB
      ps [-a] [-q] [--services] [--status S] [--format json]
      exec [-T] [-e NAME[=VAL]]... [-w DIR] [-u USER] SERVICE CMD...
      up -d [SERVICE...]       down [-v] [--remove-orphans]
      config [--services | --volumes | -q | --format json]
  docker volume ls [--filter label=K[=V] | name=N]... [--format '{{.Name}}' | json] [-q]
  docker volume rm [-f] NAME...

`exec` on the postgres service runs /usr/lib/postgresql/15/bin/<tool> against the test cluster
(host and port rewritten, PGPASSWORD from the .env); on any other service it runs the command
in the host folder that the service's bind mount maps (python -> /usr/bin/python3), with the
.env, the service environment and -e values, DB_HOST=127.0.0.1 and DB_PORT=<cluster port>.
Without -T the output goes through an emulated TTY: stderr merged, "\n" -> "\r\n".

The cluster is a tests/support/pgcluster.sh DIR: $FAKE_DOCKER_PG_DIR, else $MIGRATIONDESK_TESTBED.
`down` halts it, `up -d` resumes it, `volume rm <project>_postgres_data` wipes it (the next `up`
runs initdb anew, same password, and creates POSTGRES_DB as the real image does). Those three
are refused on the shared CTest cluster: use a private one. Fake state (stack up? volume
exists?) lives in DIR/fakedocker.json.

Anything not implemented prints a message on stderr and exits 125, so no test passes by accident.
Switches for detection tests: FAKE_DOCKER_NO_COMPOSE_V2=1 (`docker compose` is unknown),
FAKE_DOCKER_NO_DAEMON=1 (every engine call fails as when the daemon is down).
"""

import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - python3-yaml is a test dependency
    yaml = None

ENGINE_VERSION = "24.0.7"
COMPOSE_VERSION = "2.24.5"
COMPOSE_V1_VERSION = "1.29.2"
PGBIN = "/usr/lib/postgresql/15/bin"
PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
PGCLUSTER = os.path.join(HERE, "pgcluster.sh")
PG_TOOLS = {"psql", "pg_dump", "pg_restore", "pg_isready", "pg_dumpall", "createdb", "dropdb",
            "createuser", "dropuser", "vacuumdb"}
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


class Unsupported(Exception):
    """Something this fake does not implement: exit 125."""


class Failure(Exception):
    """What the real CLI would report as an error: message on stderr, exit code."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def err(text):
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


def out(text):
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------- .env and interpolation

def parse_env_file(path):
    """docker compose's .env rules: KEY=VALUE, # comments, optional quotes, `export ` prefix."""
    values = {}
    if not path or not os.path.isfile(path):
        return values
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("export "):
                line = line[len("export "):].lstrip()
            if "=" not in line:
                continue
            key, value = line.split("=", 1)
            key = key.strip()
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
                if raw.strip().split("=", 1)[1].strip().startswith('"'):
                    value = value.replace("\\n", "\n")
            else:
                value = re.sub(r"\s+#.*$", "", value)
            values[key] = value
    return values


_BRACED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?(.*)$", re.S)
_VAR = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")


def interpolate(text, variables):
    def replace(match):
        if match.group(0) == "$$":
            return "$"
        if match.group("plain"):
            return variables.get(match.group("plain"), "")
        expr = match.group("braced")
        parsed = _BRACED.match(expr)
        if not parsed:
            raise Failure("invalid interpolation format for ${%s}" % expr)
        name, op, arg = parsed.group(1), parsed.group(2), parsed.group(3)
        value = variables.get(name)
        if not op:
            return value or ""
        if op == ":-":
            return value if value else arg
        if op == "-":
            return value if value is not None else arg
        if op in (":?", "?"):
            if value is None or (op == ":?" and not value):
                raise Failure("required variable %s is missing a value: %s" % (name, arg))
            return value
        if op == ":+":
            return arg if value else ""
        return arg if value is not None else ""

    return _VAR.sub(replace, text)


def interpolate_tree(node, variables):
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, list):
        return [interpolate_tree(item, variables) for item in node]
    if isinstance(node, dict):
        return {key: interpolate_tree(value, variables) for key, value in node.items()}
    return node


# ---------------------------------------------------------------------------- the compose project

def normalise_project_name(name):
    return re.sub(r"[^a-z0-9_-]", "", name.lower())


class Project:
    def __init__(self, files, name, project_dir, env_file):
        if not files:
            files = [find_compose_file(project_dir or os.getcwd())]
        self.files = [os.path.abspath(f) for f in files]
        for f in self.files:
            if not os.path.isfile(f):
                raise Failure("open %s: no such file or directory" % f, 14)
        self.dir = os.path.abspath(project_dir) if project_dir else os.path.dirname(self.files[0])
        self.env_file = env_file or os.path.join(self.dir, ".env")
        self.dotenv = parse_env_file(self.env_file)
        # Shell environment wins over .env, as in compose.
        self.variables = dict(self.dotenv)
        self.variables.update(os.environ)
        data = {}
        if yaml is None:
            raise Unsupported("python3-yaml is not installed: the fake docker cannot read compose files")
        for f in self.files:
            with open(f, encoding="utf-8") as handle:
                loaded = yaml.safe_load(handle) or {}
            for key, value in loaded.items():
                if isinstance(value, dict) and isinstance(data.get(key), dict):
                    merged = dict(data[key])
                    merged.update(value)
                    data[key] = merged
                else:
                    data[key] = value
        self.data = interpolate_tree(data, self.variables)
        self.services = self.data.get("services") or {}
        self.name = normalise_project_name(
            name or os.environ.get("COMPOSE_PROJECT_NAME") or self.dotenv.get("COMPOSE_PROJECT_NAME")
            or self.data.get("name") or os.path.basename(self.dir))

    def service(self, name):
        if name not in self.services:
            raise Failure("no such service: %s" % name)
        return self.services[name] or {}

    def is_postgres(self, name):
        return str(self.service(name).get("image", "")).split(":")[0].split("/")[-1] in ("postgres", "postgis")

    def service_env(self, name):
        svc = self.service(name)
        env = {}
        env_files = svc.get("env_file") or []
        if isinstance(env_files, (str, dict)):
            env_files = [env_files]
        for entry in env_files:
            path = entry.get("path") if isinstance(entry, dict) else entry
            env.update(parse_env_file(os.path.join(self.dir, path)))
        environment = svc.get("environment") or {}
        if isinstance(environment, list):
            for item in environment:
                key, _, value = str(item).partition("=")
                env[key] = value if "=" in str(item) else os.environ.get(key, "")
        else:
            for key, value in environment.items():
                env[key] = "" if value is None else str(value)
        return env

    def binds(self, name):
        """(container path, host path) pairs of the service's bind mounts."""
        result = []
        for volume in self.service(name).get("volumes") or []:
            if isinstance(volume, dict):
                if volume.get("type", "volume") != "bind":
                    continue
                source, target = volume.get("source", ""), volume.get("target", "")
            else:
                parts = str(volume).split(":")
                if len(parts) < 2:
                    continue
                source, target = parts[0], parts[1]
                if not (source.startswith(".") or source.startswith("/") or source.startswith("~")):
                    continue  # a named volume
            host = os.path.normpath(os.path.join(self.dir, os.path.expanduser(source)))
            result.append((target.rstrip("/") or "/", host))
        return sorted(result, key=lambda pair: len(pair[0]), reverse=True)

    def to_host(self, name, path):
        for target, host in self.binds(name):
            if path == target or path.startswith(target + "/"):
                return host + path[len(target):]
        return path

    def named_volumes(self):
        return list((self.data.get("volumes") or {}).keys())

    def volume_name(self, volume):
        spec = (self.data.get("volumes") or {}).get(volume) or {}
        return spec.get("name") or "%s_%s" % (self.name, volume)

    def postgres_service(self):
        for name in self.services:
            if self.is_postgres(name):
                return name
        return None

    def db_volume(self):
        """The named volume the postgres service keeps its data in (wiping it wipes the cluster)."""
        service = self.postgres_service()
        if not service:
            return None
        for volume in self.service(service).get("volumes") or []:
            source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":")[0]
            if source in self.named_volumes():
                return self.volume_name(source)
        return None


def find_compose_file(start, walk_up=True):
    folder = os.path.abspath(start)
    while True:
        for candidate in COMPOSE_FILES:
            path = os.path.join(folder, candidate)
            if os.path.isfile(path):
                return path
        parent = os.path.dirname(folder)
        if parent == folder or not walk_up:
            raise Failure("no configuration file provided: not found", 14)
        folder = parent


# ---------------------------------------------------------------------------- cluster and fake state

class Cluster:
    def __init__(self):
        explicit = os.environ.get("FAKE_DOCKER_PG_DIR")
        shared = os.environ.get("MIGRATIONDESK_TESTBED")
        folder = explicit or shared
        if not folder or not os.path.isfile(os.path.join(folder, "pg.env")):
            raise Unsupported("no test cluster: set FAKE_DOCKER_PG_DIR or MIGRATIONDESK_TESTBED to a "
                              "running tests/support/pgcluster.sh DIR")
        self.dir = os.path.realpath(folder)
        self.shared = bool(shared) and os.path.realpath(shared) == self.dir
        self.env = parse_env_file(os.path.join(self.dir, "pg.env"))
        with open(os.path.join(self.dir, "pgpass"), encoding="utf-8") as handle:
            self.password = handle.readline().strip()
        self.port = self.env.get("PGPORT", "")
        self.state_path = os.path.join(self.dir, "fakedocker.json")
        self._lock = open(os.path.join(self.dir, "fakedocker.lock"), "a")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            with open(self.state_path, encoding="utf-8") as handle:
                self.state = json.load(handle)
        except (OSError, ValueError):
            self.state = {}
        self.state.setdefault("projects", {})
        self.state.setdefault("volumes", {})

    def save(self):
        tmp = self.state_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.state, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.state_path)

    def release(self):
        fcntl.flock(self._lock, fcntl.LOCK_UN)

    def pgcluster(self, command):
        result = subprocess.run(["/bin/bash", PGCLUSTER, command, self.dir],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise Failure("fake docker: pgcluster.sh %s failed:\n%s" % (command, result.stdout))

    def running(self):
        return subprocess.run([PGBIN + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", self.port]).returncode == 0

    def refuse_on_shared(self, what):
        if self.shared:
            raise Unsupported("fake docker: `%s` would stop or wipe the shared test cluster that other "
                              "tests use; start a private one (TestBed::startPrivateCluster) and set "
                              "FAKE_DOCKER_PG_DIR" % what)

    def register(self, project):
        """First sight of a project: its stack counts as up when the cluster runs, volumes exist."""
        entry = self.state["projects"].get(project.name)
        if entry is None:
            entry = {"up": self.running(), "dir": project.dir}
            self.state["projects"][project.name] = entry
            for volume in project.named_volumes():
                name = project.volume_name(volume)
                self.state["volumes"].setdefault(name, {"project": project.name, "volume": volume})
        entry["db_volume"] = project.db_volume()
        return entry


# ---------------------------------------------------------------------------- process helpers

def run_child(argv, env, cwd, tty):
    """Runs argv with stdin inherited; with tty, stdout+stderr merged and "\n" -> "\r\n"."""
    try:
        if not tty:
            code = subprocess.run(argv, env=env, cwd=cwd).returncode
            return code if code >= 0 else 128 - code
        child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sink = sys.stdout.buffer
        while True:
            chunk = os.read(child.stdout.fileno(), 65536)
            if not chunk:
                break
            sink.write(chunk.replace(b"\n", b"\r\n"))
            sink.flush()
        code = child.wait()
        return code if code >= 0 else 128 - code
    except FileNotFoundError:
        raise Failure('OCI runtime exec failed: exec failed: unable to start container process: exec: "%s": '
                      'executable file not found in $PATH: unknown' % argv[0], 126)


def rewrite_pg_args(args, port):
    """Inside the container the server is local; here it is the test cluster on 127.0.0.1:port."""
    result = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg in ("-h", "--host"):
            result += [arg, "127.0.0.1"]
            skip = True
        elif arg in ("-p", "--port"):
            result += [arg, port]
            skip = True
        elif arg.startswith("--host="):
            result.append("--host=127.0.0.1")
        elif arg.startswith("--port="):
            result.append("--port=" + port)
        elif arg.startswith("-h") and len(arg) > 2 and not arg.startswith("--"):
            result.append("-h127.0.0.1")
        elif arg.startswith("-p") and len(arg) > 2 and not arg.startswith("--"):
            result.append("-p" + port)
        else:
            result.append(arg)
    return result


# ---------------------------------------------------------------------------- compose subcommands

def container_name(project, service):
    return "%s-%s-1" % (project.name, service)


def fake_id(text, length=12):
    """Stable made-up container/volume id (hash() differs between processes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def compose_ps(project, cluster, args):
    services_only = quiet = show_all = False
    status = None
    fmt = None
    selected = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--services":
            services_only = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg in ("-a", "--all"):
            pass
        elif arg == "--status":
            i += 1
            status = args[i]
        elif arg.startswith("--status="):
            status = arg.split("=", 1)[1]
        elif arg == "--format":
            i += 1
            fmt = args[i]
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg.startswith("-"):
            raise Unsupported("fake docker: compose ps %s is not implemented" % arg)
        else:
            selected.append(arg)
        i += 1
    if fmt not in (None, "json", "table"):
        raise Unsupported("fake docker: compose ps --format %s is not implemented" % fmt)
    entry = cluster.register(project)
    cluster.save()
    state = "running" if entry["up"] else "exited"
    rows = []
    for service in project.services:
        if selected and service not in selected:
            continue
        if not entry["up"]:
            continue  # `down` removed the containers: ps shows nothing, even with --all
        if status and status != state:
            continue
        rows.append(service)
    if services_only:
        for service in rows:
            out(service)
        return 0
    if quiet:
        for service in rows:
            out(fake_id(container_name(project, service)))
        return 0
    def ports(service):
        mapped = []
        for port in project.service(service).get("ports") or []:
            text = str(port)
            host, _, inner = text.rpartition(":")
            mapped.append("0.0.0.0:%s->%s/tcp" % (host or inner, inner))
        return ", ".join(mapped)
    if fmt == "json":
        for service in rows:
            out(json.dumps({
                "ID": fake_id(container_name(project, service)),
                "Name": container_name(project, service), "Service": service, "Project": project.name,
                "Image": project.service(service).get("image", "%s-%s" % (project.name, service)),
                "State": state, "Status": "Up 5 minutes", "Health": "", "ExitCode": 0,
                "Publishers": [], "Ports": ports(service)}))
        return 0
    header = "%-24s %-22s %-10s %-16s %s" % ("NAME", "IMAGE", "SERVICE", "STATUS", "PORTS")
    out(header)
    for service in rows:
        image = project.service(service).get("image", "%s-%s" % (project.name, service))
        out("%-24s %-22s %-10s %-16s %s" % (container_name(project, service), image, service,
                                            "Up 5 minutes", ports(service)))
    return 0


def compose_exec(project, cluster, args):
    tty = True
    extra_env = {}
    workdir = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-T", "--no-TTY", "--no-tty"):
            tty = False
        elif arg in ("-e", "--env"):
            i += 1
            key, eq, value = args[i].partition("=")
            extra_env[key] = value if eq else os.environ.get(key, "")
        elif arg.startswith("--env="):
            key, eq, value = arg[len("--env="):].partition("=")
            extra_env[key] = value if eq else os.environ.get(key, "")
        elif arg in ("-w", "--workdir"):
            i += 1
            workdir = args[i]
        elif arg.startswith("--workdir="):
            workdir = arg.split("=", 1)[1]
        elif arg in ("-u", "--user", "--index"):
            i += 1  # one user and one replica here
        elif arg in ("-i", "--interactive", "--privileged") or arg.startswith(("--user=", "--index=")):
            pass
        elif arg.startswith("-"):
            raise Unsupported("fake docker: compose exec %s is not implemented" % arg)
        else:
            break
        i += 1
    if i >= len(args):
        raise Failure('"docker compose exec" requires at least 2 arguments.')
    service = args[i]
    command = args[i + 1:]
    if not command:
        raise Failure('"docker compose exec" requires at least 2 arguments.')
    project.service(service)
    entry = cluster.register(project)
    cluster.save()
    cluster.release()  # the command may run long; other fake docker calls must not wait on it
    if not entry["up"]:
        raise Failure('service "%s" is not running' % service)

    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "HOME", "TZ") if key in os.environ}
    env.update(project.service_env(service))
    env.update(extra_env)

    if project.is_postgres(service):
        tool = os.path.basename(command[0])
        if tool not in PG_TOOLS:
            raise Unsupported("fake docker: exec %s %s is not implemented (PostgreSQL tools only)"
                              % (service, command[0]))
        env["PGHOST"] = "127.0.0.1"
        env["PGPORT"] = cluster.port
        # The real image trusts local connections; here the .env's password stands in for that.
        env["PGPASSWORD"] = (project.dotenv.get("DB_PASSWORD") or env.get("POSTGRES_PASSWORD")
                             or cluster.password)
        argv = [os.path.join(PGBIN, tool)] + rewrite_pg_args(command[1:], cluster.port)
        cwd = "/tmp"
    else:
        env["DB_HOST"] = "127.0.0.1"
        env["DB_PORT"] = cluster.port
        program = command[0]
        if os.path.basename(program) in ("python", "python3") or re.match(r"^python3\.\d+$", os.path.basename(program)):
            program = PYTHON
        argv = [program] + [project.to_host(service, arg) if arg.startswith("/") else arg for arg in command[1:]]
        container_dir = workdir or project.service(service).get("working_dir") or "/"
        cwd = project.to_host(service, container_dir)
        if not os.path.isdir(cwd):
            raise Failure("OCI runtime exec failed: chdir to cwd (\"%s\") set in config.json failed: "
                          "no such file or directory: unknown" % container_dir, 126)
    return run_child(argv, env, cwd, tty)


def compose_up(project, cluster, args):
    detach = False
    for arg in args:
        if arg in ("-d", "--detach"):
            detach = True
        elif arg in ("--wait", "--remove-orphans", "--no-build", "--quiet-pull", "--no-recreate"):
            pass
        elif arg.startswith("-"):
            raise Unsupported("fake docker: compose up %s is not implemented" % arg)
        elif arg not in project.services:
            raise Failure("no such service: %s" % arg)
    if not detach:
        raise Unsupported("fake docker: attached `compose up` is not implemented; use up -d")
    entry = cluster.register(project)
    fresh = False
    if not entry["up"] or not cluster.running():
        cluster.refuse_on_shared("compose up")
        for volume in project.named_volumes():
            name = project.volume_name(volume)
            if name not in cluster.state["volumes"]:
                cluster.state["volumes"][name] = {"project": project.name, "volume": volume}
                err(' Volume "%s"  Created' % name)
                fresh = fresh or name == project.db_volume()
        was_wiped = not os.path.isfile(os.path.join(cluster.env.get("PGDATA", "/nonexistent"), "PG_VERSION"))
        cluster.pgcluster("resume")
        if was_wiped or fresh:
            create_initial_database(project, cluster)
    entry["up"] = True
    cluster.save()
    err(" Network %s_default  Created" % project.name)
    for service in project.services:
        err(" Container %s  Started" % container_name(project, service))
    return 0


def create_initial_database(project, cluster):
    """The postgres image creates POSTGRES_DB on a fresh volume; so does the fake."""
    service = project.postgres_service()
    name = project.service_env(service).get("POSTGRES_DB") if service else None
    if not name or name == "postgres":
        return
    env = dict(os.environ, PGPASSWORD=cluster.password)
    subprocess.run([PGBIN + "/createdb", "-h", "127.0.0.1", "-p", cluster.port, "-U", "postgres", name],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def compose_down(project, cluster, args):
    volumes = False
    for arg in args:
        if arg in ("-v", "--volumes"):
            volumes = True
        elif arg in ("--remove-orphans",):
            pass
        elif arg.startswith("-t") or arg.startswith("--timeout"):
            pass
        else:
            raise Unsupported("fake docker: compose down %s is not implemented" % arg)
    cluster.refuse_on_shared("compose down")
    entry = cluster.register(project)
    if entry["up"]:
        cluster.pgcluster("halt")
        for service in project.services:
            err(" Container %s  Removed" % container_name(project, service))
    entry["up"] = False
    if volumes:
        for volume in project.named_volumes():
            name = project.volume_name(volume)
            if cluster.state["volumes"].pop(name, None) is not None:
                if name == project.db_volume():
                    cluster.pgcluster("wipe")
                err(" Volume %s  Removed" % name)
    err(" Network %s_default  Removed" % project.name)
    cluster.save()
    return 0


def compose_config(project, args):
    if args in (["--services"],):
        for service in project.services:
            out(service)
        return 0
    if args in (["--volumes"],):
        for volume in project.named_volumes():
            out(volume)
        return 0
    if args in (["-q"], ["--quiet"]):
        return 0
    data = dict(project.data)
    data["name"] = project.name
    if args in (["--format", "json"], ["--format=json"]):
        out(json.dumps(data, indent=2))
        return 0
    if args == []:
        sys.stdout.write(yaml.safe_dump(data, default_flow_style=False, sort_keys=False))
        return 0
    raise Unsupported("fake docker: compose config %s is not implemented" % " ".join(args))


def compose_main(args, v1=False):
    files = []
    name = None
    project_dir = None
    env_file = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-f", "--file"):
            i += 1
            files.append(args[i])
        elif arg.startswith("--file="):
            files.append(arg.split("=", 1)[1])
        elif arg in ("-p", "--project-name"):
            i += 1
            name = args[i]
        elif arg.startswith("--project-name="):
            name = arg.split("=", 1)[1]
        elif arg == "--project-directory":
            i += 1
            project_dir = args[i]
        elif arg == "--env-file":
            i += 1
            env_file = args[i]
        elif arg in ("--ansi", "--progress"):
            i += 1
        elif arg.startswith(("--ansi=", "--progress=")) or arg in ("--no-ansi", "--compatibility"):
            pass
        elif arg in ("-v", "--version") and v1:
            out("docker-compose version %s, build unknown" % COMPOSE_V1_VERSION)
            return 0
        elif arg.startswith("-"):
            raise Unsupported("fake docker: compose option %s is not implemented" % arg)
        else:
            break
        i += 1
    if i >= len(args):
        raise Unsupported("fake docker: compose without a subcommand is not implemented")
    sub, rest = args[i], args[i + 1:]

    if sub == "version":
        short = "--short" in rest
        if v1:
            out(COMPOSE_V1_VERSION if short else "docker-compose version %s, build unknown" % COMPOSE_V1_VERSION)
        else:
            out(COMPOSE_VERSION if short else "Docker Compose version v%s" % COMPOSE_VERSION)
        return 0
    if sub not in ("ps", "exec", "up", "down", "config"):
        raise Unsupported("fake docker: compose %s is not implemented" % sub)
    check_daemon(sub != "config")

    project = Project(files, name, project_dir, env_file)
    if sub == "config":
        return compose_config(project, rest)
    cluster = Cluster()
    try:
        if sub == "ps":
            return compose_ps(project, cluster, rest)
        if sub == "exec":
            return compose_exec(project, cluster, rest)
        if sub == "up":
            return compose_up(project, cluster, rest)
        return compose_down(project, cluster, rest)
    finally:
        cluster.release()


# ---------------------------------------------------------------------------- docker volume

def volume_main(args):
    if not args:
        raise Unsupported("fake docker: volume without a subcommand is not implemented")
    sub, rest = args[0], args[1:]
    check_daemon(True)
    cluster = Cluster()
    try:
        # A compose file in the working directory makes its project known (the app runs from the root).
        try:
            here = find_compose_file(os.getcwd(), walk_up=False)
            cluster.register(Project([here], None, None, None))
            cluster.save()
        except (Failure, Unsupported, OSError):
            pass
        if sub in ("ls", "list"):
            return volume_ls(cluster, rest)
        if sub in ("rm", "remove"):
            return volume_rm(cluster, rest)
        raise Unsupported("fake docker: volume %s is not implemented" % sub)
    finally:
        cluster.release()


def volume_labels(name, info):
    return {"com.docker.compose.project": info["project"], "com.docker.compose.volume": info["volume"],
            "com.docker.compose.version": COMPOSE_VERSION}


def volume_ls(cluster, args):
    filters = []
    fmt = None
    quiet = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-f", "--filter"):
            i += 1
            filters.append(args[i])
        elif arg.startswith("--filter="):
            filters.append(arg.split("=", 1)[1])
        elif arg == "--format":
            i += 1
            fmt = args[i]
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg in ("-q", "--quiet"):
            quiet = True
        else:
            raise Unsupported("fake docker: volume ls %s is not implemented" % arg)
        i += 1

    def matches(name, labels):
        for f in filters:
            key, _, value = f.partition("=")
            if key == "name":
                if value not in name:
                    return False
            elif key == "label":
                lkey, eq, lvalue = value.partition("=")
                if lkey not in labels or (eq and labels[lkey] != lvalue):
                    return False
            elif key == "driver":
                if value != "local":
                    return False
            else:
                raise Unsupported("fake docker: volume ls --filter %s is not implemented" % key)
        return True

    rows = []
    for name in sorted(cluster.state["volumes"]):
        labels = volume_labels(name, cluster.state["volumes"][name])
        if matches(name, labels):
            rows.append((name, labels))
    if quiet:
        for name, _ in rows:
            out(name)
        return 0
    if fmt is None or fmt == "table":
        out("DRIVER    VOLUME NAME")
        for name, _ in rows:
            out("local     %s" % name)
        return 0
    if fmt == "json" or fmt == "{{json .}}":
        for name, labels in rows:
            out(json.dumps({"Driver": "local", "Name": name, "Scope": "local", "Mountpoint":
                            "/var/lib/docker/volumes/%s/_data" % name,
                            "Labels": ",".join("%s=%s" % kv for kv in sorted(labels.items()))}))
        return 0
    fields = {"Name", "Driver", "Scope", "Labels", "Mountpoint"}
    for field in re.findall(r"\{\{\s*\.(\w+)\s*\}\}", fmt):
        if field not in fields:
            raise Unsupported("fake docker: volume ls --format field .%s is not implemented" % field)
    for name, labels in rows:
        values = {"Name": name, "Driver": "local", "Scope": "local",
                  "Labels": ",".join("%s=%s" % kv for kv in sorted(labels.items())),
                  "Mountpoint": "/var/lib/docker/volumes/%s/_data" % name}
        text = re.sub(r"\{\{\s*\.(\w+)\s*\}\}", lambda m: values[m.group(1)], fmt)
        out(text.replace("\\t", "\t"))
    return 0


def volume_rm(cluster, args):
    names = [a for a in args if not a.startswith("-")]
    for flag in [a for a in args if a.startswith("-")]:
        if flag not in ("-f", "--force"):
            raise Unsupported("fake docker: volume rm %s is not implemented" % flag)
    if not names:
        raise Failure('"docker volume rm" requires at least 1 argument.')
    code = 0
    for name in names:
        info = cluster.state["volumes"].get(name)
        if info is None:
            err("Error response from daemon: get %s: no such volume" % name)
            code = 1
            continue
        project = cluster.state["projects"].get(info["project"], {})
        if project.get("up"):
            err("Error response from daemon: remove %s: volume is in use - [%s]"
                % (name, fake_id(name, 64)))
            code = 1
            continue
        if project.get("db_volume") == name:
            cluster.refuse_on_shared("volume rm")
            cluster.pgcluster("wipe")
        del cluster.state["volumes"][name]
        out(name)
    cluster.save()
    return code


# ---------------------------------------------------------------------------- docker itself

def check_daemon(needed):
    if needed and os.environ.get("FAKE_DOCKER_NO_DAEMON") == "1":
        raise Failure("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                      "Is the docker daemon running?", 1)


def format_template(fmt, values):
    def replace(match):
        key = match.group(1)
        if key not in values:
            raise Unsupported("fake docker: template field %s is not implemented" % key)
        return values[key]
    return re.sub(r"\{\{\s*\.([\w.]+)\s*\}\}", replace, fmt)


def docker_version(args):
    if args and args[0] in ("--format", "-f") and len(args) == 2:
        if "Server" in args[1]:
            check_daemon(True)
        out(format_template(args[1], {"Client.Version": ENGINE_VERSION, "Server.Version": ENGINE_VERSION,
                                      "Client.APIVersion": "1.43", "Server.APIVersion": "1.43"}))
        return 0
    if args:
        raise Unsupported("fake docker: version %s is not implemented" % " ".join(args))
    out("Client:\n Version:           %s\n API version:       1.43\n Context:           default\n" % ENGINE_VERSION)
    check_daemon(True)
    out("Server: Docker Engine - Community (MigrationDesk test fake)\n Engine:\n  Version:          %s\n"
        "  API version:      1.43 (minimum version 1.12)" % ENGINE_VERSION)
    return 0


def docker_info(args):
    check_daemon(True)
    if args and args[0] in ("--format", "-f") and len(args) == 2:
        out(format_template(args[1], {"ServerVersion": ENGINE_VERSION, "OperatingSystem": "Debian GNU/Linux 12"}))
        return 0
    if args:
        raise Unsupported("fake docker: info %s is not implemented" % " ".join(args))
    out("Server Version: %s\nOperating System: Debian GNU/Linux 12 (MigrationDesk test fake)" % ENGINE_VERSION)
    return 0


def docker_main(args):
    while args and args[0] in ("--context", "-c", "--log-level", "-l"):
        args = args[2:]
    if not args:
        raise Unsupported("fake docker: docker without a command is not implemented")
    command, rest = args[0], args[1:]
    if command in ("-v", "--version"):
        out("Docker version %s, build fake" % ENGINE_VERSION)
        return 0
    if command == "version":
        return docker_version(rest)
    if command == "info":
        return docker_info(rest)
    if command == "compose":
        if os.environ.get("FAKE_DOCKER_NO_COMPOSE_V2") == "1":
            err("docker: 'compose' is not a docker command.\nSee 'docker --help'")
            return 1
        return compose_main(rest)
    if command == "volume":
        return volume_main(rest)
    raise Unsupported("fake docker: `docker %s` is not implemented" % command)


def main(entry):
    args = sys.argv[1:]
    try:
        if entry == "docker-compose":
            if os.environ.get("FAKE_DOCKER_NO_COMPOSE_V1") == "1":
                err("docker-compose: command not found")
                return 127
            return compose_main(args, v1=True)
        return docker_main(args)
    except Unsupported as exc:
        err(str(exc))
        return 125
    except Failure as exc:
        err(str(exc))
        return exc.code
    except IndexError:
        err("fake docker: an option is missing its value")
        return 125
    except KeyboardInterrupt:
        return 130
