-- 002_search.sql: retrieval, red flags and replies, as SQL functions so the
-- content team's changes (synonyms, variants, phrases) apply on the next
-- turn without touching the service.

-- The vocabulary and its inverse document frequencies, per language,
-- counted over published answers (a word in many variants of one answer
-- is still specific to it).
CREATE FUNCTION kb.refresh() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, kb AS $$
	DELETE FROM kb.vocab;
	WITH docs AS (
		SELECT v.lang, v.answer_id, v.tsv FROM kb.variant v
		    JOIN kb.answer a ON a.id = v.answer_id AND a.published
		UNION ALL
		SELECT t.lang, t.answer_id, t.title_tsv FROM kb.answer_text t
		    JOIN kb.answer a ON a.id = t.answer_id AND a.published
	), n AS (
		SELECT lang, count(DISTINCT answer_id) AS n FROM docs GROUP BY lang
	), df AS (
		SELECT d.lang, x AS lexeme, count(DISTINCT d.answer_id) AS df
		FROM docs d, unnest(tsvector_to_array(d.tsv)) x
		GROUP BY d.lang, x
	)
	INSERT INTO kb.vocab (lang, lexeme, df, idf)
	SELECT df.lang, df.lexeme, df.df, ln(1.0 + n.n::real / df.df)
	FROM df JOIN n USING (lang);
$$;

