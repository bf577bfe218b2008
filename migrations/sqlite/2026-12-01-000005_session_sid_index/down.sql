DROP INDEX browser_sessions_sid;
