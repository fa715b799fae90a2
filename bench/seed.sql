-- Adds @count guestbook entries (every 50th hidden, as moderation would), dated one second apart up to now.
-- One INSERT ... SELECT over a numbers table made of cross-joined digits (10^6 rows): a million rows in seconds,
-- no client round trips, no recursion limit, and no ORDER BY (sorting a million rows goes through an on-disk
-- temporary table; ids need not follow n).
INSERT INTO guestbook_entries (name, message, created_at, hidden)
WITH digits AS (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9),
     numbers AS (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS n
                 FROM digits a, digits b, digits c, digits e, digits f, digits g)
SELECT CONCAT('Visitor ', n),
       CONCAT('Entry ', n, ': lovely pictures & a fast site. I''ll be back to read the others <3. ',
              'Greetings from the harbour, and thanks for keeping it running.'),
       NOW(6) - INTERVAL (@count - n) SECOND,
       n % 50 = 0
FROM numbers
WHERE n < @count;
ANALYZE TABLE guestbook_entries;
