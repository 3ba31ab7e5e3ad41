/*
 * worker.c: one worker: accept a request, answer it, repeat.  Signals stay
 * blocked while a request is served and are let in only while waiting in
 * ppoll(2), so SIGTERM never cuts a reply short and is never lost between
 * the check and the wait.  The listening socket is non-blocking: when
 * another worker won the race for a connection, accept fails with EAGAIN
 * and we wait again.
 */
#include <sys/prctl.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "api.h"
#include "db.h"
#include "http.h"
#include "langid.h"
#include "lex.h"
#include "log.h"
#include "neuvo.h"
#include "worker.h"

static volatile sig_atomic_t worker_quit;

static void
worker_signal(int sig)
{
	int saved = errno;

	(void)sig;
	worker_quit = 1;
	errno = saved;
}

static void
worker_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_signal; /* no SA_RESTART: wake ppoll */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL); /* the master reloads */
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_SETMASK, &block, NULL);
	sigemptyset(waitmask);
}

static void
worker_serve(struct neuvo *nv, FCGX_Request *fcgx)
{
	struct http_request req;

	http_request_init(&req, fcgx);
	api_handle(nv, &req);
	log_debug("%s %s %d", req.method, req.path, req.status);
	http_request_free(&req);
}

void
worker_main(struct neuvo *nv, int listen_fd, int id, pid_t master)
{
	FCGX_Request fcgx;
	struct pollfd pfd;
	sigset_t waitmask;
	char err[256];
	long long served = 0;

	log_init("worker", id);
	worker_signals(&waitmask);
	/* A worker does not outlive its master (kill -9, a crash): it is
	 * told to stop like on a graceful shutdown. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != master)
		worker_quit = 1;
	if ((nv->lex = lex_open(err, sizeof(err))) == NULL) {
		log_error("%s", err);
		_exit(NEUVO_EXIT_FATAL);
	}
	if ((nv->db = db_new(nv->cfg.db, nv->cfg.db_user)) == NULL ||
	    FCGX_Init() != 0 ||
	    FCGX_InitRequest(&fcgx, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("cannot initialise");
		_exit(1);
	}
	(void)db_ensure(nv->db); /* early, but a later retry is fine */
	pfd.fd = listen_fd;
	pfd.events = POLLIN;
	while (!worker_quit &&
	    (nv->cfg.max_requests == 0 || served < nv->cfg.max_requests)) {
		if (ppoll(&pfd, 1, NULL, &waitmask) <= 0)
			continue;
		if (worker_quit)
			break;
		if (FCGX_Accept_r(&fcgx) < 0)
			continue;
		worker_serve(nv, &fcgx);
		FCGX_Finish_r(&fcgx);
		db_collect(nv->db); /* a turn's log, sent before the reply */
		served++;
	}
	if (!worker_quit)
		log_info("recycling after %lld requests", served);
	FCGX_Free(&fcgx, 0);
	db_free(nv->db);
	lex_close(nv->lex);
	neuvo_free(nv);
	exit(0);
}
