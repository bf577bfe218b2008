-- OpenID Connect session ids: the public `sid` of a browser session (in ID tokens and logout tokens), and the
-- session each grant was made in, so a logout ends exactly that session's grants.
ALTER TABLE browser_sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
ALTER TABLE grants ADD COLUMN session_id TEXT;
CREATE INDEX grants_session ON grants(session_id);
