-- 004_retention.sql: chat turns and feedback are kept for a limited time.
-- `make purge` calls chat.purge(); run it daily from cron or a timer.

CREATE FUNCTION chat.purge(p_turn_days integer DEFAULT 90,
    p_feedback_days integer DEFAULT 365)
RETURNS TABLE (turns bigint, feedback bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t	bigint;
	f	bigint;
BEGIN
	IF p_turn_days < 1 OR p_feedback_days < 1 THEN
		RAISE EXCEPTION 'chat.purge: retention must be at least one day';
	END IF;
	DELETE FROM chat.turn
	WHERE created_at < now() - make_interval(days => p_turn_days);
	GET DIAGNOSTICS t = ROW_COUNT;
	DELETE FROM chat.feedback
	WHERE created_at < now() - make_interval(days => p_feedback_days);
	GET DIAGNOSTICS f = ROW_COUNT;
	RETURN QUERY SELECT t, f;
END $$;
REVOKE ALL ON FUNCTION chat.purge(integer, integer) FROM PUBLIC;
