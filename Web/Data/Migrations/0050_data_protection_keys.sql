-- The key ring shared by every task (Web/Security/SecurityExtensions.cs). Deployments from before this migration
-- already have the table, created by the app itself with this same definition.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    friendly_name VARCHAR(200) NOT NULL,
    xml MEDIUMTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY ux_data_protection_keys_name (friendly_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
