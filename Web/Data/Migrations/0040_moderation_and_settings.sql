-- The owner's settings, one row per setting by name; a setting without a row has its default (Web/Owner/SiteSettings.cs).
CREATE TABLE IF NOT EXISTS site_settings (
    name VARCHAR(60) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    value VARCHAR(200) NOT NULL,
    updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Guestbook entries held for review. An entry's state is read from both flags:
--   published: hidden = 0 (whatever held says)
--   waiting:   hidden = 1 AND held = 1
--   hidden:    hidden = 1 AND held = 0
-- A waiting entry is stored with hidden = 1 as well, so the previous version's tasks, still serving during a rolling
-- deploy (or after a rollback), keep it off the public page and API: they read only hidden = 0. What they do to it stays
-- meaningful: their "restore" sets hidden = 0, which publishes it, and their "hide" of a published entry leaves held = 0,
-- which is hidden. The public queries and their (hidden, id) index are unchanged. New entries those tasks store are
-- published at once, as they were before this version. The column has a default, so their INSERTs still work.
-- One ALTER, so the migration can be re-run up to it (MySQL has no ADD COLUMN IF NOT EXISTS).
ALTER TABLE guestbook_entries
    ADD COLUMN held TINYINT(1) NOT NULL DEFAULT 0,
    ADD KEY ix_guestbook_held (held, hidden, id);
