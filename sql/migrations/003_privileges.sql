-- 003_privileges.sql: least privilege.  The service (neuvo_app) reads the
-- published knowledge base and writes the chat log only through the
-- functions of 002; it cannot change an answer or read feedback.  The
-- content team (neuvo_editor) edits the knowledge base and reads the log.

REVOKE ALL ON SCHEMA kb, chat FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kb, chat FROM PUBLIC;

GRANT USAGE ON SCHEMA kb, chat TO neuvo_app, neuvo_editor;

GRANT SELECT ON kb.service, kb.answer, kb.answer_text, kb.link, kb.variant,
    kb.synonym, kb.stopword, kb.redflag, kb.vocab, kb.doc, kb.posting, kb.redflag_alt TO neuvo_app;
GRANT EXECUTE ON FUNCTION kb.lex_tsv(text, text), kb.query_lexemes(text, text[]),
    kb.search(text, text[], text, integer), kb.redflag_match(text, text[]),
    kb.turn(text, text[], text[], text, integer),
    kb.expand(text), kb.service_note(text, text, timestamptz),
    kb.reply(integer, text), kb.reply_key(text, text),
    kb.titles(integer[], text), kb.topics(text), kb.unindexed(),
    kb.set_terms(text, integer, text, text), kb.refresh(),
    chat.log_turn(uuid, text, text, text, text, text, integer, real,
	integer[]),
    chat.last_suggestions(text), chat.rate(uuid, boolean),
    chat.add_feedback(smallint, text, text, text, text)
    TO neuvo_app;

-- Unpublished answers stay invisible to the service.
ALTER TABLE kb.answer ENABLE ROW LEVEL SECURITY;
CREATE POLICY answer_app ON kb.answer FOR SELECT TO neuvo_app
    USING (published);
CREATE POLICY answer_editor ON kb.answer FOR ALL TO neuvo_editor
    USING (true) WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA kb
    TO neuvo_editor;
GRANT SELECT ON ALL TABLES IN SCHEMA chat TO neuvo_editor;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA kb TO neuvo_editor;

-- Chat turns are statistics: the service commits them asynchronously
-- (a crash of the database may lose the last fraction of a second of
-- them, never corrupt anything), which halves a turn's time.  Feedback
-- that a citizen typed is committed durably (chat.add_feedback).
ALTER ROLE neuvo_app SET synchronous_commit = off;
-- A turn is a handful of small, planned-once statements: neither JIT
-- compilation nor parallel workers can pay for their start-up there.
ALTER ROLE neuvo_app SET jit = off;
ALTER ROLE neuvo_app SET max_parallel_workers_per_gather = 0;
