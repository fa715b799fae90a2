-- The owner's sign-in failures and lockout, shared by every task, so that "5 failures lock sign-in for 15 minutes"
-- holds for the site as a whole. Each outcome is recorded with the one row of admin_sign_in taken FOR UPDATE, which
-- puts the records of all tasks one after another.
CREATE TABLE IF NOT EXISTS admin_sign_in (
    id TINYINT NOT NULL PRIMARY KEY,
    locked_until DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO admin_sign_in (id) VALUES (1);

CREATE TABLE IF NOT EXISTS admin_sign_in_failures (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    failed_at DATETIME(6) NOT NULL,
    KEY ix_admin_failures_at (failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
