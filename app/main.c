/*
 * main.c: neuvo, the FastCGI service of the Neuvo chatbot.
 *
 *	neuvo [-n] [-i] [-f file]
 *
 * -f names the configuration (key = value, see conf/neuvo.conf), -n checks
 * it and exits, -i lemmatises the knowledge base's new rows and exits,
 * -t TEXT prints the language and the terms Neuvo sees in TEXT (for the
 * content team's "why did it answer that?", docs/content-guide.md).
 * Otherwise the master opens the socket and forks the workers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "index.h"
#include "langid.h"
#include "lex.h"
#include "log.h"
#include "master.h"
#include "neuvo.h"

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: neuvo [-n] [-i] [-f file] [-t text]\n");
	exit(2);
}

static int
run_index(struct neuvo *nv)
{
	char err[256];
	int n;

	if ((nv->lex = lex_open(err, sizeof(err))) == NULL) {
		log_error("%s", err);
		return 1;
	}
	nv->db = db_new(nv->cfg.db, nv->cfg.db_user);
	n = nv->db != NULL ? index_run(nv->db, nv->lex) : -1;
	if (n >= 0)
		printf("indexed %d rows\n", n);
	db_free(nv->db);
	lex_close(nv->lex);
	return n < 0 ? 1 : 0;
}

static int
run_terms(struct neuvo *nv, const char *text, const char *lang)
{
	char err[256], *terms, *words;
	const char *l;

	if ((nv->lex = lex_open(err, sizeof(err))) == NULL) {
		fprintf(stderr, "neuvo: %s\n", err);
		return 1;
	}
	l = langid_detect(nv->langid, nv->lex, text, lang);
	terms = lex_groups(nv->lex, l, text, 1);
	words = lex_terms(nv->lex, l, text, 1);
	printf("lang\t%s\nterms\t%s\nwords\t%s\n", l, terms ? terms : "",
	    words ? words : "");
	free(terms);
	free(words);
	lex_close(nv->lex);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct neuvo nv;
	const char *path = NULL, *text = NULL, *lang = "fi";
	char err[512];
	int ch, check = 0, index = 0, fd, rc;

	while ((ch = getopt(argc, argv, "f:il:nt:")) != -1) {
		switch (ch) {
		case 'f': path = optarg; break;
		case 'l': lang = optarg; break;
		case 't': text = optarg; break;
		case 'i': index = 1; break;
		case 'n': check = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	memset(&nv, 0, sizeof(nv));
	if (neuvo_load(&nv, path, err, sizeof(err)) == -1) {
		fprintf(stderr, "neuvo: %s\n", err);
		return NEUVO_EXIT_FATAL;
	}
	log_set_level(nv.cfg.log_level);
	if (check) {
		printf("neuvo: configuration %s is valid\n",
		    path ? path : "(defaults)");
		rc = 0;
	} else if (index)
		rc = run_index(&nv);
	else if (text != NULL)
		rc = run_terms(&nv, text, lang);
	else if ((fd = master_listen(nv.cfg.listen, (int)nv.cfg.socket_mode,
		      err, sizeof(err))) == -1) {
		log_error("%s", err);
		rc = 1;
	} else {
		rc = master_run(&nv, path, fd);
		close(fd);
		if (strchr(nv.cfg.listen, '/') != NULL)
			unlink(nv.cfg.listen);
	}
	neuvo_free(&nv);
	return rc;
}
