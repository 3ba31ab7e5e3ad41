"""The prefork master and its workers under real signals (app/master.c,
app/worker.c).  Tests on the shared stack leave it as they found it: three
workers, the master alive, conf as written by conf/stack.  Tests that stop
or break a master start one of their own (Master below) on a private
socket, against the shared stack's database, and talk FastCGI to it."""
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time

from lib import TOP, check

WORKERS = 3
JSON_CT = "application/json; charset=utf-8"


# --- helpers ---------------------------------------------------------------

def wait_for(cond, timeout, step=0.05):
    end = time.time() + timeout
    while True:
        v = cond()
        if v or time.time() > end:
            return v
        time.sleep(step)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def neuvo_bin(stack):
    """The executable the shared stack runs: build/asan/neuvo may be rebuilt
    meanwhile for a newer schema than the shared database has."""
    exe = "/proc/%d/exe" % stack.master_pid()
    return exe if os.path.exists(exe) else stack.env["NEUVO_BIN"]


def conf_path(stack):
    return os.path.join(stack.var, "neuvo.conf")


def set_conf(text, **kv):
    """text with the given keys' values replaced (or appended)."""
    for k, v in kv.items():
        text, n = re.subn(r"(?m)^%s\s*=.*$" % k, "%s = %s" % (k, v), text)
        if n == 0:
            text += "\n%s = %s\n" % (k, v)
    return text


def count(stack_log, pattern):
    return len(re.findall(pattern, stack_log))


def healthy(stack):
    """The shared stack is as a test should leave it."""
    check(alive(stack.master_pid()), "the master died")
    check(stack.wait_workers(WORKERS, timeout=15), "workers: %r" % stack.worker_pids())
    r = stack.request("GET", "/api/health")
    check(r.status == 200, r)


def reload(stack, text=None, expect="reloaded"):
    """Writes text as the configuration (if given), sends SIGHUP and waits
    for the master to log `expect`; for a reload, also for the new
    generation to replace every old worker."""
    old = set(stack.worker_pids())
    pat = r"reloaded: generation \d+" if expect == "reloaded" else r"reload refused"
    before = count(stack.log(), pat)
    if text is not None:
        with open(conf_path(stack), "w") as f:
            f.write(text)
    os.kill(stack.master_pid(), signal.SIGHUP)
    check(wait_for(lambda: count(stack.log(), pat) > before, 10),
          "no %r in the log after SIGHUP:\n%s" % (pat, stack.log()[-2000:]))
    if expect == "reloaded":
        check(wait_for(lambda: len(stack.worker_pids()) == WORKERS and
                       not (set(stack.worker_pids()) & old), 15),
              "old workers %r still there: %r" % (old, stack.worker_pids()))
    return old


class Traffic:
    """Threads posting chat turns and health checks in a loop; every reply
    is recorded as (start, end, status, body)."""

    def __init__(self, stack, threads=3, pause=0.0):
        self.stack, self.pause, self.results = stack, pause, []
        self.lock, self.stop_ev = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.loop, args=(i,), daemon=True)
                        for i in range(threads)]
        for t in self.threads:
            t.start()

    def loop(self, i):
        n = 0
        while not self.stop_ev.is_set():
            t0 = time.time()
            try:
                if (i + n) % 3 == 2:
                    r = self.stack.request("GET", "/api/health", timeout=15)
                else:
                    r = self.stack.chat(("Miten uusin reseptin?", "hei", "Hur förnyar jag mitt recept?")[n % 3],
                                        session="traffic-%d" % i)
                res = (t0, time.time(), r.status, r.raw[:300])
            except Exception as e:  # a reset connection is a failure too
                res = (t0, time.time(), None, repr(e).encode())
            with self.lock:
                self.results.append(res)
            n += 1
            if self.pause:
                time.sleep(self.pause)

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            t.join(20)
        return list(self.results)


def fresh_turn(stack):
    r = stack.chat("Miten uusin reseptin?", lang="fi")
    check(r.status == 200, r)
    return r.json["turn_id"]


