-- One counter, bumped by every change to clients and resources: each node keeps them in memory and drops its copy
-- when the counter has moved (read at most every catalog_cache_ms).
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);
