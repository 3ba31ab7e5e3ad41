-- 010_content_tools.sql: the content team's SQL interface (schema admin).
-- Every change to the knowledge base is audited by row triggers (who, when,
-- the row before and after), every answer's state at each commit is kept as
-- a version that admin.restore_answer() brings back, and a deferred check
-- refuses to commit a published answer without its three languages.  The
-- functions validate first and name what is wrong; each runs in the
-- caller's transaction, so a failed call leaves nothing half-written.
-- docs/content-guide.md shows how to use them.

CREATE SCHEMA admin;
REVOKE ALL ON SCHEMA admin FROM PUBLIC;
GRANT USAGE ON SCHEMA admin TO neuvo_editor;

-- The audit trail: one row per changed row of a kb table.  db_user is the
-- login (session_user), so each person of the team should log in as a role
-- of their own that is a member of neuvo_editor.
CREATE TABLE admin.audit (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	xid		bigint NOT NULL DEFAULT txid_current(),
	db_user		text NOT NULL DEFAULT session_user,
	tbl		text NOT NULL,
	op		text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
	answer_id	integer,
	before		jsonb,
	after		jsonb
);
CREATE INDEX audit_answer ON admin.audit (answer_id, id);
CREATE INDEX audit_at ON admin.audit (at);

-- The versions of each answer: its record (the shape of kb.export_answer()
-- and of sql/kb/answers/*.json) as it was after each transaction that
-- changed it; NULL when the answer was deleted.
CREATE TABLE admin.answer_version (
	answer_key	text NOT NULL,
	version		integer NOT NULL CHECK (version > 0),
	at		timestamptz NOT NULL DEFAULT now(),
	xid		bigint NOT NULL DEFAULT txid_current(),
	db_user		text NOT NULL DEFAULT session_user,
	record		jsonb,
	PRIMARY KEY (answer_key, version)
);
CREATE INDEX answer_version_xid ON admin.answer_version (xid);

-- Lemmatisation (terms), generated columns and the time stamp are not
-- content: a change of only those is no change.
CREATE FUNCTION admin.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_skip	text[] := ARRAY['terms', 'title_terms', 'tsv', 'title_tsv'];
	v_b	jsonb;
	v_a	jsonb;
	v_r	jsonb;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		v_b := to_jsonb(OLD) - v_skip;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		v_a := to_jsonb(NEW) - v_skip;
	END IF;
	IF TG_OP = 'UPDATE' AND v_a - 'updated_at' = v_b - 'updated_at' THEN
		RETURN NULL;
	END IF;
	v_r := coalesce(v_a, v_b);
	INSERT INTO admin.audit (tbl, op, answer_id, before, after)
	VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP,
	    CASE WHEN TG_TABLE_NAME = 'answer' THEN (v_r->>'id')::integer
	    ELSE (v_r->>'answer_id')::integer END, v_b, v_a);
	RETURN NULL;
END $$;

CREATE TRIGGER answer_audit AFTER INSERT OR UPDATE OR DELETE ON kb.answer
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER answer_text_audit AFTER INSERT OR UPDATE OF answer_id, lang,
    title, body OR DELETE ON kb.answer_text
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER link_audit AFTER INSERT OR UPDATE OR DELETE ON kb.link
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER variant_audit AFTER INSERT OR UPDATE OF answer_id, lang, text
    OR DELETE ON kb.variant FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER synonym_audit AFTER INSERT OR UPDATE OR DELETE ON kb.synonym
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER redflag_audit AFTER INSERT OR UPDATE OF lang, phrase,
    answer_key OR DELETE ON kb.redflag
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER stopword_audit AFTER INSERT OR UPDATE OR DELETE ON kb.stopword
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER service_audit AFTER INSERT OR UPDATE OR DELETE ON kb.service
    FOR EACH ROW EXECUTE FUNCTION admin.audit_row();

-- The languages of an answer that have no text.
CREATE FUNCTION admin.missing_langs(p_id integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(l ORDER BY o), '{}')
	FROM unnest(ARRAY['fi', 'sv', 'en']) WITH ORDINALITY x(l, o)
	WHERE NOT EXISTS (SELECT 1 FROM kb.answer_text t
	    WHERE t.answer_id = p_id AND t.lang = x.l)
$$;

CREATE FUNCTION admin.lang_names(p_langs text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT string_agg(CASE l WHEN 'fi' THEN 'Finnish (fi)'
	    WHEN 'sv' THEN 'Swedish (sv)' WHEN 'en' THEN 'English (en)'
	    ELSE l END, ', ' ORDER BY o)
	FROM unnest(p_langs) WITH ORDINALITY x(l, o)
$$;

-- At commit (deferred, so that an answer and its texts may be written in
-- any order): a published answer must have all three languages; then the
-- answer's record becomes a new version if it differs from the last one.
-- The first trigger of a transaction for an answer does the work; the
-- others find its version row (same xid) and return.
CREATE FUNCTION admin.answer_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_r	jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD)
			    ELSE to_jsonb(NEW) END;
	v_id	integer;
	v_key	text;
	v_pub	boolean;
	v_miss	text[];
	v_rec	jsonb;
	v_ver	integer;
	v_last	jsonb;
BEGIN
	v_id := CASE WHEN TG_TABLE_NAME = 'answer' THEN (v_r->>'id')::integer
	    ELSE (v_r->>'answer_id')::integer END;
	SELECT a.key, a.published INTO v_key, v_pub FROM kb.answer a
	WHERE a.id = v_id;
	IF NOT FOUND THEN
		IF TG_TABLE_NAME <> 'answer' OR TG_OP <> 'DELETE' THEN
			RETURN NULL;	-- the answer's own trigger records it
		END IF;
		v_key := v_r->>'key';
	END IF;
	IF EXISTS (SELECT 1 FROM admin.answer_version
	    WHERE answer_key = v_key AND xid = txid_current()) THEN
		RETURN NULL;
	END IF;
	IF v_pub THEN
		v_miss := admin.missing_langs(v_id);
		IF cardinality(v_miss) > 0 THEN
			RAISE EXCEPTION 'answer "%" is published but has no text in %',
			    v_key, admin.lang_names(v_miss)
			    USING ERRCODE = 'check_violation',
			    HINT = 'Add the text (admin.set_text) or unpublish '
				'the answer (admin.unpublish) in the same transaction.';
		END IF;
	END IF;
	v_rec := CASE WHEN v_id IS NULL OR NOT EXISTS (SELECT 1 FROM kb.answer
	    WHERE id = v_id) THEN NULL ELSE kb.export_answer(v_id) END;
	SELECT version, record INTO v_ver, v_last FROM admin.answer_version
	WHERE answer_key = v_key ORDER BY version DESC LIMIT 1;
	-- Unchanged (or deleted before it was ever recorded): no version.
	IF v_last IS NOT DISTINCT FROM v_rec THEN
		RETURN NULL;
	END IF;
	INSERT INTO admin.answer_version (answer_key, version, record)
	VALUES (v_key, coalesce(v_ver, 0) + 1, v_rec);
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER answer_commit AFTER INSERT OR UPDATE OR DELETE
    ON kb.answer DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION admin.answer_commit();
CREATE CONSTRAINT TRIGGER answer_text_commit AFTER INSERT OR UPDATE OF
    answer_id, lang, title, body OR DELETE ON kb.answer_text
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION admin.answer_commit();
CREATE CONSTRAINT TRIGGER link_commit AFTER INSERT OR UPDATE OR DELETE
    ON kb.link DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION admin.answer_commit();
CREATE CONSTRAINT TRIGGER variant_commit AFTER INSERT OR UPDATE OF
    answer_id, lang, text OR DELETE ON kb.variant
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION admin.answer_commit();

-- Readable history: the versions of each answer, newest first, and the
-- audit trail with the answer's key.
CREATE VIEW admin.history AS
	SELECT v.answer_key, v.version, v.at, v.db_user,
	    v.record IS NULL AS deleted, v.record
	FROM admin.answer_version v
	ORDER BY v.answer_key, v.version DESC;

CREATE VIEW admin.changes AS
	SELECT c.id, c.at, c.db_user, c.tbl, c.op,
	    coalesce(a.key, c.before->>'key', c.after->>'key',
		c.after->>'answer_key', c.before->>'answer_key') AS answer_key,
	    c.before, c.after
	FROM admin.audit c LEFT JOIN kb.answer a ON a.id = c.answer_id
	ORDER BY c.id DESC;

-- Helpers of the editing functions.
CREATE FUNCTION admin.answer_id(p_key text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_id	integer;
BEGIN
	SELECT id INTO v_id FROM kb.answer WHERE key = p_key;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no answer with key "%"', p_key
		    USING ERRCODE = 'no_data_found',
		    HINT = 'SELECT key FROM kb.answer ORDER BY key; lists them.';
	END IF;
	RETURN v_id;
END $$;

CREATE FUNCTION admin.check_lang(p_lang text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF p_lang IS NULL OR p_lang NOT IN ('fi', 'sv', 'en') THEN
		RAISE EXCEPTION 'unknown language "%": use fi, sv or en', p_lang
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
END $$;

CREATE FUNCTION admin.check_url(p_key text, p_url text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF p_url IS NULL OR p_url !~ '^(https://[^\s<>"]+|tel:\+?[0-9]+)$' THEN
		RAISE EXCEPTION 'answer "%": link "%" is not an https:// address (or tel:+358...)',
		    p_key, p_url USING ERRCODE = 'check_violation';
	END IF;
END $$;

-- Several statements, one refresh: kb.bulk silences the statement
-- triggers of 002 until admin.bulk_end() refreshes and notifies once.
CREATE FUNCTION admin.bulk_begin() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_prev	text := coalesce(current_setting('kb.bulk', true), '');
BEGIN
	PERFORM set_config('kb.bulk', 'on', true);
	RETURN v_prev;
END $$;

CREATE FUNCTION admin.bulk_end(p_prev text, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('kb.bulk', p_prev, true);
	IF p_prev <> 'on' THEN
		PERFORM kb.refresh();
		PERFORM pg_notify('kb_changed', p_what);
	END IF;
END $$;

CREATE FUNCTION admin.touch(p_id integer) RETURNS void
LANGUAGE sql AS $$
	UPDATE kb.answer SET updated_at = now() WHERE id = p_id
$$;

-- A record of docs/content-format.md, checked field by field so that the
-- message names the answer, the language and the field.
CREATE FUNCTION admin.check_record(p jsonb) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_key	text := p->>'key';
	v_lang	text;
	v_t	jsonb;
	v_l	jsonb;
	v_v	jsonb;
BEGIN
	IF jsonb_typeof(p) IS DISTINCT FROM 'object' THEN
		RAISE EXCEPTION 'an answer record must be a JSON object';
	END IF;
	IF v_key IS NULL OR v_key !~ '^[a-z0-9_]+$' THEN
		RAISE EXCEPTION 'answer record: "key" must be lower-case letters, digits and _ (got "%")',
		    v_key USING ERRCODE = 'check_violation';
	END IF;
	IF p->>'service' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kb.service
	    WHERE key = p->>'service') THEN
		RAISE EXCEPTION 'answer "%": unknown service "%"', v_key,
		    p->>'service' USING ERRCODE = 'foreign_key_violation';
	END IF;
	FOREACH v_lang IN ARRAY ARRAY['fi', 'sv', 'en'] LOOP
		v_t := p->v_lang;
		IF jsonb_typeof(v_t) IS DISTINCT FROM 'object' THEN
			RAISE EXCEPTION 'answer "%": the % text is missing', v_key,
			    admin.lang_names(ARRAY[v_lang])
			    USING ERRCODE = 'check_violation';
		END IF;
		IF btrim(coalesce(v_t->>'title', '')) = '' OR
		    btrim(coalesce(v_t->>'body', '')) = '' THEN
			RAISE EXCEPTION 'answer "%": the % text needs a title and a body',
			    v_key, admin.lang_names(ARRAY[v_lang])
			    USING ERRCODE = 'check_violation';
		END IF;
		FOR v_l IN SELECT * FROM jsonb_array_elements(coalesce(
		    v_t->'links', '[]')) LOOP
			PERFORM admin.check_url(v_key, v_l->>'url');
			IF btrim(coalesce(v_l->>'title', '')) = '' THEN
				RAISE EXCEPTION 'answer "%": the % link % has no title',
				    v_key, v_lang, v_l->>'url'
				    USING ERRCODE = 'check_violation';
			END IF;
		END LOOP;
		FOR v_v IN SELECT * FROM jsonb_array_elements(coalesce(
		    v_t->'variants', '[]')) LOOP
			IF btrim(coalesce(v_v #>> '{}', '')) = '' THEN
				RAISE EXCEPTION 'answer "%": empty % variant', v_key,
				    admin.lang_names(ARRAY[v_lang])
				    USING ERRCODE = 'check_violation';
			END IF;
		END LOOP;
	END LOOP;
END $$;

-- kb.import_text inserts new variants with DISTINCT, which loses their
-- order; where a language's variants are not in the record's order they
-- are written again in it, so that the answer exports as the record (and a
-- restored version exactly as it was).
CREATE FUNCTION admin.order_variants(p_id integer, p jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_lang	text;
	v_want	jsonb;
BEGIN
	FOREACH v_lang IN ARRAY ARRAY['fi', 'sv', 'en'] LOOP
		SELECT coalesce(jsonb_agg(x ORDER BY o), '[]') INTO v_want
		FROM (SELECT x, min(o) AS o FROM jsonb_array_elements_text(
		    coalesce(p->v_lang->'variants', '[]')) WITH ORDINALITY v(x, o)
		    GROUP BY x) d;
		CONTINUE WHEN v_want = (SELECT coalesce(jsonb_agg(text ORDER BY id),
		    '[]') FROM kb.variant WHERE answer_id = p_id AND lang = v_lang);
		DELETE FROM kb.variant WHERE answer_id = p_id AND lang = v_lang;
		INSERT INTO kb.variant (answer_id, lang, text)
		SELECT p_id, v_lang, x.t
		FROM jsonb_array_elements_text(v_want) WITH ORDINALITY x(t, o)
		ORDER BY x.o;
	END LOOP;
END $$;

-- The whole answer from one record: added, or made to match the record.
CREATE FUNCTION admin.put_answer(p jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_prev	text;
	v_id	integer;
BEGIN
	PERFORM admin.check_record(p);
	v_prev := admin.bulk_begin();
	-- New variants go in first, in the record's order; a new answer is
	-- created without them for that.
	SELECT id INTO v_id FROM kb.answer WHERE key = p->>'key';
	IF v_id IS NULL THEN
		v_id := kb.import_answer(p || (SELECT jsonb_object_agg(l,
		    (p->l) || '{"variants": []}') FROM unnest(ARRAY['fi', 'sv',
		    'en']) l));
	END IF;
	INSERT INTO kb.variant (answer_id, lang, text)
	SELECT v_id, l, x.t FROM unnest(ARRAY['fi', 'sv', 'en']) l,
	    jsonb_array_elements_text(coalesce(p->l->'variants', '[]'))
		WITH ORDINALITY x(t, o)
	ORDER BY l, x.o
	ON CONFLICT (answer_id, lang, text) DO NOTHING;
	v_id := kb.import_answer(p);
	PERFORM admin.order_variants(v_id, p);
	PERFORM admin.bulk_end(v_prev, 'answer');
	RETURN v_id;
END $$;

CREATE FUNCTION admin.add_answer(p jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM kb.answer WHERE key = p->>'key') THEN
		RAISE EXCEPTION 'answer "%" already exists', p->>'key'
		    USING ERRCODE = 'unique_violation',
		    HINT = 'Change it with admin.put_answer() or admin.set_text().';
	END IF;
	RETURN admin.put_answer(p);
END $$;

-- A text of one language: a NULL title or body keeps the current one.
CREATE FUNCTION admin.set_text(p_key text, p_lang text, p_title text,
    p_body text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_prev	text;
BEGIN
	PERFORM admin.check_lang(p_lang);
	IF btrim(p_title) = '' OR btrim(p_body) = '' THEN
		RAISE EXCEPTION 'answer "%": the % title and body cannot be empty',
		    p_key, admin.lang_names(ARRAY[p_lang])
		    USING ERRCODE = 'check_violation';
	END IF;
	v_prev := admin.bulk_begin();
	UPDATE kb.answer_text SET title = coalesce(p_title, title),
	    body = coalesce(p_body, body)
	WHERE answer_id = v_id AND lang = p_lang;
	IF NOT FOUND THEN
		IF p_title IS NULL OR p_body IS NULL THEN
			RAISE EXCEPTION 'answer "%" has no % text yet: give both a title and a body',
			    p_key, admin.lang_names(ARRAY[p_lang])
			    USING ERRCODE = 'check_violation';
		END IF;
		INSERT INTO kb.answer_text (answer_id, lang, title, body)
		VALUES (v_id, p_lang, p_title, p_body);
	END IF;
	PERFORM admin.touch(v_id);
	PERFORM admin.bulk_end(v_prev, 'answer_text');
END $$;

CREATE FUNCTION admin.add_variant(p_key text, p_lang text, p_text text)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_prev	text;
	v_n	integer;
BEGIN
	PERFORM admin.check_lang(p_lang);
	IF btrim(coalesce(p_text, '')) = '' THEN
		RAISE EXCEPTION 'answer "%": a variant cannot be empty', p_key
		    USING ERRCODE = 'check_violation';
	END IF;
	v_prev := admin.bulk_begin();
	INSERT INTO kb.variant (answer_id, lang, text)
	VALUES (v_id, p_lang, btrim(p_text))
	ON CONFLICT (answer_id, lang, text) DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n > 0 THEN
		PERFORM admin.touch(v_id);
	END IF;
	PERFORM admin.bulk_end(v_prev, 'variant');
	RETURN v_n > 0;
END $$;

CREATE FUNCTION admin.remove_variant(p_key text, p_lang text, p_text text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_prev	text := admin.bulk_begin();
BEGIN
	DELETE FROM kb.variant WHERE answer_id = v_id AND lang = p_lang
	    AND text = btrim(p_text);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'answer "%" has no % variant "%"', p_key,
		    coalesce(admin.lang_names(ARRAY[p_lang]), p_lang), p_text
		    USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM admin.touch(v_id);
	PERFORM admin.bulk_end(v_prev, 'variant');
END $$;

CREATE FUNCTION admin.add_link(p_key text, p_lang text, p_title text,
    p_url text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_prev	text;
BEGIN
	PERFORM admin.check_lang(p_lang);
	PERFORM admin.check_url(p_key, p_url);
	IF btrim(coalesce(p_title, '')) = '' THEN
		RAISE EXCEPTION 'answer "%": the link % needs a title', p_key, p_url
		    USING ERRCODE = 'check_violation';
	END IF;
	v_prev := admin.bulk_begin();
	INSERT INTO kb.link (answer_id, lang, pos, title, url)
	SELECT v_id, p_lang, coalesce(max(pos), 0) + 1, p_title, p_url
	FROM kb.link WHERE answer_id = v_id AND lang = p_lang;
	PERFORM admin.touch(v_id);
	PERFORM admin.bulk_end(v_prev, 'link');
END $$;

CREATE FUNCTION admin.remove_link(p_key text, p_lang text, p_url text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_prev	text := admin.bulk_begin();
BEGIN
	DELETE FROM kb.link WHERE answer_id = v_id AND lang = p_lang
	    AND url = p_url;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'answer "%" has no % link %', p_key,
		    coalesce(admin.lang_names(ARRAY[p_lang]), p_lang), p_url
		    USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM admin.touch(v_id);
	PERFORM admin.bulk_end(v_prev, 'link');
END $$;

-- Synonyms apply at query time (kb.query_lexemes); no refresh needed.
CREATE FUNCTION admin.add_synonym(p_lang text, p_word text,
    p_replacement text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	PERFORM admin.check_lang(p_lang);
	IF p_word IS NULL OR btrim(p_word) !~ '^\S+$' THEN
		RAISE EXCEPTION 'synonym "%": the word must be one word without spaces',
		    p_word USING ERRCODE = 'check_violation';
	END IF;
	IF btrim(coalesce(p_replacement, '')) = '' THEN
		RAISE EXCEPTION 'synonym "%": the standard form cannot be empty',
		    p_word USING ERRCODE = 'check_violation';
	END IF;
	INSERT INTO kb.synonym (lang, word, replacement)
	VALUES (p_lang, lower(btrim(p_word)), btrim(p_replacement))
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	PERFORM pg_notify('kb_changed', 'synonym');
	RETURN v_n > 0;
END $$;

-- Without p_replacement: every standard form of the word.
CREATE FUNCTION admin.remove_synonym(p_lang text, p_word text,
    p_replacement text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	DELETE FROM kb.synonym WHERE lang = p_lang AND word = lower(btrim(p_word))
	    AND (p_replacement IS NULL OR replacement = btrim(p_replacement));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n = 0 THEN
		RAISE EXCEPTION 'no % synonym "%"%', coalesce(admin.lang_names(
		    ARRAY[p_lang]), p_lang), p_word, coalesce(' -> "' ||
		    p_replacement || '"', '') USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM pg_notify('kb_changed', 'synonym');
	RETURN v_n;
END $$;

-- A red-flag phrase points at an answer (normally an emergency one); with
-- p_answer_key NULL it is an exception that silences the red flags.
CREATE FUNCTION admin.add_redflag(p_lang text, p_phrase text,
    p_answer_key text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM admin.check_lang(p_lang);
	IF btrim(coalesce(p_phrase, '')) = '' THEN
		RAISE EXCEPTION 'a red-flag phrase cannot be empty'
		    USING ERRCODE = 'check_violation';
	END IF;
	IF p_answer_key IS NOT NULL THEN
		PERFORM admin.answer_id(p_answer_key);
	END IF;
	INSERT INTO kb.redflag (lang, phrase, answer_key)
	VALUES (p_lang, btrim(p_phrase), p_answer_key)
	ON CONFLICT (lang, phrase) DO UPDATE SET answer_key = EXCLUDED.answer_key
	WHERE kb.redflag.answer_key IS DISTINCT FROM EXCLUDED.answer_key;
END $$;

CREATE FUNCTION admin.remove_redflag(p_lang text, p_phrase text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM kb.redflag WHERE lang = p_lang AND phrase = btrim(p_phrase);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % red-flag phrase "%"', coalesce(
		    admin.lang_names(ARRAY[p_lang]), p_lang), p_phrase
		    USING ERRCODE = 'no_data_found';
	END IF;
END $$;

CREATE FUNCTION admin.publish(p_key text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_miss	text[] := admin.missing_langs(v_id);
BEGIN
	IF cardinality(v_miss) > 0 THEN
		RAISE EXCEPTION 'answer "%" cannot be published: no text in %',
		    p_key, admin.lang_names(v_miss)
		    USING ERRCODE = 'check_violation',
		    HINT = 'Add it with admin.set_text(key, lang, title, body).';
	END IF;
	UPDATE kb.answer SET published = true, updated_at = now()
	WHERE id = v_id AND NOT published;
END $$;

CREATE FUNCTION admin.unpublish(p_key text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
BEGIN
	UPDATE kb.answer SET published = false, updated_at = now()
	WHERE id = v_id AND published;
END $$;

-- Deleting keeps the history: admin.restore_answer() brings it back.  Red
-- flags that name the answer must go first (admin.remove_redflag).
CREATE FUNCTION admin.delete_answer(p_key text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer := admin.answer_id(p_key);
	v_n	integer;
	v_prev	text;
BEGIN
	SELECT count(*) INTO v_n FROM kb.redflag WHERE answer_key = p_key;
	IF v_n > 0 THEN
		RAISE EXCEPTION 'answer "%" is named by % red-flag phrase(s): remove them first',
		    p_key, v_n USING ERRCODE = 'foreign_key_violation';
	END IF;
	-- The cascade deletes texts, links and variants: refresh once.
	v_prev := admin.bulk_begin();
	DELETE FROM kb.answer WHERE id = v_id;
	PERFORM admin.bulk_end(v_prev, 'answer');
END $$;

-- Back to an earlier version: the record is imported again, so texts,
-- links, variants and the published flag become what they were then.  The
-- restore is itself a change, and so a new version.
CREATE FUNCTION admin.restore_answer(p_key text, p_version integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_rec	jsonb;
BEGIN
	SELECT record INTO v_rec FROM admin.answer_version
	WHERE answer_key = p_key AND version = p_version;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'answer "%" has no version %', p_key, p_version
		    USING ERRCODE = 'no_data_found',
		    HINT = 'SELECT version, at, db_user FROM admin.history WHERE answer_key = ...';
	END IF;
	IF v_rec IS NULL THEN
		RAISE EXCEPTION 'version % of answer "%" is its deletion: choose an earlier version',
		    p_version, p_key USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN admin.put_answer(v_rec);
END $$;

-- Privileges: the content team only.  The service role has no USAGE on
-- schema admin and no EXECUTE on these functions.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA admin FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA admin TO neuvo_editor;
REVOKE ALL ON FUNCTION admin.audit_row(), admin.answer_commit()
    FROM neuvo_editor;
GRANT SELECT ON admin.audit, admin.answer_version, admin.history,
    admin.changes TO neuvo_editor;

-- The import functions of 005 came after 003's REVOKE: the service role
-- must not reach them either.
REVOKE ALL ON FUNCTION kb.import_answer(jsonb),
    kb.import_text(integer, text, jsonb), kb.export_answer(integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kb.import_answer(jsonb),
    kb.import_text(integer, text, jsonb), kb.export_answer(integer)
    TO neuvo_editor;

-- Answers that existed before this migration start with a version 1.
INSERT INTO admin.answer_version (answer_key, version, record)
SELECT key, 1, kb.export_answer(id) FROM kb.answer;
