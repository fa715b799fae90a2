-- The gallery the owner manages in /admin/gallery. An item is a picture (its WebP sizes) or a video (its files as
-- uploaded, and the sizes of its poster). Keys are paths in the media store; uploaded ones are under uploads/, and an
-- uploaded picture's full-size copy (original_key, metadata stripped) is never served to visitors.
CREATE TABLE IF NOT EXISTS gallery_items (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(10) NOT NULL,
    caption VARCHAR(200) NOT NULL,
    alt_text VARCHAR(1000) NOT NULL,
    position INT NOT NULL,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    width INT NOT NULL,
    height INT NOT NULL,
    original_key VARCHAR(300) NULL,
    -- JSON: [{"width":480,"key":"uploads/….webp"}, …] and, for a video, [{"key":"uploads/….mp4","type":"video/mp4"}].
    sizes VARCHAR(2000) NOT NULL,
    sources VARCHAR(1000) NOT NULL DEFAULT '[]',
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY gallery_items_order (hidden, position, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The pictures and the film shipped in media/, so a new site has a gallery; only into an empty table, so running
-- this again after a failure adds nothing twice.
INSERT INTO gallery_items (kind, caption, alt_text, position, width, height, sizes, sources)
SELECT * FROM (
    SELECT 'image' AS kind, 'Sunset Ridges' AS caption, 'Rows of jagged mountain ridges fading from rose pink in the distance to deep plum in front, under a purple evening sky that glows orange at the horizon, where a pale sun is half hidden behind a ridge.' AS alt_text, 1 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/sunset-ridges-480.webp"},{"width":960,"key":"gallery/sunset-ridges-960.webp"},{"width":1600,"key":"gallery/sunset-ridges-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'image' AS kind, 'Dawn over the Sea' AS caption, 'Rolling ocean waves in bands of blue, darker towards the bottom, under a pale blue sky that warms to peach at the horizon, where a white sun rises with a soft glow.' AS alt_text, 2 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/ocean-dawn-480.webp"},{"width":960,"key":"gallery/ocean-dawn-960.webp"},{"width":1600,"key":"gallery/ocean-dawn-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'image' AS kind, 'Milky Way' AS caption, 'A deep blue night sky scattered with small white stars, crossed in its upper part by a hazy violet band of the Milky Way, above a black line of low hills.' AS alt_text, 3 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/milky-way-480.webp"},{"width":960,"key":"gallery/milky-way-960.webp"},{"width":1600,"key":"gallery/milky-way-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'image' AS kind, 'Northern Lights' AS caption, 'Wavy curtains of violet and green aurora with light streaming upwards from their lower edges, across a starry dark sky above dark blue mountain silhouettes.' AS alt_text, 4 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/northern-lights-480.webp"},{"width":960,"key":"gallery/northern-lights-960.webp"},{"width":1600,"key":"gallery/northern-lights-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'image' AS kind, 'City at Dusk' AS caption, 'Dark silhouettes of tall city buildings, some with antennas and scattered yellow lit windows, in front of a paler row of distant towers, against a sky fading from indigo to orange at the horizon.' AS alt_text, 5 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/city-dusk-480.webp"},{"width":960,"key":"gallery/city-dusk-960.webp"},{"width":1600,"key":"gallery/city-dusk-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'image' AS kind, 'Prism Mosaic' AS caption, 'A mosaic of small triangles shading diagonally from teal at the top left through blue and violet to pink and coral at the bottom right, each tile a slightly different tone.' AS alt_text, 6 AS position, 1600 AS width, 1067 AS height, '[{"width":480,"key":"gallery/prism-mosaic-480.webp"},{"width":960,"key":"gallery/prism-mosaic-960.webp"},{"width":1600,"key":"gallery/prism-mosaic-1600.webp"}]' AS sizes, '[]' AS sources
    UNION ALL SELECT 'video', 'Northern Lights', 'A five-second looping animation of green and violet aurora curtains swaying over dark mountains under a starry night sky. It has no sound.', 7, 640, 360, '[{"width":640,"key":"video/intro-poster.webp"}]', '[{"key":"video/intro.webm","type":"video/webm"},{"key":"video/intro.mp4","type":"video/mp4"}]'
) AS shipped
WHERE NOT EXISTS (SELECT 1 FROM gallery_items);
