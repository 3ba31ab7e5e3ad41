-- 005_import.sql: the knowledge base as reviewable records (the format of
-- docs/content-format.md).  kb.import_answer() takes one record and makes
-- the database match it; importing the same record twice changes nothing.
-- kb.export_answer() gives the record back in the same shape.

CREATE FUNCTION kb.import_answer(p jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_id	integer;
	v_lang	text;
	v_t	jsonb;
BEGIN
	IF p->>'key' IS NULL THEN
		RAISE EXCEPTION 'kb.import_answer: record without "key"';
	END IF;
	FOREACH v_lang IN ARRAY ARRAY['fi', 'sv', 'en'] LOOP
		IF jsonb_typeof(p->v_lang) IS DISTINCT FROM 'object' THEN
			RAISE EXCEPTION 'answer %: language "%" is missing',
			    p->>'key', v_lang;
		END IF;
	END LOOP;
	INSERT INTO kb.answer (key, kind, category, service, menu, verify,
	    published)
	VALUES (p->>'key', coalesce(p->>'kind', 'answer'),
	    coalesce(p->>'category', 'general'), p->>'service',
	    (p->>'menu')::integer, coalesce((p->>'verify')::boolean, false),
	    coalesce((p->>'published')::boolean, true))
	ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind,
	    category = EXCLUDED.category, service = EXCLUDED.service,
	    menu = EXCLUDED.menu, verify = EXCLUDED.verify,
	    published = EXCLUDED.published, updated_at = now()
	WHERE (kb.answer.kind, kb.answer.category, kb.answer.service,
	    kb.answer.menu, kb.answer.verify, kb.answer.published)
	    IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.category,
	    EXCLUDED.service, EXCLUDED.menu, EXCLUDED.verify,
	    EXCLUDED.published);
	SELECT id INTO v_id FROM kb.answer WHERE key = p->>'key';
	FOREACH v_lang IN ARRAY ARRAY['fi', 'sv', 'en'] LOOP
		v_t := p->v_lang;
		PERFORM kb.import_text(v_id, v_lang, v_t);
	END LOOP;
	RETURN v_id;
END $$;

CREATE FUNCTION kb.import_text(p_id integer, p_lang text, t jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kb.answer_text (answer_id, lang, title, body)
	VALUES (p_id, p_lang, t->>'title', t->>'body')
	ON CONFLICT (answer_id, lang) DO UPDATE SET title = EXCLUDED.title,
	    body = EXCLUDED.body
	WHERE (kb.answer_text.title, kb.answer_text.body)
	    IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body);

	-- Links: replaced only when they differ, in the record's order.
	IF (SELECT coalesce(jsonb_agg(jsonb_build_object('title', title,
	    'url', url) ORDER BY pos, id), '[]') FROM kb.link
	    WHERE answer_id = p_id AND lang = p_lang)
	    IS DISTINCT FROM coalesce(t->'links', '[]') THEN
		DELETE FROM kb.link WHERE answer_id = p_id AND lang = p_lang;
		INSERT INTO kb.link (answer_id, lang, pos, title, url)
		SELECT p_id, p_lang, x.ord, x.l->>'title', x.l->>'url'
		FROM jsonb_array_elements(coalesce(t->'links', '[]'))
		    WITH ORDINALITY x(l, ord);
	END IF;

	-- Variants: unchanged ones keep their lemmatised terms.
	DELETE FROM kb.variant v WHERE v.answer_id = p_id AND v.lang = p_lang
	    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(
	    coalesce(t->'variants', '[]')) x WHERE x = v.text);
	-- in the record's order (ids follow it, and so does the export)
	INSERT INTO kb.variant (answer_id, lang, text)
	SELECT p_id, p_lang, e.x
	FROM jsonb_array_elements_text(coalesce(t->'variants', '[]'))
	    WITH ORDINALITY e(x, ord)
	ORDER BY e.ord
	ON CONFLICT (answer_id, lang, text) DO NOTHING;
END $$;

CREATE FUNCTION kb.export_answer(p_id integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object(
	    'key', a.key, 'kind', a.kind, 'category', a.category,
	    'service', a.service, 'menu', a.menu, 'verify', a.verify,
	    'published', CASE WHEN a.published THEN NULL ELSE false END))
	    || (SELECT jsonb_object_agg(t.lang, jsonb_build_object(
		'title', t.title, 'body', t.body,
		'links', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'title', l.title, 'url', l.url) ORDER BY l.pos, l.id), '[]')
		    FROM kb.link l WHERE l.answer_id = a.id AND l.lang = t.lang),
		'variants', (SELECT coalesce(jsonb_agg(v.text ORDER BY v.id), '[]')
		    FROM kb.variant v WHERE v.answer_id = a.id
		    AND v.lang = t.lang)))
		FROM kb.answer_text t WHERE t.answer_id = a.id)
	FROM kb.answer a WHERE a.id = p_id
$$;
