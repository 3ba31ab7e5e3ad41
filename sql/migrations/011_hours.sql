-- 011_hours.sql: opening hours of the services, public holidays and the
-- note kb.reply() appends to an answer ("... is open now (Mon–Fri 8–16)").
-- Times are local to Europe/Helsinki.  The data comes from sql/kb/hours.tsv
-- and sql/kb/holidays.tsv (sql/kbtool); the note's sentences are rows of
-- kb.hours_text, so the content team edits them like any other text.

-- Weekly hours, one interval per weekday (ISO: 1 Monday .. 7 Sunday).
-- verify: the hours are not confirmed by a source (the facts file) and the
-- content team must check them.
CREATE TABLE kb.service_hours (
	service	text NOT NULL REFERENCES kb.service ON UPDATE CASCADE
		    ON DELETE CASCADE,
	isodow	smallint NOT NULL CHECK (isodow BETWEEN 1 AND 7),
	opens	time NOT NULL,
	closes	time NOT NULL,
	verify	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (service, isodow),
	CHECK (closes > opens)
);

-- Public holidays (and the eves that are days off): every service with
-- weekly hours is closed, unless an exception date says otherwise.
CREATE TABLE kb.holiday (
	day	date PRIMARY KEY,
	name_fi	text NOT NULL CHECK (btrim(name_fi) <> ''),
	name_sv	text NOT NULL CHECK (btrim(name_sv) <> ''),
	name_en	text NOT NULL CHECK (btrim(name_en) <> '')
);

-- One service on one date: other hours, or closed (opens and closes NULL).
CREATE TABLE kb.service_exception (
	service	text NOT NULL REFERENCES kb.service ON UPDATE CASCADE
		    ON DELETE CASCADE,
	day	date NOT NULL,
	opens	time,
	closes	time,
	verify	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (service, day),
	CHECK ((opens IS NULL) = (closes IS NULL)),
	CHECK (closes > opens)
);

-- The note's sentences.  Placeholders: {name} the service, {hours} its
-- hours ("ma–pe 8–16"), {holiday} the holiday's name, {tel:key} a number
-- of kb.service (kb.expand).  "days" lists the weekday abbreviations
-- Monday first; "today" prefixes the hours of an exception date.
CREATE TABLE kb.hours_text (
	key	text NOT NULL CHECK (key IN ('open', 'closed', 'holiday',
		    'days', 'today')),
	lang	text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	text	text NOT NULL CHECK (btrim(text) <> ''),
	PRIMARY KEY (key, lang),
	CHECK (key <> 'days' OR cardinality(string_to_array(text, ' ')) = 7)
);

INSERT INTO kb.hours_text (key, lang, text) VALUES
('open', 'fi', '{name} on nyt avoinna ({hours}).'),
('open', 'sv', '{name} är öppen nu ({hours}).'),
('open', 'en', '{name} is open now ({hours}).'),
('closed', 'fi', '{name} on nyt suljettu ({hours}). Kiireellisissä asioissa soita Päivystysapuun {tel:medical_helpline}, hätätilanteessa {tel:emergency}.'),
('closed', 'sv', '{name} är stängd nu ({hours}). I brådskande fall ring Jourhjälpen {tel:medical_helpline}, i en nödsituation {tel:emergency}.'),
('closed', 'en', '{name} is closed now ({hours}). For urgent matters call the Medical helpline {tel:medical_helpline}; in an emergency call {tel:emergency}.'),
('holiday', 'fi', '{name} on tänään suljettu ({holiday}). Kiireellisissä asioissa soita Päivystysapuun {tel:medical_helpline}, hätätilanteessa {tel:emergency}.'),
('holiday', 'sv', '{name} är stängd i dag ({holiday}). I brådskande fall ring Jourhjälpen {tel:medical_helpline}, i en nödsituation {tel:emergency}.'),
('holiday', 'en', '{name} is closed today ({holiday}). For urgent matters call the Medical helpline {tel:medical_helpline}; in an emergency call {tel:emergency}.'),
('days', 'fi', 'ma ti ke to pe la su'),
('days', 'sv', 'mån tis ons tor fre lör sön'),
('days', 'en', 'Mon Tue Wed Thu Fri Sat Sun'),
('today', 'fi', 'tänään'),
('today', 'sv', 'i dag'),
('today', 'en', 'today');

-- 8:00 -> "8", 8:30 -> "8.30", 24:00 -> "24".
CREATE FUNCTION kb.time_text(p time) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT extract(hour FROM p)::integer::text ||
	    CASE WHEN extract(minute FROM p) > 0
	    THEN '.' || to_char(extract(minute FROM p)::integer, 'FM00')
	    ELSE '' END
$$;