class Held:
    """Locks the given chat turns FOR UPDATE in an open transaction: rating
    one of them (POST /api/feedback thumbs) then waits in the database, so
    a request stays in flight in a worker for as long as the test wants."""

    def __init__(self, stack, turn_ids):
        self.stack = stack
        self.p = subprocess.Popen(["psql", stack.dburl, "-XAtq", "-v", "ON_ERROR_STOP=1"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.p.stdin.write("BEGIN;\nWITH l AS (SELECT id FROM chat.turn WHERE id IN (%s) "
                           "FOR UPDATE) SELECT count(*) FROM l;\n\\echo locked\n"
                           % ",".join("'%s'" % t for t in turn_ids))
        self.p.stdin.flush()
        n = self.p.stdout.readline().strip()
        ok = self.p.stdout.readline().strip()
        if n != str(len(turn_ids)) or ok != "locked":
            self.release()
            raise AssertionError("could not lock the turns: %r %r %s" % (n, ok, self.p.stderr.read()))

    def waiting(self):
        """How many of the service's queries wait for a lock."""
        return int(self.stack.psql("SELECT count(*) FROM pg_stat_activity WHERE "
                                   "application_name = 'neuvo' AND wait_event_type = 'Lock'")[0][0])

    def release(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write("COMMIT;\n")
                self.p.stdin.close()
            except OSError:
                pass
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


class Call(threading.Thread):
    """fn() in a thread; .result is its value or the exception it raised."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.result = fn, None
        self.start()

    def run(self):
        try:
            self.result = self.fn()
        except Exception as e:
            self.result = e


def fcgi(sock, method, uri, body=b"", timeout=20):
    """One FastCGI request as nginx would send it.  Returns (status,
    headers, body), or None when the connection closed without a reply."""
    params = {"REQUEST_METHOD": method, "DOCUMENT_URI": uri, "SCRIPT_NAME": uri,
              "REQUEST_URI": uri, "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
              "GATEWAY_INTERFACE": "CGI/1.1", "CONTENT_TYPE": "application/json" if body else "",
              "CONTENT_LENGTH": str(len(body)) if body else ""}

    def rec(t, content):
        return struct.pack("!BBHHBx", 1, t, 1, len(content), 0) + content

    def ln(n):
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)

    pdata = b"".join(ln(len(k)) + ln(len(v.encode())) + k.encode() + v.encode()
                     for k, v in params.items())
    msg = (rec(1, struct.pack("!HB5x", 1, 0)) + rec(4, pdata) + rec(4, b"") +
           (rec(5, body) if body else b"") + rec(5, b""))
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    out, buf, ended = b"", b"", False
    try:
        s.connect(sock)
        s.sendall(msg)
        while not ended:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 8:
                _, t, _, clen, plen = struct.unpack("!BBHHB", buf[:7])
                if len(buf) < 8 + clen + plen:
                    break
                if t == 6:
                    out += buf[8:8 + clen]
                elif t == 3:
                    ended = True
                buf = buf[8 + clen + plen:]
    finally:
        s.close()
    if not ended:
        return None
    head, _, b = out.partition(b"\r\n\r\n")
    m = re.search(rb"^Status: (\d{3})", head, re.M)
    return (int(m.group(1)) if m else 200), head.decode(), b


class Master:
    """A neuvo master of our own: build/asan/neuvo -f a copy of
    conf/neuvo.conf on a private socket, against the shared database."""

    def __init__(self, stack, env=None, sock=None, **conf):
        self.stack = stack
        self.dir = tempfile.mkdtemp(prefix="neuvo-master.")
        self.sock = sock or os.path.join(self.dir, "neuvo.sock")
        self.conf = os.path.join(self.dir, "neuvo.conf")
        self.logpath = os.path.join(self.dir, "neuvo.log")
        self.workers = int(conf.get("workers", 2))
        text = open(os.path.join(TOP, "conf/neuvo.conf")).read()
        with open(self.conf, "w") as f:
            f.write(set_conf(text, listen=self.sock, **dict({"workers": self.workers}, **conf)))
        self.env = dict(stack.env, NEUVO_DB=stack.dburl, **(env or {}))
        self.bin = neuvo_bin(stack)
        with open(self.logpath, "ab") as log:
            self.proc = subprocess.Popen([self.bin, "-f", self.conf], cwd=TOP,
                                         env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid

    def log(self):
        try:
            return open(self.logpath, encoding="utf-8", errors="replace").read()
        except OSError:
            return ""

    def children(self):
        out = subprocess.run(["pgrep", "-P", str(self.pid)], capture_output=True, text=True).stdout
        return sorted(int(x) for x in out.split())

    def started(self):
        """Every worker pid the master logged."""
        return [int(p) for p in re.findall(r"started worker \d+ pid (\d+)", self.log())]

    def wait_ready(self, timeout=20):
        """Every worker started and the service answers /api/health."""
        ok = wait_for(lambda: os.path.exists(self.sock) and len(self.children()) == self.workers,
                      timeout)
        check(ok, "master not ready (children %r, socket %s):\n%s" % (
            self.children(), os.path.exists(self.sock), self.log()[-3000:]))
        r = wait_for(lambda: (fcgi(self.sock, "GET", "/api/health") or [0])[0] == 200, timeout,
                     step=0.2)
        check(r, "no healthy worker:\n" + self.log()[-3000:])

    def exited(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def sanitizer_clean(self):
        bad = re.findall(r"(ERROR: (?:Address|Leak)Sanitizer.*|runtime error:.*)", self.log())
        check(not bad, "sanitizer report: %r" % bad[:3])

    def close(self):
        """Stops whatever is left of it: the master, then any worker still
        alive (only pids this master logged, and only if still neuvo)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in self.started():
            try:
                if alive(pid) and self.bin.encode() in open(
                        "/proc/%d/cmdline" % pid, "rb").read():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def shim(dirname, body):
    """A shared object replacing libvoikko's voikkoInit, for LD_PRELOAD."""
    src, so = os.path.join(dirname, "shim.c"), os.path.join(dirname, "shim.so")
    with open(src, "w") as f:
        f.write("#include <unistd.h>\nconst char *voikkoInit(const char **e, const char *l, "
                "const char *p) { (void)l; (void)p; %s }\n" % body)
    p = subprocess.run(["cc", "-shared", "-fPIC", "-o", so, src], capture_output=True, text=True)
    check(p.returncode == 0, p.stderr)
    return so


def preload_env(stack, so):
    # The AddressSanitizer runtime wants to come first; the shim is harmless.
    return {"LD_PRELOAD": so,
            "ASAN_OPTIONS": stack.env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}


# --- neuvo -n --------------------------------------------------------------

def test_01_check_configuration(stack):
    d = tempfile.mkdtemp(prefix="neuvo-conf.")
    try:
        base = open(conf_path(stack)).read()
        lines = base.splitlines()

        def run(text):
            path = os.path.join(d, "neuvo.conf")
            with open(path, "w") as f:
                f.write(text)
            p = subprocess.run([neuvo_bin(stack), "-n", "-f", path], cwd=TOP,
                               env=stack.env, capture_output=True, text=True, timeout=30)
            return path, p

        path, p = run(base)
        check(p.returncode == 0 and "valid" in p.stdout, (p.returncode, p.stdout, p.stderr))
        for key, value in (("workers", "0"), ("workers", "abc"), ("workers", "65"),
                           ("workers", ""), ("socket_mode", "999"), ("socket_mode", "1777"),
                           ("max_body", "100"), ("max_requests", "-1"),
                           ("shutdown_timeout", "0"), ("log_level", "loud"),
                           ("answer_threshold", "1.5"), ("answer_threshold", "0.5x")):
            n = next(i for i, l in enumerate(lines) if l.startswith(key + " ")) + 1
            path, p = run(set_conf(base, **{key: value}))
            check(p.returncode != 0, "%s = %s accepted: %s" % (key, value, p.stdout))
            check("%s:%d:" % (path, n) in p.stderr and key in p.stderr,
                  "%s = %s: the error names no line %d: %r" % (key, value, n, p.stderr))
        for extra, what in (("colour = blue", "colour"), ("just some words", "key = value")):
            path, p = run(base.rstrip("\n") + "\n" + extra + "\n")
            n = len(base.rstrip("\n").splitlines()) + 1
            check(p.returncode != 0, "%r accepted" % extra)
            check("%s:%d:" % (path, n) in p.stderr and what in p.stderr, (extra, p.stderr))
        path, p = run(set_conf(base, clarify_threshold="0.9", answer_threshold="0.6"))
        check(p.returncode != 0 and "clarify_threshold" in p.stderr, p.stderr)
        path, p = run(set_conf(base, unavailable_file="/nonexistent/unavailable.json"))
        check(p.returncode != 0 and "/nonexistent/unavailable.json" in p.stderr, p.stderr)
        path, p = run(set_conf(base, lang_dir="/nonexistent/lang"))
        check(p.returncode != 0 and "/nonexistent/lang" in p.stderr, p.stderr)
        p = subprocess.run([neuvo_bin(stack), "-n", "-f", os.path.join(d, "missing.conf")],
                           cwd=TOP, env=stack.env, capture_output=True, text=True, timeout=30)
        check(p.returncode != 0 and "missing.conf" in p.stderr, p.stderr)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- the shared stack: a killed worker, reloads, recycling ------------------

def test_02_killed_worker_is_replaced(stack):
    healthy(stack)
    old = stack.worker_pids()
    victim = old[0]
    traffic = Traffic(stack, threads=3)
    try:
        check(wait_for(lambda: len(traffic.results) >= 10, 5), "no traffic")
        t_kill = time.time()
        os.kill(victim, signal.SIGKILL)
        check(wait_for(lambda: len(stack.worker_pids()) == WORKERS and
                       victim not in stack.worker_pids(), 10),
              "not replaced: %r" % stack.worker_pids())
        t_replaced = time.time()
        n = len(traffic.results)
        check(wait_for(lambda: len(traffic.results) >= n + 30, 10), "traffic stalled")
    finally:
        results = traffic.stop()
    new = stack.worker_pids()
    check(len(new) == WORKERS and len(set(new) - set(old)) == 1, (old, new))
    failed = [r for r in results if r[2] != 200]
    check(len(failed) <= 1, "%d requests failed: %r" % (len(failed), failed[:5]))
    for t0, t1, status, body in failed:
        # The one request the dead worker was serving: nginx's JSON 503.
        check(t0 <= t_replaced and status == 503 and b'"unavailable"' in body, failed)
    check(all(r[2] == 200 for r in results if r[0] > t_replaced), "failures after replacement")
    check(any(r[0] > t_replaced for r in results) and any(r[1] < t_kill for r in results),
          "no traffic around the kill")
    m = re.search(r"worker \d+ pid %d killed by signal 9 after \d+s" % victim, stack.log())
    check(m, "no death line for pid %d:\n%s" % (victim, stack.log()[-2000:]))
    healthy(stack)


def test_03_reload_under_traffic_loses_nothing(stack):
    healthy(stack)
    turn_id = fresh_turn(stack)
    held = Held(stack, [turn_id])
    traffic = None
    try:
        # One request stays in flight in an old worker across the reload.
        inflight = Call(lambda: stack.request("POST", "/api/feedback",
                                              {"turn_id": turn_id, "helpful": True}, timeout=30))
        check(wait_for(lambda: held.waiting() == 1, 5), "the held request never reached the db")
        old = set(stack.worker_pids())
        traffic = Traffic(stack, threads=3)
        check(wait_for(lambda: len(traffic.results) >= 10, 5), "no traffic")
        before = count(stack.log(), r"reloaded: generation \d+")
        os.kill(stack.master_pid(), signal.SIGHUP)
        check(wait_for(lambda: count(stack.log(), r"reloaded: generation \d+") > before, 10),
              "no 'reloaded' in the log")
        # The new generation serves; idle old workers leave, the busy one stays.
        check(wait_for(lambda: len(old & set(stack.worker_pids())) == 1 and
                       len(set(stack.worker_pids()) - old) == WORKERS, 10),
              "old %r, now %r" % (old, stack.worker_pids()))
        n = len(traffic.results)
        t_end = time.time() + 2
        wait_for(lambda: time.time() > t_end, 3)
        check(len(traffic.results) > n + 10, "traffic stalled after the reload")
        check(inflight.is_alive(), "the held request ended early: %r" % (inflight.result,))
        held.release()
        inflight.join(15)
        check(not inflight.is_alive(), "the held request never ended")
        r = inflight.result
        check(not isinstance(r, Exception) and r.status == 201 and r.json == {"ok": True},
              "in-flight request across the reload: %r" % (r,))
    finally:
        held.release()
        results = traffic.stop() if traffic else []
    failed = [r for r in results if r[2] != 200]
    check(not failed, "%d of %d requests failed: %r" % (len(failed), len(results), failed[:5]))
    check(wait_for(lambda: not (old & set(stack.worker_pids())), 10), "old worker left behind")
    check(len(stack.worker_pids()) == WORKERS, stack.worker_pids())
    healthy(stack)


def test_04_bad_reload_is_refused(stack):
    healthy(stack)
    good = open(conf_path(stack)).read()
    try:
        lines = good.splitlines()
        n = next(i for i, l in enumerate(lines) if l.startswith("workers ")) + 1
        pids = stack.worker_pids()
        reload(stack, set_conf(good, workers="abc"), expect="refused")
        line = re.findall(r".*reload refused.*", stack.log())[-1]
        check("neuvo.conf:%d:" % n in line and "workers" in line, line)
        # Nothing changed: the same workers keep serving.
        for _ in range(10):
            r = stack.chat("Miten uusin reseptin?", lang="fi")
            check(r.status == 200, r)
        check(stack.worker_pids() == pids, (pids, stack.worker_pids()))
        check(alive(stack.master_pid()), "master died")
    finally:
        with open(conf_path(stack), "w") as f:
            f.write(good)
    # A good configuration is taken again afterwards.
    reload(stack)
    healthy(stack)


def test_05_reload_refuses_what_check_refuses(stack):
    """A configuration that `neuvo -n` (and so the next start) refuses must
    not be reported as reloaded."""
    healthy(stack)
    good = open(conf_path(stack)).read()
    bad = set_conf(good, unavailable_file="/nonexistent/unavailable.json")
    d = tempfile.mkdtemp(prefix="neuvo-conf.")
    try:
        path = os.path.join(d, "neuvo.conf")
        with open(path, "w") as f:
            f.write(bad)
        p = subprocess.run([neuvo_bin(stack), "-n", "-f", path], cwd=TOP, env=stack.env,
                           capture_output=True, text=True, timeout=30)
        check(p.returncode != 0, "neuvo -n accepts it")
        refused = count(stack.log(), r"reload refused")
        reloaded = count(stack.log(), r"reloaded: generation \d+")
        with open(conf_path(stack), "w") as f:
            f.write(bad)
        os.kill(stack.master_pid(), signal.SIGHUP)
        check(wait_for(lambda: count(stack.log(), r"reload refused") > refused or
                       count(stack.log(), r"reloaded: generation \d+") > reloaded, 10),
              "the master said nothing")
        check(count(stack.log(), r"reload refused") > refused,
              "reloaded a configuration that neuvo -n refuses: %s" % p.stderr.strip())
    finally:
        shutil.rmtree(d, ignore_errors=True)
        with open(conf_path(stack), "w") as f:
            f.write(good)
    reload(stack)
    healthy(stack)


def test_06_max_requests_recycles_workers(stack):
    healthy(stack)
    good = open(conf_path(stack)).read()
    try:
        start = len(stack.log())
        reload(stack, set_conf(good, max_requests="5", max_body="1024"))
        statuses = []
        for i in range(30):
            r = stack.chat(("Miten uusin reseptin?", "hei", "aika")[i % 3], lang="fi")
            statuses.append(r.status)
        check(statuses == [200] * 30, statuses)
        # The worker's own body limit, below nginx's: its JSON 413.
        r = stack.request("POST", "/api/chat", {"message": "a" * 900, "lang": "fi",
                                                "session": "x" * 64, "pad": "p" * 200})
        check(r.status == 413 and r.json["error"]["code"] == "body_too_large", r)
        check(r.headers.get("Content-Type") == JSON_CT and
              r.headers.get("Cache-Control") == "no-store", dict(r.headers))
        r = stack.request("POST", "/api/chat", {"message": "a" * 900})
        check(r.status == 200, r)
        log = stack.log()[start:]
        recycled = re.findall(r"\[worker (\d+) pid (\d+)\] \w+: recycling after 5 requests", log)
        check(len(recycled) >= 3, "recycled %d times:\n%s" % (len(recycled), log[-2000:]))
        for wid, pid in recycled:
            # A clean exit (86 is AddressSanitizer's exit code for a leak,
            # which the runner's sanitizer check reports on its own).
            pat = r"worker %s pid %s exited with status (0|86) " % (wid, pid)
            check(wait_for(lambda: re.search(pat, stack.log()[start:]), 10),
                  "worker %s pid %s recycled but did not exit cleanly:\n%s" % (
                      wid, pid, stack.log()[-2000:]))
        # Each one replaced: the reload's generation plus one per recycle.
        check(wait_for(lambda: count(stack.log()[start:], r"started worker") >=
                       WORKERS + len(recycled), 10), stack.log()[-2000:])
        check(wait_for(lambda: len(stack.worker_pids()) == WORKERS, 10), stack.worker_pids())
    finally:
        with open(conf_path(stack), "w") as f:
            f.write(good)
        reload(stack)
    r = stack.request("POST", "/api/chat", {"message": "a" * 900, "lang": "fi",
                                            "session": "x" * 64, "pad": "p" * 200})
    check(r.status == 200, "max_body not restored: %r" % r)
    healthy(stack)


# --- masters of our own ----------------------------------------------------

def test_07_fatal_worker_is_not_respawned(stack):
    d = tempfile.mkdtemp(prefix="neuvo-shim.")
    m = None
    try:
        so = shim(d, '*e = "test: no dictionary"; return 0;')
        m = Master(stack, env=preload_env(stack, so), workers=3)
        rc = m.exited(10)
        check(rc == 78, "master exit status %r:\n%s" % (rc, m.log()[-2000:]))
        log = m.log()
        check(len(m.started()) == 3, "started %d workers" % len(m.started()))
        check(count(log, r"exited with status 78") == 3, log)
        check(count(log, r"not respawned") == 3, log)
        check("giving up" in log, log)
        check(not os.path.exists(m.sock), "socket left behind")
        m.sanitizer_clean()
    finally:
        if m:
            m.close()
        shutil.rmtree(d, ignore_errors=True)


def test_08_crash_loop_is_throttled(stack):
    d = tempfile.mkdtemp(prefix="neuvo-shim.")
    m = None
    try:
        so = shim(d, "(void)e; _exit(3);")
        m = Master(stack, env=preload_env(stack, so), workers=2)
        t0 = time.time()
        check(wait_for(lambda: "respawn delayed" in m.log(), 5),
              "no throttle:\n" + m.log()[-2000:])
        wait_for(lambda: time.time() > t0 + 2.5, 3)
        n, elapsed = len(m.started()), time.time() - t0
        check(m.proc.poll() is None, "the master gave up on a crash loop:\n" + m.log()[-2000:])
        # 2 + 4 immediate respawns, then about 2 a second.
        check(6 <= n <= 8 + 3 * elapsed, "%d workers started in %.1fs" % (n, elapsed))
        check("not respawned" not in m.log(), "a crash taken for a fatal error")
        m.proc.send_signal(signal.SIGTERM)
        rc = m.exited(10)
        check(rc == 0, "exit status %r after SIGTERM:\n%s" % (rc, m.log()[-2000:]))
        log = m.log()
        check("stopping:" in log and "started worker" not in log.split("stopping:", 1)[1],
              "spawned while stopping:\n" + log[-2000:])
        m.sanitizer_clean()
    finally:
        if m:
            m.close()
        shutil.rmtree(d, ignore_errors=True)


def test_09_sigterm_finishes_requests_then_stops(stack):
    m = Master(stack, workers=3, shutdown_timeout=10)
    held = None
    try:
        m.wait_ready()
        # A slow stream of requests is served.
        for _ in range(10):
            r = fcgi(m.sock, "GET", "/api/health")
            check(r and r[0] == 200, r)
            time.sleep(0.02)
        r = fcgi(m.sock, "POST", "/api/chat", b'{"message": "Miten uusin reseptin?"}')
        check(r and r[0] == 200 and JSON_CT in r[1], r)
        workers = m.children()
        turns = [fresh_turn(stack), fresh_turn(stack)]
        held = Held(stack, turns)
        calls = [Call(lambda t=t: fcgi(m.sock, "POST", "/api/feedback",
                                       ('{"turn_id": "%s", "helpful": false}' % t).encode()))
                 for t in turns]
        check(wait_for(lambda: held.waiting() == 2, 5), "requests not in flight")
        t_term = time.time()
        m.proc.send_signal(signal.SIGTERM)
        # The idle worker leaves at once; the two busy ones finish first.
        check(wait_for(lambda: len(m.children()) == 2, 5),
              "children after TERM: %r" % m.children())
        check(m.proc.poll() is None and all(c.is_alive() for c in calls),
              "gave up on requests in flight")
        held.release()
        for c in calls:
            c.join(15)
            check(not isinstance(c.result, Exception) and c.result is not None and
                  c.result[0] == 201 and c.result[2] == b'{"ok":true}',
                  "in-flight request: %r" % (c.result,))
        rc = m.exited(12)
        check(rc == 0, "master exit status %r:\n%s" % (rc, m.log()[-2000:]))
        check(time.time() - t_term < 10, "took longer than shutdown_timeout")
        check(not any(alive(p) for p in workers), "workers left: %r" % workers)
        check(not os.path.exists(m.sock), "the socket file is left behind")
        log = m.log()
        check(re.search(r"master_run: stopped", log), log[-1000:])
        check("shutdown timeout" not in log, log[-1000:])
        check(stack.psql("SELECT count(*) FROM chat.rating WHERE turn_id IN ('%s','%s') "
                         "AND NOT helpful" % tuple(turns)) == [["2"]], "ratings not stored")
        m.sanitizer_clean()
    finally:
        if held:
            held.release()
        m.close()


def test_10_shutdown_timeout_kills_a_stuck_worker(stack):
    m = Master(stack, workers=2, shutdown_timeout=1)
    held = None
    try:
        m.wait_ready()
        workers = m.children()
        t = fresh_turn(stack)
        held = Held(stack, [t])
        call = Call(lambda: fcgi(m.sock, "POST", "/api/feedback",
                                 ('{"turn_id": "%s", "helpful": true}' % t).encode()))
        check(wait_for(lambda: held.waiting() == 1, 5), "request not in flight")
        t_term = time.time()
        m.proc.send_signal(signal.SIGTERM)
        rc = m.exited(6)
        took = time.time() - t_term
        check(rc == 0, "master exit status %r:\n%s" % (rc, m.log()[-2000:]))
        check(0.9 <= took <= 3.5, "stopped after %.1fs with shutdown_timeout = 1" % took)
        check(re.search(r"shutdown timeout: killing 1 workers", m.log()), m.log()[-2000:])
        check(re.search(r"killed by signal 9", m.log()), m.log()[-2000:])
        check(not any(alive(p) for p in workers), "workers left")
        call.join(5)
        check(call.result is None, "the killed request got a reply: %r" % (call.result,))
        check(not os.path.exists(m.sock), "socket left behind")
    finally:
        if held:
            held.release()
        m.close()


def test_11_killed_master_leaves_nothing_behind(stack):
    m = Master(stack, workers=2)
    m2 = None
    try:
        m.wait_ready()
        workers = m.children()
        m.proc.kill()
        m.proc.wait()
        # A new master on the same socket starts and serves despite the leftovers.
        m2 = Master(stack, workers=2, sock=m.sock)
        m2.wait_ready()
        r = fcgi(m.sock, "GET", "/api/health")
        check(r and r[0] == 200, r)
        # Orphaned workers notice that their master is gone and leave.
        check(wait_for(lambda: not any(alive(p) for p in workers), 3),
              "workers %r of a SIGKILLed master still run" % [p for p in workers if alive(p)])
        m2.proc.send_signal(signal.SIGTERM)
        check(m2.exited(12) == 0, m2.log()[-2000:])
    finally:
        if m2:
            m2.close()
        m.close()
