-- The order interactions were parked in, finer than created_at's seconds: a browser's oldest parked request is the
-- one dropped when it opens one too many.
ALTER TABLE interactions ADD COLUMN parked_seq BIGINT NOT NULL DEFAULT 0;
