-- Pages the owner writes in Markdown at /admin/pages. The home page (served at /) and the about page are fixed: their
-- addresses cannot change and they cannot be deleted. A save based on an older version than `version` is refused.
CREATE TABLE IF NOT EXISTS pages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug VARCHAR(60) NOT NULL,
    fixed BOOLEAN NOT NULL DEFAULT FALSE,
    title VARCHAR(120) NOT NULL,
    description VARCHAR(300) NOT NULL,
    body MEDIUMTEXT NOT NULL,
    in_menu BOOLEAN NOT NULL DEFAULT FALSE,
    menu_order INT NOT NULL DEFAULT 0,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    version INT NOT NULL DEFAULT 1,
    updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_by VARCHAR(60) NOT NULL,
    UNIQUE KEY pages_slug (slug),
    KEY pages_menu (published, in_menu, menu_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every save of a page, so a bad edit can be undone by restoring an older one (which saves it again as a new version).
CREATE TABLE IF NOT EXISTS page_versions (
    page_id BIGINT NOT NULL,
    version INT NOT NULL,
    title VARCHAR(120) NOT NULL,
    description VARCHAR(300) NOT NULL,
    body MEDIUMTEXT NOT NULL,
    saved_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    saved_by VARCHAR(60) NOT NULL,
    PRIMARY KEY (page_id, version),
    CONSTRAINT page_versions_page FOREIGN KEY (page_id) REFERENCES pages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The sample content, added only where the owner has not written these pages yet.
INSERT IGNORE INTO pages (slug, fixed, title, description, body, in_menu, menu_order, published, updated_by) VALUES ('home', TRUE,
'Harbour Lights',
'A small café and photo gallery on the quay at Kelderwick: coffee, soup and cake, and pictures of the harbour on the walls. Open Wednesday to Sunday.',
'Harbour Lights is a café and a small photo gallery in the old net loft on Kelderwick quay. Come in for a coffee and a slice of cake, stay for the view over the boats, and look at the pictures on the walls: every one of them was taken within a mile of the harbour.

## Open Wednesday to Sunday

Wednesday to Friday 9:00 to 17:00, Saturday and Sunday 9:00 to 18:00. Closed Monday and Tuesday, and from Christmas Eve to New Year''s Day.

Soup and toasties are served from 12:00 until they run out. Dogs on leads are welcome downstairs.

## Find us

4 Quay Street, Kelderwick, at the end of the quay opposite the lifeboat station. [How to get here](/visit) by bus, train or car.

Call us on [01632 960418](tel:+441632960418) or [send us a message](/contact). Have a look at [the gallery](/gallery), or [leave a note in the guestbook](/guestbook) after your visit.',
FALSE, 0, TRUE, 'sample content');

INSERT IGNORE INTO pages (slug, fixed, title, description, body, in_menu, menu_order, published, updated_by) VALUES ('about', TRUE,
'About us',
'Who runs Harbour Lights, the café and photo gallery on Kelderwick quay, and what you will find there.',
'Harbour Lights is run by Maren Ellery and Tom Pascoe. Maren fished out of Kelderwick for eleven years before she swapped the boat for an espresso machine. Tom has photographed the harbour, its boats and its weather since he was fourteen.

We opened in the spring of 2019 in the old net loft, which had stood empty since the last of the drifters were sold. The beams, the loft ladder and the hooks the nets hung from are still there.

## The café

Coffee from a roaster up the coast, tea by the pot, soup made every morning, and cakes baked here: the saffron buns sell out first. Most of what we cook comes from farms and bakers within ten miles. Tell us about any allergy and we will tell you exactly what is in everything.

## The gallery

The walls upstairs show Tom''s photographs and those of other photographers from the town. The pictures change with the seasons. Prints are for sale, and we can frame them for you.

Twice a year we hold an open exhibition: anyone may bring up to three photographs of Kelderwick. Ask at the counter or [write to us](/contact).

## Hire the loft

The upstairs room seats 30 and is free to hire for community groups on Monday evenings. For birthdays, meetings and small weddings, [get in touch](/contact).',
TRUE, 10, TRUE, 'sample content');

INSERT IGNORE INTO pages (slug, fixed, title, description, body, in_menu, menu_order, published, updated_by) VALUES ('visit', FALSE,
'Visit us',
'Opening times, address and how to get to Harbour Lights on Kelderwick quay by bus, train, car or on foot.',
'## Opening times

| Day | Open |
| --- | --- |
| Monday and Tuesday | Closed |
| Wednesday to Friday | 9:00 to 17:00 |
| Saturday and Sunday | 9:00 to 18:00 |

The kitchen closes half an hour before we do. We are closed from Christmas Eve to New Year''s Day, and sometimes in a storm: if the weather looks wild, call before you set out.

## Address

Harbour Lights, 4 Quay Street, Kelderwick KW4 2HL

Phone: [01632 960418](tel:+441632960418). For anything that is not urgent, [the contact form](/contact) reaches us too, and we answer within two days.

## Getting here

- **By bus:** the 27 from Penmorrow stops at Harbour Square every half hour, two minutes'' walk from the door.
- **By train:** Kelderwick station is a ten-minute walk downhill. Turn left out of the station and follow Station Road to the water.
- **By car:** the quay is narrow and has no parking. Use the long-stay car park on Cliff Road (pay and display, free after 18:00) and walk down the steps.
- **On foot:** the coast path runs past the door.

## Access

The café is step-free from the quay, with an accessible toilet. The gallery is upstairs and has no lift, so we keep a folder of the current exhibition downstairs: ask at the counter.',
TRUE, 20, TRUE, 'sample content');

INSERT IGNORE INTO page_versions (page_id, version, title, description, body, saved_at, saved_by)
SELECT id, version, title, description, body, updated_at, updated_by FROM pages;