-- The weekly hours in a few words: consecutive days with the same hours
-- make one range ("ma–pe 8–16", "ma–to 8–14, pe 8–13").
CREATE FUNCTION kb.hours_summary(p_service text, p_lang text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (WITH d AS (
		SELECT string_to_array(text, ' ') AS names FROM kb.hours_text
		WHERE key = 'days' AND lang = p_lang
	), h AS (
		SELECT isodow, opens, closes, isodow - row_number() OVER
		    (PARTITION BY opens, closes ORDER BY isodow) AS grp
		FROM kb.service_hours WHERE service = p_service
	), g AS (
		SELECT min(isodow) AS a, max(isodow) AS b, opens, closes
		FROM h GROUP BY grp, opens, closes
	)
	SELECT string_agg(d.names[g.a] || CASE WHEN g.a = g.b THEN ''
	    ELSE '–' || d.names[g.b] END || ' ' || kb.time_text(g.opens) ||
	    '–' || kb.time_text(g.closes), ', ' ORDER BY g.a)
	FROM g, d);
END $$;

-- Is the service open at p_at?  NULL (no note) for a service without
-- weekly hours: the round-the-clock numbers need none.  An exception date
-- wins over a holiday, a holiday over the weekly hours.
CREATE OR REPLACE FUNCTION kb.service_note(p_service text, p_lang text,
    p_at timestamptz) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_local		timestamp := p_at AT TIME ZONE 'Europe/Helsinki';
	v_day		date := v_local::date;
	v_now		time := v_local::time;
	v_name		text;
	v_hours		text;
	v_holiday	text;
	v_key		text;
	v_text		text;
	v_opens		time;
	v_closes	time;
BEGIN
	IF p_service IS NULL OR NOT EXISTS (SELECT 1 FROM kb.service_hours
	    WHERE service = p_service) THEN
		RETURN NULL;
	END IF;
	SELECT CASE p_lang WHEN 'sv' THEN s.name_sv WHEN 'en' THEN s.name_en
	    ELSE s.name_fi END INTO v_name FROM kb.service s
	WHERE s.key = p_service;
	v_hours := kb.hours_summary(p_service, p_lang);
	SELECT e.opens, e.closes INTO v_opens, v_closes
	FROM kb.service_exception e WHERE e.service = p_service AND e.day = v_day;
	IF FOUND THEN
		IF v_opens IS NOT NULL THEN
			SELECT t.text || ' ' || kb.time_text(v_opens) || '–' ||
			    kb.time_text(v_closes) INTO v_hours
			FROM kb.hours_text t WHERE t.key = 'today' AND t.lang = p_lang;
		END IF;
		v_key := CASE WHEN v_now >= v_opens AND v_now < v_closes
		    THEN 'open' ELSE 'closed' END;
	ELSE
		SELECT CASE p_lang WHEN 'sv' THEN h.name_sv WHEN 'en'
		    THEN h.name_en ELSE h.name_fi END INTO v_holiday
		FROM kb.holiday h WHERE h.day = v_day;
		IF FOUND THEN
			v_key := 'holiday';
		ELSIF EXISTS (SELECT 1 FROM kb.service_hours h
		    WHERE h.service = p_service
		    AND h.isodow = extract(isodow FROM v_day)
		    AND v_now >= h.opens AND v_now < h.closes) THEN
			v_key := 'open';
		ELSE
			v_key := 'closed';
		END IF;
	END IF;
	SELECT t.text INTO v_text FROM kb.hours_text t
	WHERE t.key = v_key AND t.lang = p_lang;
	RETURN kb.expand(replace(replace(replace(v_text, '{name}', v_name),
	    '{hours}', coalesce(v_hours, '')), '{holiday}',
	    coalesce(v_holiday, '')));
END $$;

-- Editing the hours: days as in hours.tsv ("mon-fri", "sat", "mon,wed").
CREATE FUNCTION admin.parse_days(p_days text) RETURNS smallint[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_names	text[] := ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
	v_part	text;
	v_a	integer;
	v_b	integer;
	v_out	smallint[] := '{}';
BEGIN
	FOREACH v_part IN ARRAY string_to_array(lower(replace(coalesce(p_days,
	    ''), ' ', '')), ',') LOOP
		v_a := array_position(v_names, split_part(v_part, '-', 1));
		v_b := array_position(v_names, coalesce(nullif(split_part(
		    v_part, '-', 2), ''), split_part(v_part, '-', 1)));
		IF v_a IS NULL OR v_b IS NULL OR v_b < v_a THEN
			RAISE EXCEPTION 'days "%": write weekdays as mon..sun, ranges as mon-fri, lists as mon,wed',
			    p_days USING ERRCODE = 'invalid_parameter_value';
		END IF;
		v_out := v_out || ARRAY(SELECT generate_series(v_a, v_b)::smallint);
	END LOOP;
	IF cardinality(v_out) = 0 THEN
		RAISE EXCEPTION 'days "%": no weekday given', p_days
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v_out;
END $$;

CREATE FUNCTION admin.check_service(p_service text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kb.service WHERE key = p_service) THEN
		RAISE EXCEPTION 'unknown service "%"', p_service
		    USING ERRCODE = 'foreign_key_violation';
	END IF;
END $$;

CREATE FUNCTION admin.set_hours(p_service text, p_days text, p_opens time,
    p_closes time, p_verify boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM admin.check_service(p_service);
	IF p_opens IS NULL OR p_closes IS NULL OR p_closes <= p_opens THEN
		RAISE EXCEPTION 'service "%": opening hours %–% must close after they open',
		    p_service, p_opens, p_closes USING ERRCODE = 'check_violation';
	END IF;
	INSERT INTO kb.service_hours (service, isodow, opens, closes, verify)
	SELECT p_service, d, p_opens, p_closes, p_verify
	FROM unnest(admin.parse_days(p_days)) d
	ON CONFLICT (service, isodow) DO UPDATE SET opens = EXCLUDED.opens,
	    closes = EXCLUDED.closes, verify = EXCLUDED.verify
	WHERE (kb.service_hours.opens, kb.service_hours.closes,
	    kb.service_hours.verify) IS DISTINCT FROM (EXCLUDED.opens,
	    EXCLUDED.closes, EXCLUDED.verify);
END $$;

CREATE FUNCTION admin.clear_hours(p_service text, p_days text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	DELETE FROM kb.service_hours WHERE service = p_service
	    AND isodow = ANY (admin.parse_days(p_days));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END $$;

-- An exception date: other hours, or closed all day (opens NULL).
CREATE FUNCTION admin.set_exception(p_service text, p_day date,
    p_opens time DEFAULT NULL, p_closes time DEFAULT NULL,
    p_verify boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM admin.check_service(p_service);
	IF (p_opens IS NULL) <> (p_closes IS NULL) OR p_closes <= p_opens THEN
		RAISE EXCEPTION 'service "%" on %: give both opening and closing time (closing later), or neither for closed',
		    p_service, p_day USING ERRCODE = 'check_violation';
	END IF;
	INSERT INTO kb.service_exception (service, day, opens, closes, verify)
	VALUES (p_service, p_day, p_opens, p_closes, p_verify)
	ON CONFLICT (service, day) DO UPDATE SET opens = EXCLUDED.opens,
	    closes = EXCLUDED.closes, verify = EXCLUDED.verify;
END $$;

-- The hours to check: everything marked verify, for the weekly routine.
CREATE VIEW admin.hours_to_verify AS
	SELECT h.service, s.name_fi, kb.hours_summary(h.service, 'fi') AS hours,
	    NULL::date AS day
	FROM kb.service_hours h JOIN kb.service s ON s.key = h.service
	WHERE h.verify GROUP BY h.service, s.name_fi
	UNION ALL
	SELECT e.service, s.name_fi, coalesce(kb.time_text(e.opens) || '–' ||
	    kb.time_text(e.closes), 'closed'), e.day
	FROM kb.service_exception e JOIN kb.service s ON s.key = e.service
	WHERE e.verify;

CREATE TRIGGER service_hours_audit AFTER INSERT OR UPDATE OR DELETE
    ON kb.service_hours FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER service_exception_audit AFTER INSERT OR UPDATE OR DELETE
    ON kb.service_exception FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER holiday_audit AFTER INSERT OR UPDATE OR DELETE
    ON kb.holiday FOR EACH ROW EXECUTE FUNCTION admin.audit_row();
CREATE TRIGGER hours_text_audit AFTER INSERT OR UPDATE OR DELETE
    ON kb.hours_text FOR EACH ROW EXECUTE FUNCTION admin.audit_row();

-- The service reads the hours; the team edits them.
REVOKE ALL ON FUNCTION kb.time_text(time), kb.hours_summary(text, text)
    FROM PUBLIC;
GRANT SELECT ON kb.service_hours, kb.holiday, kb.service_exception,
    kb.hours_text TO neuvo_app;
GRANT EXECUTE ON FUNCTION kb.time_text(time), kb.hours_summary(text, text)
    TO neuvo_app, neuvo_editor;
GRANT SELECT, INSERT, UPDATE, DELETE ON kb.service_hours, kb.holiday,
    kb.service_exception, kb.hours_text TO neuvo_editor;
REVOKE ALL ON FUNCTION admin.parse_days(text), admin.check_service(text),
    admin.set_hours(text, text, time, time, boolean),
    admin.clear_hours(text, text),
    admin.set_exception(text, date, time, time, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION admin.parse_days(text), admin.check_service(text),
    admin.set_hours(text, text, time, time, boolean),
    admin.clear_hours(text, text),
    admin.set_exception(text, date, time, time, boolean) TO neuvo_editor;
GRANT SELECT ON admin.hours_to_verify TO neuvo_editor;
