-- The anchor of the audit chains (see docs/adr/0006-audit-chain-anchor.md). `audit_heads` belongs to
-- its own role, vetted_audit, which nobody signs in as. The writers of events (vetted_app, vetted_system)
-- may read it but never insert, update or delete it: the trigger below, running as vetted_audit, moves a
-- chain's anchor forward with each chained event and refuses an event at or behind the anchored one. Verification compares each chain's end with its anchor, so deleting the newest
-- events (or truncating audit_events, which fires no row trigger) is detected.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vetted_audit') THEN
    CREATE ROLE vetted_audit NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database of the same server created it at the same moment
END
$$;
--> statement-breakpoint
-- The migrating user hands the table and the trigger function over to vetted_audit (membership is
-- needed to do so, and the new owner needs CREATE on the schema); both are taken back at the end.
GRANT vetted_audit TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA public TO vetted_audit;
--> statement-breakpoint
-- Every chain as it stands: its newest chained event.
INSERT INTO audit_heads (chain_id, seq, hash)
SELECT DISTINCT ON (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid))
       coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), seq, hash
  FROM audit_events
 WHERE seq IS NOT NULL AND hash IS NOT NULL
 ORDER BY coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), seq DESC;
--> statement-breakpoint
ALTER TABLE audit_heads OWNER TO vetted_audit;
--> statement-breakpoint
REVOKE ALL ON audit_heads FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT ON audit_heads TO vetted_app, vetted_system;
--> statement-breakpoint
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Request code reads its institution's anchor (appending and verifying its chain), system code every one.
CREATE POLICY tenant_isolation ON audit_heads FOR SELECT TO vetted_app
  USING (chain_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY system_access ON audit_heads FOR SELECT TO vetted_system USING (true);
--> statement-breakpoint
CREATE POLICY anchor_keeper ON audit_heads TO vetted_audit USING (true) WITH CHECK (true);
--> statement-breakpoint
-- An anchor only moves forward, whoever writes it.
CREATE OR REPLACE FUNCTION vetted_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.chain_id <> OLD.chain_id OR NEW.seq <= OLD.seq THEN
    RAISE EXCEPTION 'audit anchor of chain % cannot move back from event % to event %', OLD.chain_id, OLD.seq, NEW.seq;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads FOR EACH ROW EXECUTE FUNCTION vetted_audit_head_forward();
--> statement-breakpoint
-- Each chained event inserted becomes its chain's anchor, and none may be written at or behind the
-- anchored position (replacing or replaying an anchored event). A position further ahead is accepted
-- (a restored backup of a chain with a hole must restore): verification reports the gap or the broken
-- link. Events without a position (written before chaining, sealed later) are not anchored.
CREATE OR REPLACE FUNCTION vetted_audit_anchor() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  chain uuid := coalesce(NEW.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid);
  head_seq bigint;
BEGIN
  IF NEW.seq IS NULL THEN
    RETURN NULL;
  END IF;
  IF NEW.hash IS NULL THEN
    RAISE EXCEPTION 'audit event % of chain % has a position but no hash', NEW.seq, chain;
  END IF;
  SELECT seq INTO head_seq FROM audit_heads WHERE chain_id = chain FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_heads (chain_id, seq, hash) VALUES (chain, NEW.seq, NEW.hash);
  ELSIF NEW.seq <= head_seq THEN
    RAISE EXCEPTION 'audit chain % is anchored at event %: event % cannot be written at or before it', chain, head_seq, NEW.seq;
  ELSE
    UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash, updated_at = now() WHERE chain_id = chain;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
ALTER FUNCTION vetted_audit_anchor() OWNER TO vetted_audit;
--> statement-breakpoint
REVOKE ALL ON FUNCTION vetted_audit_anchor() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER audit_events_anchor AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION vetted_audit_anchor();
--> statement-breakpoint
-- From here on nobody acts as vetted_audit but the trigger: not even the service's own database user,
-- unless it is a superuser (a later migration that changes audit_heads grants itself the role again).
REVOKE CREATE ON SCHEMA public FROM vetted_audit;
--> statement-breakpoint
REVOKE vetted_audit FROM CURRENT_USER;
