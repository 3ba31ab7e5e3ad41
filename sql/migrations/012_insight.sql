-- 012_insight.sql: what the content team reads every week (schema admin):
-- usage, the questions Neuvo could not answer, the worst-rated answers,
-- the feedback form, the answer rate, the busiest hours, and the calls to
-- the customer service centre beside the bot's answers.  Days and hours
-- are local to Europe/Helsinki.  sql/report draws the same views.

-- A turn "ended in an answer" unless Neuvo fell back or asked back.
CREATE VIEW admin.daily_usage AS
	SELECT (t.created_at AT TIME ZONE 'Europe/Helsinki')::date AS day,
	    count(*) AS turns, count(DISTINCT t.session) AS sessions,
	    count(*) FILTER (WHERE t.lang = 'fi') AS fi,
	    count(*) FILTER (WHERE t.lang = 'sv') AS sv,
	    count(*) FILTER (WHERE t.lang = 'en') AS en,
	    count(*) FILTER (WHERE t.kind = 'answer') AS answer,
	    count(*) FILTER (WHERE t.kind = 'emergency') AS emergency,
	    count(*) FILTER (WHERE t.kind = 'smalltalk') AS smalltalk,
	    count(*) FILTER (WHERE t.kind = 'clarify') AS clarify,
	    count(*) FILTER (WHERE t.kind = 'fallback') AS fallback
	FROM chat.turn t
	GROUP BY 1 ORDER BY 1 DESC;

-- The same by language and kind, one row each (for pivots and charts).
CREATE VIEW admin.usage_by_kind AS
	SELECT (t.created_at AT TIME ZONE 'Europe/Helsinki')::date AS day,
	    t.lang, t.kind, count(*) AS turns,
	    count(DISTINCT t.session) AS sessions
	FROM chat.turn t
	GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 3;

-- Fallbacks and clarifications by what Neuvo saw (the normalised,
-- redacted message), most frequent first: the list to write variants and
-- synonyms from.
CREATE VIEW admin.unanswered AS
	SELECT t.norm, count(*) AS times,
	    count(*) FILTER (WHERE t.kind = 'fallback') AS fallbacks,
	    count(*) FILTER (WHERE t.kind = 'clarify') AS clarifications,
	    string_agg(DISTINCT t.lang, ',') AS langs,
	    (array_agg(t.message ORDER BY t.created_at DESC))[1] AS example,
	    max(t.created_at) AS last_asked
	FROM chat.turn t
	WHERE t.kind IN ('fallback', 'clarify')
	GROUP BY t.norm
	ORDER BY times DESC, last_asked DESC;

-- Thumbs per answer, the largest share of thumbs down first.
CREATE VIEW admin.worst_answers AS
	SELECT a.key, a.category, tx.title,
	    count(*) AS ratings,
	    count(*) FILTER (WHERE r.helpful) AS helpful,
	    count(*) FILTER (WHERE NOT r.helpful) AS unhelpful,
	    round(count(*) FILTER (WHERE NOT r.helpful)::numeric / count(*), 2)
		AS unhelpful_share
	FROM chat.rating r
	JOIN chat.turn t ON t.id = r.turn_id
	JOIN kb.answer a ON a.id = t.answer_id
	LEFT JOIN kb.answer_text tx ON tx.answer_id = a.id AND tx.lang = 'fi'
	GROUP BY a.id, a.key, a.category, tx.title
	ORDER BY unhelpful_share DESC, unhelpful DESC, a.key;

CREATE VIEW admin.feedback AS
	SELECT f.id, f.created_at AT TIME ZONE 'Europe/Helsinki' AS at,
	    f.rating, f.comment, f.lang, f.page
	FROM chat.feedback f
	ORDER BY f.created_at DESC;

CREATE VIEW admin.answer_rate AS
	SELECT (t.created_at AT TIME ZONE 'Europe/Helsinki')::date AS day,
	    count(*) AS turns,
	    count(*) FILTER (WHERE t.kind NOT IN ('fallback', 'clarify'))
		AS answered,
	    count(*) FILTER (WHERE t.kind = 'clarify') AS clarified,
	    count(*) FILTER (WHERE t.kind = 'fallback') AS fallbacks,
	    round(count(*) FILTER (WHERE t.kind NOT IN ('fallback', 'clarify'))
		::numeric / count(*), 3) AS answer_share
	FROM chat.turn t
	GROUP BY 1 ORDER BY 1 DESC;

