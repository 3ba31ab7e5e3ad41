"""tests/integration/lib.py: the real stack for integration tests.

One Stack is started for the whole run (tests/run): a private PostgreSQL
cluster, the neuvo master built with AddressSanitizer, and a private nginx,
all on free ports under a temporary directory, through conf/stack, the same
script `make run` uses.  Tests talk HTTP to nginx and SQL to the database.
"""
import json, os, shutil, signal, socket, subprocess, tempfile, time, urllib.error, urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.raw = status, headers, body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:200])


class Stack:
    def __init__(self):
        self.var = tempfile.mkdtemp(prefix="neuvo-test.")
        os.chmod(self.var, 0o755)
        self.port = free_port()
        self.env = dict(os.environ, PORT=str(self.port), NEUVO_VAR=self.var,
                        NEUVO_PG_PORT=str(free_port()),
                        NEUVO_BIN=os.path.join(TOP, "build/asan/neuvo"),
                        NEUVO_WORKERS="3", NEUVO_LISTEN_EXTRA="127.0.0.2",
                        ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86",
                        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        self.url = "http://127.0.0.1:%d" % self.port

    def run(self, *args, check=True):
        return subprocess.run([os.path.join(TOP, "conf/stack")] + list(args), env=self.env,
                              cwd=TOP, capture_output=True, text=True, check=check)

    def up(self):
        p = self.run("up", check=False)
        if p.returncode != 0:
            raise RuntimeError("stack up failed:\n" + p.stdout + p.stderr + self.log())

    def down(self):
        self.run("down", check=False)

    def cleanup(self):
        base = open(os.path.join(self.var, "pgbase")).read().strip() if os.path.exists(
            os.path.join(self.var, "pgbase")) else None
        shutil.rmtree(self.var, ignore_errors=True)
        if base and base.startswith("/tmp/neuvo-pg."):
            shutil.rmtree(base, ignore_errors=True)

    @property
    def dburl(self):
        return self.run("dburl").stdout.strip()

    def psql(self, sql, user=None, check=True):
        """Runs sql; returns rows as lists of strings (tab-separated)."""
        db = self.dburl + ((" user=" + user) if user else "")
        p = subprocess.run(["psql", db, "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("psql: " + p.stderr)
        if not check:
            return p
        return [l.split("\t") for l in p.stdout.splitlines()]

    def request(self, method, path, body=None, headers=None, raw=None, host="127.0.0.1", timeout=10):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {"Content-Type": "application/json"} if data is not None else {}
        h.update(headers or {})
        url = "http://%s:%d%s" % (host, self.port, path)
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Reply(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.headers, e.read())
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            return Reply(0, {}, b"")  # nothing listening (yet)

    def chat(self, message, lang=None, session=None, **extra):
        body = {"message": message}
        if lang:
            body["lang"] = lang
        if session:
            body["session"] = session
        body.update(extra)
        return self.request("POST", "/api/chat", body)

    def master_pid(self):
        return int(open(os.path.join(self.var, "neuvo.pid")).read())

    def worker_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.master_pid())], capture_output=True, text=True).stdout
        return sorted(int(x) for x in out.split())

    def log(self):
        try:
            return open(os.path.join(self.var, "neuvo.log"), encoding="utf-8", errors="replace").read()
        except OSError:
            return ""

    def wait_workers(self, n, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if len(self.worker_pids()) == n:
                return True
            time.sleep(0.05)
        return False


def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)
