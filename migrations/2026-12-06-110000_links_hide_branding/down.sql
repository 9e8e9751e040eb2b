ALTER TABLE links.pages DROP COLUMN hide_branding;
