"""The embedded default and its commands: migrations applied once and
recorded, NEUVO_DB pointing at an existing database, and `make run`
stopping everything it started on Ctrl-C."""
import os, shutil, signal, subprocess, tempfile, time

import lib
from lib import check


def test_migrations_apply_only_new_ones(stack):
    before = stack.psql("SELECT count(*) FROM public.schema_migrations")[0][0]
    stack.chat("Miten uusin reseptin?", lang="fi")
    turns = stack.psql("SELECT count(*) FROM chat.turn")[0][0]
    p = stack.run("migrate")
    check("migrate:" not in p.stderr, "re-applied: " + p.stderr)
    # A copy of sql/ with one migration more applies just that one.
    tmp = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(lib.TOP, "sql"), os.path.join(tmp, "sql"))
        with open(os.path.join(tmp, "sql/migrations/999_test.sql"), "w") as f:
            f.write("CREATE TABLE public.migration_probe (x integer);\n")
        p = subprocess.run([os.path.join(tmp, "sql/migrate"), stack.dburl],
                           capture_output=True, text=True)
        check(p.returncode == 0 and p.stderr.strip() == "migrate: 999_test", p.stderr)
    finally:
        shutil.rmtree(tmp)
        stack.psql("DROP TABLE IF EXISTS public.migration_probe; "
                   "DELETE FROM public.schema_migrations WHERE version = '999_test'")
    check(stack.psql("SELECT count(*) FROM public.schema_migrations")[0][0] == before)
    check(stack.psql("SELECT count(*) FROM chat.turn")[0][0] == turns, "data lost")


def running(pid):
    """Alive and not a zombie waiting for a parent that is gone."""
    try:
        state = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def external(stack, name):
    """A second stack whose NEUVO_DB names a database of the first's cluster."""
    stack.psql("DROP DATABASE IF EXISTS %s" % name)
    stack.psql("CREATE DATABASE %s" % name)
    s = lib.Stack()
    s.env["NEUVO_DB"] = stack.dburl.replace("dbname=neuvo", "dbname=" + name)
    return s


def test_neuvo_db_uses_an_existing_database(stack):
    s = external(stack, "neuvo_ext")
    try:
        s.up()
        check(s.dburl == s.env["NEUVO_DB"], s.dburl)
        check(not os.path.exists(os.path.join(s.var, "pgbase")), "made a private cluster")
        r = s.chat("Miten uusin reseptin?", lang="fi")
        check(r.status == 200 and r.json["kind"] == "answer", r)
        rows = stack.psql("SELECT count(*) FROM chat.turn", check=True)
        db = s.env["NEUVO_DB"]
        n = subprocess.run(["psql", db, "-XAtc", "SELECT count(*) FROM chat.turn"],
                           capture_output=True, text=True).stdout.strip()
        check(n == "1", "the turn is not in the external database: %s" % n)
    finally:
        s.down()
        s.cleanup()
    # Stopping it left the first stack's cluster running.
    check(stack.request("GET", "/api/health").status == 200)
    stack.psql("DROP DATABASE neuvo_ext")


def test_make_run_stops_everything_on_ctrl_c(stack):
    s = external(stack, "neuvo_run")
    proc = subprocess.Popen([os.path.join(lib.TOP, "conf/stack"), "run"], env=s.env,
                            cwd=lib.TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        end = time.time() + 60
        while time.time() < end and s.request("GET", "/api/health").status != 200:
            time.sleep(0.2)
        check(s.request("GET", "/api/health").status == 200, "make run did not come up")
        master = s.master_pid()
        nginx = int(open(os.path.join(s.var, "nginx/nginx.pid")).read())
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        check("http://127.0.0.1:%d" % s.port in out, "no URL printed")
        for pid in (master, nginx):
            check(not running(pid), "pid %d still running after Ctrl-C" % pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        s.down()
        s.cleanup()
        stack.psql("DROP DATABASE IF EXISTS neuvo_run")
