-- A lead captured after the organization's monthly lead cap was reached is still stored (a coach
-- must never lose a client's contact) and flagged, so the leads list can say so.
ALTER TABLE links.leads ADD COLUMN over_quota boolean NOT NULL DEFAULT false;
