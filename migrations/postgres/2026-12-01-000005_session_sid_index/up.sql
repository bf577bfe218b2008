-- Refreshes of online grants look their session up by sid.
CREATE INDEX browser_sessions_sid ON browser_sessions(sid);
