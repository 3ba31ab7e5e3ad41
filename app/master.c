/*
 * master.c: the prefork master, after nginx's master loop and php-fpm's
 * process manager.  Signals are blocked and the master sleeps in
 * sigsuspend(2), so none is lost.  It replaces a worker that dies (and
 * logs pid, status and uptime), throttles a crash loop, does not respawn
 * a worker that exits with NEUVO_EXIT_FATAL, reloads on SIGHUP by starting
 * the new generation before retiring the old one, and stops on
 * SIGTERM/SIGINT: workers finish what they serve, then SIGKILL after
 * shutdown_timeout.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "langid.h"
#include "log.h"
#include "master.h"
#include "neuvo.h"
#include "worker.h"

#define MASTER_MAXCHILD     256
#define MASTER_CRASH_WINDOW 10 /* seconds */
#define MASTER_CRASH_LIMIT  5  /* crashes in the window: throttle */

struct child {
	pid_t pid;
	int gen;
	int id;
	time_t started;
};

static volatile sig_atomic_t sig_chld, sig_hup, sig_term, sig_alrm;

static struct child children[MASTER_MAXCHILD];
static pid_t master_pid;
static int generation, next_id, stopping, pending;
static time_t crash_times[MASTER_CRASH_LIMIT];

static void
master_signal(int sig)
{
	int saved = errno;

	switch (sig) {
	case SIGCHLD: sig_chld = 1; break;
	case SIGHUP: sig_hup = 1; break;
	case SIGALRM: sig_alrm = 1; break;
	default: sig_term = 1; break;
	}
	errno = saved;
}

static void
master_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;
	int sigs[] = {SIGCHLD, SIGHUP, SIGALRM, SIGTERM, SIGINT, SIGQUIT};
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = master_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
}

/* Opens "path" (a unix socket, mode applied) or "host:port". */
int
master_listen(const char *listen_on, int mode, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct addrinfo hints, *ai = NULL;
	char host[256], *colon;
	int fd = -1, one = 1;

	if (strchr(listen_on, '/') != NULL) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(listen_on) >= sizeof(sun.sun_path)) {
			snprintf(err, errlen, "%s: path too long", listen_on);
			return -1;
		}
		strcpy(sun.sun_path, listen_on);
		unlink(listen_on); /* a stale socket of a dead master */
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
		    chmod(listen_on, (mode_t)mode) == -1)
			goto fail;
	} else {
		snprintf(host, sizeof(host), "%s", listen_on);
		if ((colon = strrchr(host, ':')) == NULL) {
			snprintf(err, errlen,
			    "%s: expected host:port or a "
			    "socket path",
			    listen_on);
			return -1;
		}
		*colon = '\0';
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_PASSIVE;
		if (getaddrinfo(host, colon + 1, &hints, &ai) != 0) {
			snprintf(err, errlen, "%s: cannot resolve", listen_on);
			return -1;
		}
		if ((fd = socket(ai->ai_family, SOCK_STREAM, 0)) == -1 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			sizeof(one)) == -1 ||
		    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1)
			goto fail;
		freeaddrinfo(ai);
		ai = NULL;
	}
	if (listen(fd, 256) == -1 || fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	return fd;
fail:
	snprintf(err, errlen, "%s: %s", listen_on, strerror(errno));
	if (ai != NULL)
		freeaddrinfo(ai);
	if (fd != -1)
		close(fd);
	return -1;
}

