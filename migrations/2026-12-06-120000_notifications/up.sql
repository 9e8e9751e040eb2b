-- The notifications context: in-app notifications, email preferences, unsubscribe links, lead
-- digests, and the events already handled. Users and organizations are named by id only (no
-- foreign keys into iam or tenancy: a context never touches another's tables).
CREATE SCHEMA notifications;

-- One row per notification shown in a user's bell. The title and body are rendered when read,
-- in the reader's language, from `kind` and `payload`.
CREATE TABLE notifications.notifications (
    id              uuid PRIMARY KEY,
    user_id         uuid        NOT NULL,
    -- The organization it is about (every kind today has one).
    organization_id uuid,
    kind            text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    payload         jsonb       NOT NULL,
    -- The domain event it was written from: a redelivered event adds no second row.
    event_id        uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    UNIQUE (event_id, user_id)
);

-- A user's list, newest first (and its cursor); the partial one serves "unread of a user" — the
-- unread list, the unread count and mark-all-read.
CREATE INDEX notifications_user_idx ON notifications.notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications.notifications (user_id, created_at DESC, id DESC)
    WHERE read_at IS NULL;
-- Removing a member drops their notifications about that organization.
CREATE INDEX notifications_organization_idx ON notifications.notifications (organization_id, user_id)
    WHERE organization_id IS NOT NULL;

-- Whether a user wants the emails of a kind. No row: the default (yes).
CREATE TABLE notifications.preferences (
    user_id    uuid        NOT NULL,
    kind       text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    email      boolean     NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The links under "stop these emails": 32 random bytes in the link, only their SHA-256 here.
-- A token works once.
CREATE TABLE notifications.unsubscribe_tokens (
    digest     bytea PRIMARY KEY,
    user_id    uuid        NOT NULL,
    kind       text        NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- The leads of one page waiting to be mailed to one member as a single email. A page's lead opens
-- one (if none is open) and enqueues its email 60 s later; every lead until that email goes out
-- joins it. The email job closes it before sending, so later leads open the next one.
CREATE TABLE notifications.lead_digests (
    id               uuid PRIMARY KEY,
    user_id          uuid        NOT NULL,
    page_id          uuid        NOT NULL,
    organization_id  uuid        NOT NULL,
    lead_count       integer     NOT NULL CHECK (lead_count > 0),
    over_quota_count integer     NOT NULL DEFAULT 0 CHECK (over_quota_count >= 0),
    opened_at        timestamptz NOT NULL,
    closed_at        timestamptz
);

CREATE UNIQUE INDEX lead_digests_open_idx ON notifications.lead_digests (user_id, page_id)
    WHERE closed_at IS NULL;

-- The domain events the `notifications` subscriber has acted on, written in the same transaction
-- as what it did: a redelivered event does nothing twice (no second notification, no second
-- email job). Pruned after 30 days, long after the outbox stops redelivering.
CREATE TABLE notifications.handled_events (
    event_id   uuid PRIMARY KEY,
    event_type text        NOT NULL,
    handled_at timestamptz NOT NULL
);

CREATE INDEX handled_events_handled_at_idx ON notifications.handled_events (handled_at);
