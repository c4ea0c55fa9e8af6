-- The check a request makes when its session was taken from the serving process's short-lived cache
-- (docs/adr/0027-session-cache.md): the session and its user are still the rows that were read, by
-- their row versions (xmin), which every update, deletion and re-insertion changes. Anything else
-- (signed out, revoked, idle or expired and removed, the user disabled, erased or given another role)
-- raises SQLSTATE VT401, which ends the transaction before any statement of the request's work runs.
-- It runs as vetted_system, which may read every session, whatever role calls it.
GRANT CREATE ON SCHEMA public TO vetted_system;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION vetted_session_guard(session_id text, session_version xid, user_version xid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM 1 FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id = session_id AND s.xmin = session_version AND u.xmin = user_version;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the session changed since it was read' USING ERRCODE = 'VT401';
  END IF;
END
$$;
--> statement-breakpoint
ALTER FUNCTION vetted_session_guard(text, xid, xid) OWNER TO vetted_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION vetted_session_guard(text, xid, xid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION vetted_session_guard(text, xid, xid) TO vetted_app, vetted_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM vetted_system;
