-- Analytics: append-only page views and block clicks, and their daily rollups. Page, block and
-- organization ids belong to other contexts: plain ids, not foreign keys. No cookies and no IP
-- addresses are stored: a visitor is a hash of (the day's salt, IP, user agent, page), and the
-- salt is deleted once its day is over.
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE analytics.page_views (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id         uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    visitor         bytea       NOT NULL,
    referrer_host   text,
    utm_source      text,
    utm_medium      text,
    utm_campaign    text,
    device          text        NOT NULL CHECK (device IN ('mobile', 'tablet', 'desktop'))
);
CREATE INDEX page_views_page_time_idx ON analytics.page_views (page_id, occurred_at);
CREATE INDEX page_views_time_idx ON analytics.page_views (occurred_at);

CREATE TABLE analytics.block_clicks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id         uuid        NOT NULL,
    block_id        uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    visitor         bytea       NOT NULL,
    device          text        NOT NULL CHECK (device IN ('mobile', 'tablet', 'desktop'))
);
CREATE INDEX block_clicks_page_time_idx ON analytics.block_clicks (page_id, occurred_at);
CREATE INDEX block_clicks_time_idx ON analytics.block_clicks (occurred_at);

-- One row per page and UTC day, materialised by the daily rollup job and kept forever.
CREATE TABLE analytics.daily_rollups (
    page_id         uuid    NOT NULL,
    day             date    NOT NULL,
    organization_id uuid    NOT NULL,
    views           integer NOT NULL,
    unique_visitors integer NOT NULL,
    clicks          integer NOT NULL,
    PRIMARY KEY (page_id, day)
);

CREATE TABLE analytics.daily_block_clicks (
    page_id  uuid    NOT NULL,
    block_id uuid    NOT NULL,
    day      date    NOT NULL,
    clicks   integer NOT NULL,
    PRIMARY KEY (page_id, day, block_id)
);

CREATE TABLE analytics.daily_referrers (
    page_id       uuid    NOT NULL,
    day           date    NOT NULL,
    referrer_host text    NOT NULL,
    views         integer NOT NULL,
    PRIMARY KEY (page_id, day, referrer_host)
);

-- The day's salt for visitor hashes; yesterday's and older are deleted.
CREATE TABLE analytics.salts (
    day  date PRIMARY KEY,
    salt bytea NOT NULL
);
