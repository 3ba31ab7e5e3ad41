/*
 * neuvo.c: loading what the workers share: the configuration and the data
 * files it names (the language lists, the texts for when the database is
 * down).  The same function serves start-up, `neuvo -n` and a reload, so a
 * reload accepts exactly what a start would.
 */
#include <stdio.h>
#include <string.h>

#include "langid.h"
#include "neuvo.h"

static json_t *
neuvo_load_unavailable(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j;
	const char *langs[] = {"fi", "sv", "en"};
	size_t i;

	if ((j = json_load_file(path, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	for (i = 0; i < 3; i++)
		if (!json_is_string(json_object_get(j, langs[i]))) {
			snprintf(
			    err, errlen, "%s: no \"%s\" text", path, langs[i]);
			json_decref(j);
			return NULL;
		}
	return j;
}

/* Fills nv from the configuration file path (NULL: defaults).  On failure
 * nv is untouched and err says why. */
int
neuvo_load(struct neuvo *nv, const char *path, char *err, size_t errlen)
{
	struct config cfg;
	struct langid *li;
	json_t *un;

	config_defaults(&cfg);
	if (config_load(&cfg, path, err, errlen) == -1)
		return -1;
	if ((li = langid_load(cfg.lang_dir, err, errlen)) == NULL)
		return -1;
	if ((un = neuvo_load_unavailable(cfg.unavailable_file, err, errlen)) ==
	    NULL) {
		langid_free(li);
		return -1;
	}
	neuvo_free(nv);
	nv->cfg = cfg;
	nv->langid = li;
	nv->unavailable = un;
	return 0;
}

void
neuvo_free(struct neuvo *nv)
{
	langid_free(nv->langid);
	json_decref(nv->unavailable);
	nv->langid = NULL;
	nv->unavailable = NULL;
}
