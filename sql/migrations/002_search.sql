-- 002_search.sql: retrieval, red flags and replies, as SQL functions so the
-- content team's changes (synonyms, variants, phrases) apply on the next
-- turn without touching the service.

-- The vocabulary and its inverse document frequencies, per language,
-- counted over published answers (a word in many variants of one answer
-- is still specific to it), and the search documents with their norms
-- precomputed: a variant and a title.  (An answer's "bag", all its
-- variants' words together, is scored from the same postings.)  Answer
-- bodies are not searched: measured on the evaluation set they changed no
-- result and cost a fifth of the search's time.
CREATE TABLE kb.doc (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	answer_id	integer NOT NULL,
	lang		text NOT NULL,
	kind		char(1) NOT NULL,	-- v variant, t title
	lexemes		text[] NOT NULL,
	-- per lexeme, how central it is to the answer: 1 when two or more of
	-- its variants and title use it, 0.5 when only one does.  A word in
	-- a single variant ("tomorrow") is incidental; a word in many
	-- ("prescription") is what the answer is about.
	central		real[] NOT NULL,
	norm		real NOT NULL
);

-- The inverted index of the documents' tsvectors: a message's lexemes
-- find their documents by index lookups, with each lexeme's centrality.
-- (The document's answer, kind and norm ride along, so that a search
-- reads postings only.)
CREATE TABLE kb.posting (
	lang		text NOT NULL,
	lexeme		text NOT NULL,
	doc_id		integer NOT NULL,
	answer_id	integer NOT NULL,
	kind		char(1) NOT NULL,
	norm		real NOT NULL,
	central		real NOT NULL,
	smalltalk	boolean NOT NULL
);
CREATE INDEX posting_lexeme ON kb.posting (lang, lexeme)
    INCLUDE (doc_id, answer_id, kind, norm, central, smalltalk);

-- Red-flag phrases word by word: each word's alternatives, so that a
-- message is matched by index lookups (kb.redflag_match).
CREATE TABLE kb.redflag_alt (
	redflag_id	integer NOT NULL,
	grp		integer NOT NULL,
	ngroups		integer NOT NULL,
	alt		text NOT NULL
);
CREATE INDEX redflag_alt_alt ON kb.redflag_alt (alt);

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

	DELETE FROM kb.doc;
	WITH src AS (
		SELECT v.answer_id, v.lang, 'v' AS kind, v.tsv FROM kb.variant v
		UNION ALL
		SELECT t.answer_id, t.lang, 't', t.title_tsv FROM kb.answer_text t
	)
	INSERT INTO kb.doc (answer_id, lang, kind, lexemes, central, norm)
	SELECT s.answer_id, s.lang, s.kind, tsvector_to_array(s.tsv), '{}', 1.0
	FROM src s JOIN kb.answer a ON a.id = s.answer_id AND a.published
	    AND a.kind NOT IN ('fallback', 'clarify');

	-- Centrality and norms, set-based: per answer and lexeme, how many of
	-- its variants and its title use it.
	WITH used AS (
		SELECT w.answer_id, w.lang, x AS l, count(*) AS n
		FROM (SELECT answer_id, lang, tsv FROM kb.variant
		    UNION ALL SELECT answer_id, lang, title_tsv
		    FROM kb.answer_text) w, unnest(tsvector_to_array(w.tsv)) x
		GROUP BY 1, 2, 3
	), calc AS (
		SELECT d.id, array_agg(least(1.0, coalesce(u.n, 1) / 2.0)
		    ORDER BY x.o) AS central,
		    coalesce(sum(v.idf) FILTER (WHERE sw.word IS NULL), 1.0) AS norm
		FROM kb.doc d
		CROSS JOIN LATERAL unnest(d.lexemes) WITH ORDINALITY x(l, o)
		LEFT JOIN used u ON u.answer_id = d.answer_id AND u.lang = d.lang
		    AND u.l = x.l
		LEFT JOIN kb.vocab v ON v.lang = d.lang AND v.lexeme = x.l
		LEFT JOIN kb.stopword sw ON sw.lang = d.lang AND sw.word = x.l
		GROUP BY d.id
	)
	UPDATE kb.doc d SET central = calc.central, norm = calc.norm
	FROM calc WHERE calc.id = d.id;

	DELETE FROM kb.redflag_alt;
	INSERT INTO kb.redflag_alt (redflag_id, grp, ngroups, alt)
	SELECT r.id, g.n, cardinality(x.all_groups), a
	FROM kb.redflag r,
	    LATERAL (SELECT string_to_array(coalesce(r.terms, lower(r.phrase)),
		' ') AS all_groups) x,
	    unnest(x.all_groups) WITH ORDINALITY g(w, n),
	    unnest(string_to_array(g.w, '|')) a
	WHERE a <> '';

	DELETE FROM kb.posting;
	-- Postings hold the searchable answers only: emergency answers are
	-- reached by red flags (kb.doc holds neither fallback nor clarify).
	INSERT INTO kb.posting (lang, lexeme, doc_id, answer_id, kind, norm,
	    central, smalltalk)
	SELECT d.lang, x.l, d.id, d.answer_id, d.kind, d.norm, x.c,
	    a.kind = 'smalltalk'
	FROM kb.doc d JOIN kb.answer a ON a.id = d.answer_id
	    AND a.kind <> 'emergency',
	    unnest(d.lexemes, d.central) x(l, c)
	WHERE NOT EXISTS (SELECT 1 FROM kb.stopword sw
	    WHERE sw.lang = d.lang AND sw.word = x.l)
	ORDER BY 1, 2;	-- in index order: much cheaper to index
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

-- The lexemes of a message, per word: the C side sends each word as its
-- alternatives ("pääsen|päästä"), and the whole form of a compound as an
-- optional word ("?hammaslääkäriaika", its parts come as words of their
-- own).  The standard forms of everyday words join them (synonyms); a word
-- with a stop-word alternative is dropped; a word the knowledge base does
-- not know is replaced by its nearest known spelling (typo tolerance), or
-- weighs as a rare word that matches nothing, so that an off-topic
-- message scores low.
CREATE FUNCTION kb.query_lexemes(p_lang text, p_groups text[])
RETURNS TABLE (grp integer, lexeme text, idf real, optional boolean)
LANGUAGE plpgsql STABLE SET pg_trgm.similarity_threshold = 0.45
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	v_stop	text[];
	v_rare	real;	/* the weight of a word that matches nothing */
BEGIN
	SELECT array_agg(sw.word) INTO v_stop FROM kb.stopword sw
	WHERE sw.lang = p_lang;
	SELECT v.idf INTO v_rare FROM kb.vocab v WHERE v.lang = p_lang
	ORDER BY v.df LIMIT 1;
	RETURN QUERY
	WITH groups AS (
		SELECT x.g::integer AS g, left(x.w, 1) = '?' AS opt,
		    string_to_array(ltrim(x.w, '?'), '|') AS alts
		FROM unnest(p_groups) WITH ORDINALITY x(w, g)
		WHERE ltrim(x.w, '?') <> ''
	), kept AS (
		SELECT * FROM groups
		WHERE NOT groups.alts && coalesce(v_stop, '{}')
	), alts AS (
		SELECT g, a FROM kept, unnest(alts) a
	), forms AS (
		-- a synonym matches a word or the start of the word as typed
		-- (the first alternative; 4 letters or more: "lekuri" in
		-- "lekurille"), looked up by index
		SELECT g, a AS f FROM alts
		UNION
		SELECT g, left(kept.alts[1], n) FROM kept,
		    generate_series(4, char_length(kept.alts[1]) - 1) n
	), expanded AS (
		SELECT g, a FROM alts
		UNION
		SELECT forms.g, s.replacement FROM forms JOIN kb.synonym s
		    ON s.lang = p_lang AND s.word = forms.f
		    AND (char_length(s.word) >= 4 OR s.word = forms.f)
	), lx AS (
		SELECT DISTINCT e.g, x FROM expanded e,
		    unnest(tsvector_to_array(kb.lex_tsv(p_lang, e.a))) x
	), known AS (
		-- LIMIT keeps this a lookup per lexeme by the primary key
		SELECT lx.g, lx.x, v.idf FROM lx CROSS JOIN LATERAL (
			SELECT v.idf FROM kb.vocab v
			WHERE v.lang = p_lang AND v.lexeme = lx.x LIMIT 1) v
	), unknown AS (
		-- (an unknown number, an age or a year, says nothing)
		SELECT lx.g, max(lx.x) AS x FROM lx JOIN kept USING (g)
		WHERE lx.g NOT IN (SELECT g FROM known) AND NOT kept.opt
		    AND lx.x !~ '^[0-9]+$'
		GROUP BY lx.g
	), split AS (
		-- A compound the knowledge base knows only in parts
		-- (tandläkartid, influensavaccination): the longest known
		-- prefix and a known rest, with or without a linking s.
		SELECT u.g, p.lexeme AS head, r.lexeme AS tail, p.idf AS hidf,
		    r.idf AS tidf
		FROM unknown u
		CROSS JOIN LATERAL (
			SELECT c.lexeme, c.idf FROM kb.vocab c
			WHERE char_length(u.x) >= 7
			    AND c.lang = p_lang
			    AND translate(left(c.lexeme, 2), 'äöå', 'aoa') =
				translate(left(u.x, 2), 'äöå', 'aoa')
			    AND length(c.lexeme) >= 3
			    AND length(c.lexeme) <= length(u.x) - 3
			    AND c.lexeme = left(u.x, length(c.lexeme))
			    AND EXISTS (SELECT 1 FROM kb.vocab t
				WHERE t.lang = p_lang AND t.lexeme IN
				(substr(u.x, length(c.lexeme) + 1),
				 substr(u.x, length(c.lexeme) + 2)))
			ORDER BY length(c.lexeme) DESC LIMIT 1
		) p
		CROSS JOIN LATERAL (
			SELECT t.lexeme, t.idf FROM kb.vocab t
			WHERE t.lang = p_lang AND t.lexeme IN
			    (substr(u.x, length(p.lexeme) + 1),
			     substr(u.x, length(p.lexeme) + 2))
			ORDER BY length(t.lexeme) DESC LIMIT 1
		) r
	), fixed AS (
		-- Otherwise the nearest known spelling that begins alike, ä, ö
		-- and å folded so that "hammaslaakarille" finds
		-- "hammaslääkäri".
		SELECT u.g, coalesce(f.lexeme, u.x) AS x,
		    coalesce(f.idf * 0.8, v_rare, 1.0) AS idf
		FROM unknown u
		LEFT JOIN LATERAL (
			SELECT c.lexeme, c.idf FROM kb.vocab c
			WHERE char_length(u.x) >= 5 AND c.lang = p_lang
			    AND translate(left(c.lexeme, 2), 'äöå', 'aoa') =
				translate(left(u.x, 2), 'äöå', 'aoa')
			    -- (similar words are of similar length: a cheap test
			    -- before the trigrams)
			    AND abs(char_length(c.lexeme) - char_length(u.x)) <= 3
			    AND translate(c.lexeme, 'äöå', 'aoa') %
				translate(u.x, 'äöå', 'aoa')
			ORDER BY similarity(translate(c.lexeme, 'äöå', 'aoa'),
			    translate(u.x, 'äöå', 'aoa')) DESC, c.lexeme LIMIT 1
		) f ON true
		WHERE u.g NOT IN (SELECT g FROM split)
	)
	SELECT k.g, k.x, k.idf::real, kept.opt FROM known k JOIN kept USING (g)
	UNION ALL
	SELECT f.g, f.x, f.idf::real, false FROM fixed f
	UNION ALL	-- the parts of a split compound count as two words
	SELECT -s.g, s.head, s.hidf::real, false FROM split s
	UNION ALL
	SELECT s.g, s.tail, s.tidf::real, false FROM split s;
END $$;

-- Candidate answers for a message, best first.  A word's weight is the
-- IDF of its rarest known form; a document is credited, per word, with
-- the best form it holds.  A variant or title scores by the share of the
-- message's weight it covers (mostly) and the share of its own weight the
-- message covers; an answer's bag of words and its body count for less.
-- The exact title of an answer (a quick reply posted back) scores 1.
-- PL/pgSQL, so that the plans are cached for the connection.
CREATE FUNCTION kb.search(p_lang text, p_groups text[], p_text text,
    p_limit integer DEFAULT 4)
RETURNS TABLE (answer_id integer, score real, kind text)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	v_grp	integer[];
	v_lx	text[];
	v_idf	real[];
	v_opt	boolean[];
	v_total	real;
	v_words	integer;
BEGIN
	SELECT array_agg(q.grp), array_agg(q.lexeme), array_agg(q.idf),
	    array_agg(q.optional)
	INTO v_grp, v_lx, v_idf, v_opt
	FROM kb.query_lexemes(p_lang, p_groups) q;
	SELECT sum(m), count(*) INTO v_total, v_words FROM (SELECT max(u.i) AS m
	    FROM unnest(v_grp, v_idf, v_opt) u(g, i, o) WHERE NOT u.o
	    GROUP BY abs(u.g)) w;
	RETURN QUERY
	WITH q AS (
		SELECT * FROM unnest(v_grp, v_lx, v_idf, v_opt) u(g, l, i, o)
	), credit AS (
		-- per document and word, the best credit of its forms
		SELECT p.doc_id AS id, p.answer_id, p.kind, p.norm, p.smalltalk,
		    q.g, bool_and(q.o) AS o, max(q.i * p.central) AS m,
		    max(q.i) AS r
		FROM q JOIN kb.posting p ON p.lang = p_lang AND p.lexeme = q.l
		WHERE v_total > 0
		GROUP BY p.doc_id, p.answer_id, p.kind, p.norm, p.smalltalk, q.g
	), bag AS (
		-- per answer and word, the best of all its documents
		SELECT c.answer_id, c.smalltalk, c.g, bool_and(c.o) AS o,
		    max(c.m) AS m, max(c.r) AS r
		FROM credit c GROUP BY c.answer_id, c.smalltalk, c.g
	), hits AS (
		SELECT cr.answer_id, cr.smalltalk, cr.kind, cr.norm,
		    sum(cr.m) AS hit,
		    v_total + coalesce(sum(cr.m) FILTER (WHERE cr.o), 0) AS total,
		    count(*) FILTER (WHERE NOT cr.o) AS words, sum(cr.r) AS raw
		FROM credit cr
		GROUP BY cr.id, cr.answer_id, cr.smalltalk, cr.kind, cr.norm
		UNION ALL
		SELECT b.answer_id, b.smalltalk, 'a', 1.0, sum(b.m),
		    v_total + coalesce(sum(b.m) FILTER (WHERE b.o), 0),
		    count(*) FILTER (WHERE NOT b.o), sum(b.r)
		FROM bag b GROUP BY b.answer_id, b.smalltalk
	), ranked AS (
		-- One word in common with a message of three words or more
		-- is a coincidence more often than an answer ("weather in
		-- Vaasa tomorrow" shares only "tomorrow" with the answer on
		-- cancelling tomorrow's appointment): it scores half.
		SELECT h.answer_id, h.smalltalk, h.raw / h.total AS cover,
		    CASE h.kind
		    WHEN 'a' THEN 0.8 * h.hit / h.total
		    ELSE power(h.hit / h.total, 0.7) *
			power(h.hit / greatest(h.norm, h.hit), 0.3)
		    END * CASE WHEN v_words >= 3 AND h.words < 2 THEN 0.5
		    WHEN v_words = 2 AND h.words < 2 THEN 0.7
		    ELSE 1.0 END AS score
		FROM hits h
		UNION ALL
		-- an exact title is a quick reply chosen: above any match
		SELECT t.answer_id, a.kind = 'smalltalk', 1.0, 2.0
		FROM kb.answer_text t JOIN kb.answer a ON a.id = t.answer_id
		    AND a.published
		    AND a.kind NOT IN ('fallback', 'clarify', 'emergency')
		WHERE t.lang = p_lang AND lower(t.title) = lower(btrim(p_text, ' ?!.'))
	)
	-- Small talk must be most of the message: "good car repair shop?"
	-- is no farewell for sharing "good" with "bye, have a good day".
	SELECT r.answer_id, (max(r.score) * CASE WHEN bool_or(r.smalltalk)
	    AND max(r.cover) < 0.5 THEN 0.3 ELSE 1.0 END)::real,
	    CASE WHEN bool_or(r.smalltalk) THEN 'smalltalk' ELSE 'answer' END
	FROM ranked r
	GROUP BY r.answer_id
	ORDER BY 2 DESC, 1
	LIMIT p_limit;
END $$;

-- Does the message hold a red-flag phrase?  Every word of a phrase must
-- match a word of the message by base form, or as the start of it
-- ("collaps" matches "collapsed").  An exception phrase (answer_key NULL)
-- that matches silences the red flags: "rintakipulääkkeen resepti".
-- Phrases of every language are tried, the message's own first: a
-- person in danger writing Swedish to a widget set to Finnish, or in too
-- few words for the language to be clear, still gets 112, in the
-- language of the phrase that matched.
CREATE FUNCTION kb.redflag_match(p_lang text, p_words text[])
RETURNS TABLE (answer_id integer, phrase text, lang text)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH forms AS (
		-- the message's words and their beginnings of 4 letters or
		-- more: a phrase word matches either
		SELECT DISTINCT w AS f FROM unnest(p_words) w
		UNION
		SELECT left(w, n) FROM unnest(p_words) w,
		    generate_series(4, char_length(w) - 1) n
	), hits AS (
		SELECT r.id, r.answer_key, r.phrase, r.lang
		FROM forms JOIN kb.redflag_alt ra ON ra.alt = forms.f
		JOIN kb.redflag r ON r.id = ra.redflag_id
		GROUP BY r.id, r.answer_key, r.phrase, r.lang, ra.ngroups
		HAVING count(DISTINCT ra.grp) = ra.ngroups
	)
	-- A red flag silenced by an exception comes back with no answer:
	-- the caller then looks at the message clause by clause.
	SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM hits e
		WHERE e.answer_key IS NULL) THEN a.id END, h.phrase, h.lang
	FROM hits h JOIN kb.answer a ON a.key = h.answer_key
	WHERE a.published
	ORDER BY h.lang = p_lang DESC, a.kind = 'emergency' DESC,
	    length(h.phrase) DESC
	LIMIT 1;
END $$;

-- One round trip for a turn: red flags in the whole message first; else
-- the ranked candidates, the best with its reply already built (the
-- service answers with it when the policy agrees, as it mostly does).
-- silenced: a red flag matched but an exception silenced it, so the
-- service checks the message clause by clause.
CREATE FUNCTION kb.turn(p_lang text, p_words text[], p_groups text[],
    p_text text, p_limit integer)
RETURNS TABLE (answer_id integer, score real, kind text, lang text,
    reply json, silenced boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	r	record;
	v_off	boolean := false;
BEGIN
	SELECT * INTO r FROM kb.redflag_match(p_lang, p_words);
	IF FOUND AND r.answer_id IS NOT NULL THEN
		RETURN QUERY SELECT r.answer_id, 1.0::real, 'redflag'::text,
		    r.lang, kb.reply(r.answer_id, r.lang), false;
		RETURN;
	END IF;
	v_off := FOUND;
	RETURN QUERY SELECT s.answer_id, s.score, s.kind, p_lang,
	    CASE WHEN s.n = 1 THEN kb.reply(s.answer_id, p_lang) END, v_off
	FROM (SELECT x.answer_id, x.score, x.kind, row_number() OVER
	    (ORDER BY x.score DESC, x.answer_id) AS n
	    FROM kb.search(p_lang, p_groups, p_text, p_limit) x) s
	ORDER BY s.n;
END $$;

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
-- (PL/pgSQL for the functions of every turn: their plans are cached for
-- the connection, where an SQL function's are made anew at each call.)
CREATE FUNCTION kb.reply(p_answer integer, p_lang text)
RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT json_build_object(
	    'id', a.id, 'kind', a.kind, 'title', t.title,
	    'text', kb.expand(t.body) || coalesce(E'\n\n' ||
	        kb.service_note(a.service, p_lang, now()), ''),
	    'links', coalesce((SELECT json_agg(json_build_object('title',
	        l.title, 'url', l.url) ORDER BY l.pos, l.id) FROM kb.link l
	        WHERE l.answer_id = a.id AND l.lang = p_lang), '[]'))
	FROM kb.answer a JOIN kb.answer_text t ON t.answer_id = a.id
	    AND t.lang = p_lang
	WHERE a.id = p_answer AND a.published);
END $$;

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
-- The service makes the turn's id (a random UUID) so that the reply can
-- leave before the log is written.
CREATE FUNCTION chat.log_turn(p_id uuid, p_session text, p_lang text,
    p_kind text, p_message text, p_norm text, p_answer integer,
    p_score real, p_suggestions integer[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
BEGIN
	INSERT INTO chat.turn (id, session, lang, kind, message, norm,
	    answer_id, score, suggestions)
	VALUES (p_id, p_session, p_lang, p_kind, p_message, p_norm, p_answer,
	    p_score, coalesce(p_suggestions, '{}'));
END $$;

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

-- What a citizen wrote is committed durably, whatever the session's
-- synchronous_commit (set_config(..., true) lasts to the commit).
CREATE FUNCTION chat.add_feedback(p_rating smallint, p_comment text,
    p_lang text, p_session text, p_page text) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, chat AS $$
	SELECT set_config('synchronous_commit', 'on', true);
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
