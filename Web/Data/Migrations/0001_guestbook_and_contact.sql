CREATE TABLE IF NOT EXISTS guestbook_entries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(60) NOT NULL,
    message VARCHAR(1000) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    hidden TINYINT(1) NOT NULL DEFAULT 0,
    idempotency_key CHAR(36) NULL,
    UNIQUE KEY ux_guestbook_idempotency (idempotency_key),
    -- Public pages read visible entries newest first, 20 at a time, from a position (keyset paging).
    KEY ix_guestbook_visible (hidden, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS contact_messages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(60) NOT NULL,
    email VARCHAR(254) NOT NULL,
    message VARCHAR(4000) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    handled TINYINT(1) NOT NULL DEFAULT 0,
    idempotency_key CHAR(36) NULL,
    UNIQUE KEY ux_contact_idempotency (idempotency_key),
    KEY ix_contact_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