CREATE VIEW admin.busy_hours AS
	SELECT h.hour, count(t.id) AS turns,
	    count(t.id) FILTER (WHERE extract(isodow FROM t.created_at
		AT TIME ZONE 'Europe/Helsinki') < 6) AS weekday_turns,
	    count(t.id) FILTER (WHERE extract(isodow FROM t.created_at
		AT TIME ZONE 'Europe/Helsinki') >= 6) AS weekend_turns
	FROM generate_series(0, 23) h(hour)
	LEFT JOIN chat.turn t ON extract(hour FROM t.created_at
	    AT TIME ZONE 'Europe/Helsinki') = h.hour
	GROUP BY h.hour ORDER BY h.hour;

-- Calls to the customer service centre per month and category, from its
-- telephony statistics (a CSV: month,category,calls).  The categories are
-- those of kb.answer.category.
CREATE TABLE admin.call_stats (
	month		date NOT NULL CHECK (month = date_trunc('month', month)),
	category	text NOT NULL CHECK (category ~ '^[a-z_]+$'),
	calls		integer NOT NULL CHECK (calls >= 0),
	PRIMARY KEY (month, category)
);

-- The CSV as text: a header line "month,category,calls" (optional), then
-- lines like "2026-03,appointments,1450"; a month may be written
-- 2026-03 or 2026-03-01.  Lines starting with # are comments.  Loading a
-- month again replaces its numbers.  Returns the number of lines loaded.
CREATE FUNCTION admin.load_calls(p_csv text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_line	text;
	v_no	integer := 0;
	v_n	integer := 0;
	v_f	text[];
	v_month	date;
BEGIN
	FOREACH v_line IN ARRAY string_to_array(replace(coalesce(p_csv, ''),
	    E'\r', ''), E'\n') LOOP
		v_no := v_no + 1;
		v_line := btrim(v_line);
		CONTINUE WHEN v_line = '' OR left(v_line, 1) = '#'
		    OR lower(v_line) LIKE 'month,%';
		v_f := regexp_split_to_array(v_line, '\s*,\s*');
		IF cardinality(v_f) <> 3 OR v_f[1] !~ '^\d{4}-\d{2}(-01)?$'
		    OR v_f[2] !~ '^[a-z_]+$' OR v_f[3] !~ '^\d{1,9}$' THEN
			RAISE EXCEPTION 'calls CSV line %: expected month,category,calls like 2026-03,appointments,1450; got "%"',
			    v_no, v_line USING ERRCODE = 'invalid_text_representation';
		END IF;
		v_month := (left(v_f[1], 7) || '-01')::date;
		INSERT INTO admin.call_stats (month, category, calls)
		VALUES (v_month, v_f[2], v_f[3]::integer)
		ON CONFLICT (month, category) DO UPDATE SET calls = EXCLUDED.calls;
		v_n := v_n + 1;
	END LOOP;
	RETURN v_n;
END $$;

-- Calls beside the bot's answers (kinds answer and emergency) per month
-- and category: do calls fall as the bot answers more?
CREATE VIEW admin.calls_vs_bot AS
	WITH bot AS (
		SELECT date_trunc('month', t.created_at AT TIME ZONE
		    'Europe/Helsinki')::date AS month, a.category,
		    count(*) AS answers
		FROM chat.turn t JOIN kb.answer a ON a.id = t.answer_id
		WHERE t.kind IN ('answer', 'emergency')
		GROUP BY 1, 2
	)
	SELECT coalesce(c.month, b.month) AS month,
	    coalesce(c.category, b.category) AS category,
	    c.calls, coalesce(b.answers, 0) AS bot_answers
	FROM admin.call_stats c
	FULL JOIN bot b ON b.month = c.month AND b.category = c.category
	ORDER BY 1 DESC, 2;

CREATE VIEW admin.calls_vs_bot_monthly AS
	SELECT month, sum(calls) AS calls, sum(bot_answers) AS bot_answers
	FROM admin.calls_vs_bot
	GROUP BY month ORDER BY month DESC;

REVOKE ALL ON FUNCTION admin.load_calls(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION admin.load_calls(text) TO neuvo_editor;
GRANT SELECT ON admin.daily_usage, admin.usage_by_kind, admin.unanswered,
    admin.worst_answers, admin.feedback, admin.answer_rate,
    admin.busy_hours, admin.calls_vs_bot, admin.calls_vs_bot_monthly
    TO neuvo_editor;
GRANT SELECT, INSERT, UPDATE, DELETE ON admin.call_stats TO neuvo_editor;
