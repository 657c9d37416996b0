-- The consistent store's one table (package sqlcas), the same on D1 and on
-- the harness's SQLite. Apply it to D1 with
--   npx wrangler d1 execute DB --local --file core/cas/sqlcas/schema.sql    (make dev does)
--   npx wrangler d1 execute DB --remote --file core/cas/sqlcas/schema.sql   (once, before deploying)
-- It is idempotent. No semicolon may appear except at the end of a statement:
-- sqlcas.Migrate splits the file there.
--
-- key:     the record's key (cas.MaxKeyBytes)
-- value:   the record's bytes (BLOB, never NULL)
-- version: the compare-and-set version
-- expires: Unix milliseconds; 0 = never
-- WITHOUT ROWID: the primary key is the table itself, so a write is one row
-- written, not a row and an index entry.
CREATE TABLE IF NOT EXISTS records (
  key     TEXT PRIMARY KEY NOT NULL,
  value   BLOB NOT NULL,
  version INTEGER NOT NULL,
  expires INTEGER NOT NULL
) WITHOUT ROWID;

-- Purge reads only what expired, not the whole table.
CREATE INDEX IF NOT EXISTS records_expires ON records (expires) WHERE expires > 0;
