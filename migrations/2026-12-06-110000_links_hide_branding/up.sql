-- The owner may hide the "Made with mibio" footer of a page: a paid feature. The flag is the
-- owner's wish; the public page honours it only while the organization's plan allows it.
ALTER TABLE links.pages ADD COLUMN hide_branding boolean NOT NULL DEFAULT false;
