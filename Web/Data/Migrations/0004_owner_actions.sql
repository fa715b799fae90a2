-- What the owner did in /admin, who and when, shown at /admin/activity. Each row is written in the transaction of the
-- change it records, so the list holds exactly the changes that were committed.
CREATE TABLE IF NOT EXISTS owner_actions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    done_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    actor VARCHAR(60) NOT NULL,
    action VARCHAR(60) NOT NULL,
    subject VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
