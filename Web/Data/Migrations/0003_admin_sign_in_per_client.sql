-- Failed sign-ins counted per client instead of for the site as a whole, so failures from one client lock out that
-- client only: an address (an IPv6 /64), or a browser holding the device cookie of an earlier sign-in. Records are
-- still put one after another by taking the one row of admin_sign_in FOR UPDATE.
-- admin_sign_in.locked_until and admin_sign_in_failures, the site-wide count, are no longer read. They stay while
-- tasks of the previous version may still be running (a rolling deploy, a rollback), which read them.
CREATE TABLE IF NOT EXISTS admin_sign_in_clients (
    client_key VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    failures INT NOT NULL,
    window_start DATETIME(6) NOT NULL,
    locked_until DATETIME(6) NULL,
    KEY ix_admin_clients_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
