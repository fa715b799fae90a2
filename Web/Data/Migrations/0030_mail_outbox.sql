-- Mail to the owner waiting to be sent, written in the transaction of what it tells about (a contact message), so
-- that a mail is queued if and only if that is committed; each task's sender claims due rows and sends them.
CREATE TABLE IF NOT EXISTS mail_outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    recipient VARCHAR(254) NOT NULL,
    reply_to VARCHAR(254) NULL,
    subject VARCHAR(200) NOT NULL,
    body TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    -- When it is due: its next attempt, or, while a task is sending it, when that task's claim runs out.
    next_attempt_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    last_error VARCHAR(1000) NULL,
    sent_at DATETIME(6) NULL,
    failed_at DATETIME(6) NULL,
    KEY ix_outbox_due (sent_at, failed_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