-- Statement trigger: keep the vocabulary current and tell the workers
-- (they lemmatise new rows).  A bulk load sets kb.bulk and refreshes once.
CREATE FUNCTION kb.changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, kb AS $$
BEGIN
	IF coalesce(current_setting('kb.bulk', true), '') <> 'on' THEN
		PERFORM kb.refresh();
		PERFORM pg_notify('kb_changed', TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER variant_changed AFTER INSERT OR UPDATE OR DELETE ON kb.variant
    FOR EACH STATEMENT EXECUTE FUNCTION kb.changed();
CREATE TRIGGER answer_text_changed AFTER INSERT OR UPDATE OR DELETE
    ON kb.answer_text FOR EACH STATEMENT EXECUTE FUNCTION kb.changed();
CREATE TRIGGER answer_changed AFTER INSERT OR UPDATE OR DELETE ON kb.answer
    FOR EACH STATEMENT EXECUTE FUNCTION kb.changed();
CREATE TRIGGER redflag_changed AFTER INSERT OR UPDATE OR DELETE ON kb.redflag
    FOR EACH STATEMENT EXECUTE FUNCTION kb.changed();

CREATE AGGREGATE kb.tsq_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- The lexemes of a message: its terms, plus the standard forms of the
-- everyday words it uses, less stop words; a word the knowledge base does
-- not know is replaced by its nearest known spelling (typo tolerance).
CREATE FUNCTION kb.query_lexemes(p_lang text, p_terms text[])
RETURNS TABLE (lexeme text, idf real)
LANGUAGE sql STABLE AS $$
	WITH words AS (
		SELECT DISTINCT w FROM unnest(p_terms) w WHERE w <> ''
	), expanded AS (
		SELECT w FROM words
		UNION
		SELECT s.replacement FROM kb.synonym s JOIN words
		    ON s.lang = p_lang AND (words.w = s.word OR
		    (length(s.word) >= 4 AND left(words.w, length(s.word)) = s.word))
	), lx AS (
		SELECT DISTINCT x FROM expanded,
		    unnest(tsvector_to_array(kb.lex_tsv(p_lang, expanded.w))) x
		WHERE NOT EXISTS (SELECT 1 FROM kb.stopword sw
		    WHERE sw.lang = p_lang AND sw.word = x)
	), fixed AS (
		SELECT lx.x, v.lexeme AS known, v.idf AS known_idf,
		    f.lexeme AS near, f.idf AS near_idf, f.sim
		FROM lx
		LEFT JOIN kb.vocab v ON v.lang = p_lang AND v.lexeme = lx.x
		LEFT JOIN LATERAL (
			SELECT c.lexeme, c.idf, similarity(c.lexeme, lx.x) AS sim
			FROM kb.vocab c
			WHERE v.lexeme IS NULL AND length(lx.x) >= 5
			    AND c.lang = p_lang
			ORDER BY c.lexeme <-> lx.x LIMIT 1
		) f ON f.sim >= 0.45
	)
	SELECT coalesce(known, near, x),
	    coalesce(known_idf, near_idf * 0.8,
	    (SELECT max(idf) FROM kb.vocab WHERE lang = p_lang), 1.0)::real
	FROM fixed
$$;

-- Candidate answers for a message, best first.  A variant or title scores
-- by the share of the message's weight it covers, times how much of the
-- variant the message covers; the answer body counts for less.  The exact
-- title of an answer (a quick reply posted back) scores 1.
CREATE FUNCTION kb.search(p_lang text, p_terms text[], p_text text,
    p_limit integer DEFAULT 4)
RETURNS TABLE (answer_id integer, score real)
LANGUAGE sql STABLE AS $$
	WITH q AS (
		SELECT lexeme, max(idf) AS idf
		FROM kb.query_lexemes(p_lang, p_terms) GROUP BY lexeme
	), total AS (
		SELECT sum(idf) AS s, kb.tsq_or(plainto_tsquery('simple', lexeme)) AS tq
		FROM q
	), docs AS (
		SELECT v.answer_id, v.tsv, 1.0 AS w FROM kb.variant v, total
		WHERE v.lang = p_lang AND v.tsv @@ total.tq
		UNION ALL
		SELECT t.answer_id, t.title_tsv, 1.0 FROM kb.answer_text t, total
		WHERE t.lang = p_lang AND t.title_tsv @@ total.tq
		UNION ALL
		SELECT t.answer_id, t.tsv, 0.0 FROM kb.answer_text t, total
		WHERE t.lang = p_lang AND t.tsv @@ total.tq
	), scored AS (
		SELECT d.answer_id, d.w,
		    (SELECT sum(q.idf) FROM q
		     WHERE q.lexeme = ANY (tsvector_to_array(d.tsv))) AS hit,
		    (SELECT sum(coalesce(v.idf, 1.0))
		     FROM unnest(tsvector_to_array(d.tsv)) x
		     LEFT JOIN kb.vocab v ON v.lang = p_lang AND v.lexeme = x
		     WHERE NOT EXISTS (SELECT 1 FROM kb.stopword sw
			WHERE sw.lang = p_lang AND sw.word = x)) AS dn
		FROM docs d
	), exact AS (
		SELECT t.answer_id, 1.0::real AS score FROM kb.answer_text t
		WHERE t.lang = p_lang AND lower(t.title) = lower(btrim(p_text, ' ?!.'))
	), ranked AS (
		SELECT s.answer_id, max(CASE WHEN s.w > 0
		    THEN (s.hit / total.s) * (0.5 + 0.5 * least(1.0, s.hit / s.dn))
		    ELSE 0.6 * s.hit / total.s END)::real AS score
		FROM scored s, total
		WHERE total.s > 0
		GROUP BY s.answer_id
		UNION ALL
		SELECT * FROM exact
	)
	SELECT r.answer_id, max(r.score)::real
	FROM ranked r JOIN kb.answer a ON a.id = r.answer_id AND a.published
	WHERE a.kind NOT IN ('fallback', 'clarify')
	GROUP BY r.answer_id
	ORDER BY 2 DESC, 1
	LIMIT p_limit
$$;

-- Does the message hold a red-flag phrase?  Every word of a phrase must
-- match a word of the message by base form, or as the start of it
-- ("collaps" matches "collapsed").  An exception phrase (answer_key NULL)
-- that matches silences the red flags: "rintakipulääkkeen resepti".
CREATE FUNCTION kb.redflag_match(p_lang text, p_words text[])
RETURNS TABLE (answer_id integer, phrase text)
LANGUAGE sql STABLE AS $$
	WITH hits AS (
		SELECT r.answer_key, r.phrase FROM kb.redflag r
		WHERE r.lang = p_lang AND NOT EXISTS (
			SELECT 1 FROM unnest(string_to_array(
			    coalesce(r.terms, lower(r.phrase)), ' ')) g
			WHERE g <> '' AND NOT EXISTS (
				SELECT 1 FROM unnest(string_to_array(g, '|')) alt,
				    unnest(p_words) m
				WHERE m = alt OR (length(alt) >= 4 AND
				    left(m, length(alt)) = alt)))
	)
	SELECT a.id, h.phrase FROM hits h JOIN kb.answer a ON a.key = h.answer_key
	WHERE a.published AND NOT EXISTS (
		SELECT 1 FROM hits e WHERE e.answer_key IS NULL)
	ORDER BY a.kind = 'emergency' DESC, length(h.phrase) DESC
	LIMIT 1
$$;

-- {tel:key} placeholders become the service's number: numbers live in
-- kb.service only.
CREATE FUNCTION kb.expand(p_text text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r	record;
	t	text := p_text;
BEGIN
	FOR r IN SELECT DISTINCT m[1] AS key, s.phone
	    FROM regexp_matches(p_text, '\{tel:([a-z0-9_]+)\}', 'g') m
	    JOIN kb.service s ON s.key = m[1] LOOP
		t := replace(t, '{tel:' || r.key || '}', r.phone);
	END LOOP;
	RETURN t;
END $$;

-- A note on whether the answer's service is open now; replaced by the
-- opening-hours migration.
CREATE FUNCTION kb.service_note(p_service text, p_lang text,
    p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT NULL::text $$;

-- One answer as the reply's JSON fields: kind, title, text, links.
CREATE FUNCTION kb.reply(p_answer integer, p_lang text)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'id', a.id, 'kind', a.kind, 'title', t.title,
	    'text', kb.expand(t.body) || coalesce(E'\n\n' ||
	        kb.service_note(a.service, p_lang, now()), ''),
	    'links', coalesce((SELECT json_agg(json_build_object('title',
	        l.title, 'url', l.url) ORDER BY l.pos, l.id) FROM kb.link l
	        WHERE l.answer_id = a.id AND l.lang = p_lang), '[]'))
	FROM kb.answer a JOIN kb.answer_text t ON t.answer_id = a.id
	    AND t.lang = p_lang
	WHERE a.id = p_answer AND a.published
$$;

CREATE FUNCTION kb.reply_key(p_key text, p_lang text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT kb.reply(a.id, p_lang) FROM kb.answer a WHERE a.key = p_key
$$;

CREATE FUNCTION kb.titles(p_ids integer[], p_lang text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object('id', t.answer_id,
	    'title', t.title) ORDER BY x.ord), '[]')
	FROM unnest(p_ids) WITH ORDINALITY x(id, ord)
	JOIN kb.answer_text t ON t.answer_id = x.id AND t.lang = p_lang
$$;

CREATE FUNCTION kb.topics(p_lang text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object('id', a.id,
	    'title', t.title) ORDER BY a.menu, a.id), '[]')
	FROM kb.answer a JOIN kb.answer_text t ON t.answer_id = a.id
	    AND t.lang = p_lang
	WHERE a.published AND a.menu IS NOT NULL
$$;

-- The chat log is written through functions: the service role needs no
-- rights on the tables themselves.
CREATE FUNCTION chat.log_turn(p_session text, p_lang text, p_kind text,
    p_message text, p_norm text, p_answer integer, p_score real,
    p_suggestions integer[]) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
	INSERT INTO chat.turn (session, lang, kind, message, norm, answer_id,
	    score, suggestions)
	VALUES (p_session, p_lang, p_kind, p_message, p_norm, p_answer,
	    p_score, coalesce(p_suggestions, '{}'))
	RETURNING id
$$;

-- The quick replies last offered in a conversation, so that typing "2"
-- picks the second.
CREATE FUNCTION chat.last_suggestions(p_session text) RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
	SELECT suggestions FROM chat.turn
	WHERE session = p_session AND created_at > now() - interval '1 hour'
	ORDER BY created_at DESC LIMIT 1
$$;

-- Thumbs: false when the turn does not exist (or has been purged).
CREATE FUNCTION chat.rate(p_turn uuid, p_helpful boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM chat.turn WHERE id = p_turn) THEN
		RETURN false;
	END IF;
	INSERT INTO chat.rating (turn_id, helpful) VALUES (p_turn, p_helpful)
	ON CONFLICT (turn_id) DO UPDATE SET helpful = EXCLUDED.helpful,
	    created_at = now();
	RETURN true;
END $$;

CREATE FUNCTION chat.add_feedback(p_rating smallint, p_comment text,
    p_lang text, p_session text, p_page text) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
	INSERT INTO chat.feedback (rating, comment, lang, session, page)
	VALUES (p_rating, p_comment, p_lang, p_session, p_page)
	RETURNING id
$$;

-- Lemmatisation by the service: the rows whose terms are missing, and the
-- call that stores them.  Only these columns are ever written by it.
CREATE FUNCTION kb.unindexed() RETURNS TABLE (tbl text, id integer,
    sub text, lang text, text text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, kb AS $$
	SELECT 'variant', v.id, '', v.lang, v.text FROM kb.variant v
	WHERE v.terms IS NULL
	UNION ALL
	SELECT 'body', t.answer_id, t.lang, t.lang, t.title || ' ' || t.body
	FROM kb.answer_text t WHERE t.terms IS NULL
	UNION ALL
	SELECT 'title', t.answer_id, t.lang, t.lang, t.title
	FROM kb.answer_text t WHERE t.title_terms IS NULL
	UNION ALL
	SELECT 'redflag', r.id, '', r.lang, r.phrase FROM kb.redflag r
	WHERE r.terms IS NULL
$$;

CREATE FUNCTION kb.set_terms(p_tbl text, p_id integer, p_sub text,
    p_terms text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, kb AS $$
BEGIN
	PERFORM set_config('kb.bulk', 'on', true);
	CASE p_tbl
	WHEN 'variant' THEN
		UPDATE kb.variant SET terms = p_terms WHERE id = p_id;
	WHEN 'body' THEN
		UPDATE kb.answer_text SET terms = p_terms
		WHERE answer_id = p_id AND lang = p_sub;
	WHEN 'title' THEN
		UPDATE kb.answer_text SET title_terms = p_terms
		WHERE answer_id = p_id AND lang = p_sub;
	WHEN 'redflag' THEN
		UPDATE kb.redflag SET terms = p_terms WHERE id = p_id;
	ELSE
		RAISE EXCEPTION 'kb.set_terms: unknown table %', p_tbl;
	END CASE;
END $$;

-- Clearing terms when the text changes: the service fills them again.
CREATE FUNCTION kb.clear_terms() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	-- Row fields are resolved per table, so each table has its branch.
	IF TG_TABLE_NAME = 'variant' THEN
		IF NEW.text IS DISTINCT FROM OLD.text THEN
			NEW.terms := NULL;
		END IF;
	ELSIF TG_TABLE_NAME = 'redflag' THEN
		IF NEW.phrase IS DISTINCT FROM OLD.phrase THEN
			NEW.terms := NULL;
		END IF;
	ELSIF NEW.title IS DISTINCT FROM OLD.title THEN
		NEW.title_terms := NULL;
		NEW.terms := NULL;
	ELSIF NEW.body IS DISTINCT FROM OLD.body THEN
		NEW.terms := NULL;
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER variant_clear BEFORE UPDATE ON kb.variant
    FOR EACH ROW EXECUTE FUNCTION kb.clear_terms();
CREATE TRIGGER redflag_clear BEFORE UPDATE ON kb.redflag
    FOR EACH ROW EXECUTE FUNCTION kb.clear_terms();
CREATE TRIGGER answer_text_clear BEFORE UPDATE ON kb.answer_text
    FOR EACH ROW EXECUTE FUNCTION kb.clear_terms();
