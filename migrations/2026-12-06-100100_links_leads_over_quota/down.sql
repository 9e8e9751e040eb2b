ALTER TABLE links.leads DROP COLUMN over_quota;
