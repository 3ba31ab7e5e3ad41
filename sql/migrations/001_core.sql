-- 001_core.sql: the knowledge base (schema kb), the chat log (schema chat)
-- and the roles.  Applied once by sql/migrate as the database owner.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA kb;
CREATE SCHEMA chat;

-- Roles are cluster-wide: create them only when missing, so a second
-- database on the same server (tests) shares them.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'neuvo_app') THEN
		CREATE ROLE neuvo_app LOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'neuvo_editor') THEN
		CREATE ROLE neuvo_editor LOGIN;
	END IF;
END $$;

-- Services: every phone number lives here and nowhere else; answer texts
-- refer to them as {tel:key}.
CREATE TABLE kb.service (
	key	text PRIMARY KEY CHECK (key ~ '^[a-z0-9_]+$'),
	phone	text NOT NULL CHECK (phone ~ '^\+?[0-9][0-9 ]*[0-9]$'),
	name_fi	text NOT NULL CHECK (btrim(name_fi) <> ''),
	name_sv	text NOT NULL CHECK (btrim(name_sv) <> ''),
	name_en	text NOT NULL CHECK (btrim(name_en) <> '')
);

CREATE TABLE kb.answer (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key		text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9_]+$'),
	kind		text NOT NULL DEFAULT 'answer' CHECK (kind IN
			    ('answer', 'smalltalk', 'emergency', 'fallback',
			    'clarify')),
	category	text NOT NULL DEFAULT 'general'
			    CHECK (category ~ '^[a-z_]+$'),
	service		text REFERENCES kb.service (key),
	menu		integer CHECK (menu > 0),
	verify		boolean NOT NULL DEFAULT false,
	published	boolean NOT NULL DEFAULT false,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- The text configuration of a language: Finnish terms are already base
-- forms from libvoikko, so 'simple'; Swedish and English get Snowball.
CREATE FUNCTION kb.lex_tsv(p_lang text, p_text text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE p_lang
	    WHEN 'sv' THEN to_tsvector('swedish', p_text)
	    WHEN 'en' THEN to_tsvector('english', p_text)
	    ELSE to_tsvector('simple', p_text) END
$$;

-- terms: the words of the text as the service's lemmatiser sees them,
-- filled by `neuvo -i` and by the workers when they hear NOTIFY
-- kb_changed.  Until then the raw text is indexed, so a row added in SQL
-- is searchable on the very next turn.
CREATE TABLE kb.answer_text (
	answer_id	integer NOT NULL REFERENCES kb.answer ON DELETE CASCADE,
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	title		text NOT NULL CHECK (btrim(title) <> ''),
	body		text NOT NULL CHECK (btrim(body) <> ''),
	terms		text,
	title_terms	text,
	tsv		tsvector GENERATED ALWAYS AS
			    (kb.lex_tsv(lang, coalesce(terms, title || ' ' || body))) STORED,
	title_tsv	tsvector GENERATED ALWAYS AS
			    (kb.lex_tsv(lang, coalesce(title_terms, title))) STORED,
	PRIMARY KEY (answer_id, lang)
);
CREATE INDEX answer_text_tsv ON kb.answer_text USING gin (tsv);
CREATE INDEX answer_text_title ON kb.answer_text (lang, lower(title));

CREATE TABLE kb.link (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	answer_id	integer NOT NULL REFERENCES kb.answer ON DELETE CASCADE,
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	pos		integer NOT NULL DEFAULT 0,
	title		text NOT NULL CHECK (btrim(title) <> ''),
	url		text NOT NULL CHECK (url ~ '^(https://[^\s<>"]+|tel:\+?[0-9]+)$')
);
CREATE INDEX link_answer ON kb.link (answer_id, lang, pos);

CREATE TABLE kb.variant (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	answer_id	integer NOT NULL REFERENCES kb.answer ON DELETE CASCADE,
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	text		text NOT NULL CHECK (btrim(text) <> ''),
	terms		text,
	tsv		tsvector GENERATED ALWAYS AS
			    (kb.lex_tsv(lang, coalesce(terms, text))) STORED,
	UNIQUE (answer_id, lang, text)
);
CREATE INDEX variant_tsv ON kb.variant USING gin (tsv);
CREATE INDEX variant_lang ON kb.variant (lang, answer_id);

-- Everyday words and their standard forms (lekuri -> lääkäri).
CREATE TABLE kb.synonym (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	word		text NOT NULL CHECK (word ~ '^\S+$' AND word = lower(word)),
	replacement	text NOT NULL CHECK (btrim(replacement) <> ''),
	UNIQUE (lang, word, replacement)
);

-- Words that carry no meaning for matching ("miten", "voiko").
CREATE TABLE kb.stopword (
	lang	text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	word	text NOT NULL CHECK (word ~ '^\S+$'),
	PRIMARY KEY (lang, word)
);

-- Red-flag phrases: every word of the phrase must occur in the message.
-- answer_key names the emergency answer; NULL marks an exception (an
-- ordinary question that mentions a scary word).  terms holds the phrase
-- lemmatised, a word's alternatives joined by '|'.
CREATE TABLE kb.redflag (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	phrase		text NOT NULL CHECK (btrim(phrase) <> ''),
	answer_key	text REFERENCES kb.answer (key) ON UPDATE CASCADE,
	terms		text,
	UNIQUE (lang, phrase)
);

-- The vocabulary with document frequencies: ranking weighs rare words
-- above common ones (ts_rank alone has no IDF) and corrects typos against
-- it.  Rebuilt by kb.refresh() after every change.
CREATE TABLE kb.vocab (
	lang	text NOT NULL,
	lexeme	text NOT NULL,
	df	integer NOT NULL,
	idf	real NOT NULL,
	PRIMARY KEY (lang, lexeme)
);
CREATE INDEX vocab_df ON kb.vocab (lang, df);
-- typo tolerance compares the words that begin alike (ä, ö, å folded)
CREATE INDEX vocab_initial ON kb.vocab
    (lang, translate(left(lexeme, 2), 'äöå', 'aoa'));

-- The chat log.  Only redacted text is ever written here.
CREATE TABLE chat.turn (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	created_at	timestamptz NOT NULL DEFAULT now(),
	session		text CHECK (session ~ '^[A-Za-z0-9_-]{1,64}$'),
	lang		text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
	kind		text NOT NULL,
	message		text NOT NULL,
	norm		text NOT NULL,
	answer_id	integer REFERENCES kb.answer ON DELETE SET NULL,
	score		real,
	suggestions	integer[] NOT NULL DEFAULT '{}'
);
CREATE INDEX turn_created ON chat.turn (created_at);
CREATE INDEX turn_session ON chat.turn (session, created_at);

CREATE TABLE chat.rating (
	turn_id		uuid PRIMARY KEY REFERENCES chat.turn ON DELETE CASCADE,
	helpful		boolean NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat.feedback (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_at	timestamptz NOT NULL DEFAULT now(),
	rating		smallint CHECK (rating BETWEEN 1 AND 5),
	comment		text CHECK (char_length(comment) <= 2000),
	lang		text CHECK (lang IN ('fi', 'sv', 'en')),
	session		text CHECK (session ~ '^[A-Za-z0-9_-]{1,64}$'),
	page		text CHECK (char_length(page) <= 300),
	CHECK (rating IS NOT NULL OR comment IS NOT NULL)
);
CREATE INDEX feedback_created ON chat.feedback (created_at);
