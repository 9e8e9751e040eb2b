-- Deleted blocks, kept for a while so that "Undo" (and the restore endpoint) can put a block back
-- with its own id: its clicks and the leads it captured stay attached to it. A row moves here in
-- the transaction that deletes it, and back in the one that restores it; rows older than the
-- restore window are purged when the page next loses a block.
CREATE TABLE links.deleted_blocks (
    id            uuid PRIMARY KEY,
    page_id       uuid        NOT NULL REFERENCES links.pages (id) ON DELETE CASCADE,
    kind          text        NOT NULL,
    config        jsonb       NOT NULL,
    enabled       boolean     NOT NULL,
    position      integer     NOT NULL,
    visible_from  timestamptz,
    visible_until timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    deleted_at    timestamptz NOT NULL
);
CREATE INDEX deleted_blocks_page_idx ON links.deleted_blocks (page_id, deleted_at);