static struct child *
master_slot(pid_t pid)
{
	int i;

	for (i = 0; i < MASTER_MAXCHILD; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

static int
master_count(int gen)
{
	int i, n = 0;

	for (i = 0; i < MASTER_MAXCHILD; i++)
		if (children[i].pid > 0 && (gen < 0 || children[i].gen == gen))
			n++;
	return n;
}

static void
master_spawn(struct neuvo *nv, int fd)
{
	struct child *c;
	pid_t pid;

	if ((c = master_slot(0)) == NULL) {
		log_error("no free worker slot");
		return;
	}
	c->id = ++next_id;
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		worker_main(nv, fd, c->id, master_pid);
	c->pid = pid;
	c->gen = generation;
	c->started = time(NULL);
	log_info("started worker %d pid %ld (generation %d)", c->id, (long)pid,
	    generation);
}

static void
master_kill(int gen_below, int sig)
{
	int i;

	for (i = 0; i < MASTER_MAXCHILD; i++)
		if (children[i].pid > 0 && children[i].gen < gen_below)
			kill(children[i].pid, sig);
}

/* A crash loop is throttled: past the limit, respawn waits a second. */
static int
master_crashed_recently(void)
{
	time_t now = time(NULL);
	int i, n = 0;

	memmove(crash_times, crash_times + 1,
	    sizeof(crash_times) - sizeof(crash_times[0]));
	crash_times[MASTER_CRASH_LIMIT - 1] = now;
	for (i = 0; i < MASTER_CRASH_LIMIT; i++)
		if (now - crash_times[i] < MASTER_CRASH_WINDOW)
			n++;
	return n >= MASTER_CRASH_LIMIT;
}

static void
master_reap(struct neuvo *nv, int fd, int *fatal)
{
	struct child *c;
	pid_t pid;
	int status, crashed;
	long up;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = master_slot(pid)) == NULL)
			continue;
		up = (long)(time(NULL) - c->started);
		crashed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		if (WIFSIGNALED(status))
			log_warn("worker %d pid %ld killed by signal %d after "
				 "%lds",
			    c->id, (long)pid, WTERMSIG(status), up);
		else
			log_info("worker %d pid %ld exited with status %d "
				 "after %lds",
			    c->id, (long)pid, WEXITSTATUS(status), up);
		c->pid = 0;
		if (stopping || c->gen != generation)
			continue;
		if (WIFEXITED(status) &&
		    WEXITSTATUS(status) == NEUVO_EXIT_FATAL) {
			log_error("worker %d: fatal configuration error, not "
				  "respawned",
			    c->id);
			(*fatal)++;
			continue;
		}
		if (crashed && master_crashed_recently()) {
			log_warn("workers crash repeatedly: respawn delayed");
			pending++;
			alarm(1);
		} else
			master_spawn(nv, fd);
	}
}

static void
master_reload(struct neuvo *nv, const char *path, int fd)
{
	char err[512], listen_on[sizeof(nv->cfg.listen)];
	int i;

	snprintf(listen_on, sizeof(listen_on), "%s", nv->cfg.listen);
	if (neuvo_load(nv, path, err, sizeof(err)) == -1) {
		log_error(
		    "reload refused, keeping the old configuration: %s", err);
		return;
	}
	if (strcmp(listen_on, nv->cfg.listen) != 0)
		log_warn("listen changed: takes effect on restart only");
	snprintf(nv->cfg.listen, sizeof(nv->cfg.listen), "%s", listen_on);
	log_set_level(nv->cfg.log_level);
	generation++;
	pending = 0;
	for (i = 0; i < nv->cfg.workers; i++)
		master_spawn(nv, fd);
	/* The old generation finishes what it serves, then exits. */
	master_kill(generation, SIGTERM);
	log_info("reloaded: generation %d", generation);
}

static void
master_stop_step(void)
{
	if (!stopping) {
		stopping = 1;
		log_info("stopping: %d workers", master_count(-1));
		master_kill(generation + 1, SIGTERM);
	}
}

int
master_run(struct neuvo *nv, const char *path, int fd)
{
	sigset_t waitmask;
	int i, fatal = 0;
	time_t deadline = 0;

	log_init("master", -1);
	master_pid = getpid();
	master_signals(&waitmask);
	for (i = 0; i < nv->cfg.workers; i++)
		master_spawn(nv, fd);
	log_info("%lld workers on %s", nv->cfg.workers, nv->cfg.listen);
	for (;;) {
		if (!sig_chld && !sig_hup && !sig_term && !sig_alrm)
			sigsuspend(&waitmask);
		if (sig_chld) {
			sig_chld = 0;
			master_reap(nv, fd, &fatal);
		}
		if (sig_term) {
			sig_term = 0;
			master_stop_step();
			deadline = time(NULL) + nv->cfg.shutdown_timeout;
			alarm((unsigned)nv->cfg.shutdown_timeout);
		}
		if (sig_hup) {
			sig_hup = 0;
			if (!stopping)
				master_reload(nv, path, fd);
		}
		if (sig_alrm) {
			sig_alrm = 0;
			if (stopping && time(NULL) >= deadline) {
				log_warn("shutdown timeout: killing %d workers",
				    master_count(-1));
				master_kill(generation + 1, SIGKILL);
			}
			for (; !stopping && pending > 0; pending--)
				master_spawn(nv, fd);
		}
		if (stopping && master_count(-1) == 0)
			break;
		if (!stopping && fatal > 0 && master_count(-1) == 0) {
			log_error("every worker failed to start: giving up");
			return NEUVO_EXIT_FATAL;
		}
	}
	log_info("stopped");
	return 0;
}
