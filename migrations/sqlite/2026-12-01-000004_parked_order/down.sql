ALTER TABLE interactions DROP COLUMN parked_seq;
