-- Durable jobs (kernel::jobs): rows claimed by workers with FOR UPDATE SKIP LOCKED, so any number
-- of workers in any number of replicas share the queue without running a job twice at once.
--
-- A job is `queued` until a worker claims it (`running`, with a lease in `locked_until` that a
-- heartbeat extends), then `done`, or back to `queued` with a later `run_at` after a failure, or
-- `dead` after its last attempt (kept for inspection and replay). A `running` row whose lease ran
-- out belongs to a worker that died: it is claimed again.
CREATE TABLE kernel.jobs (
    id            uuid        PRIMARY KEY,
    name          text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    payload       jsonb       NOT NULL DEFAULT '{}',
    state         text        NOT NULL DEFAULT 'queued'
                              CHECK (state IN ('queued', 'running', 'done', 'dead')),
    -- Attempts started so far (a claim starts one).
    attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- NULL: the worker pool's default.
    max_attempts  integer     CHECK (max_attempts >= 1),
    run_at        timestamptz NOT NULL,
    -- The cron occurrence that enqueued it (scheduled jobs only).
    scheduled_for timestamptz,
    locked_by     text,
    locked_until  timestamptz,
    last_error    text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    CONSTRAINT jobs_running_is_locked CHECK (
        state <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)
    )
);

-- What workers claim: due queued jobs and running jobs whose lease ran out, oldest first.
CREATE INDEX jobs_claim_idx ON kernel.jobs (run_at) WHERE state IN ('queued', 'running');
-- For pruning finished jobs.
CREATE INDEX jobs_finished_idx ON kernel.jobs (finished_at) WHERE state = 'done';

-- Wakes idle workers (every replica LISTENs) when a job is enqueued; sent on commit.
CREATE FUNCTION kernel.jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kernel_jobs', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON kernel.jobs
    FOR EACH STATEMENT EXECUTE FUNCTION kernel.jobs_notify();

-- One row per cron occurrence that was enqueued: replicas ticking at once race on the primary
-- key, and only the one whose insert wins enqueues the job.
CREATE TABLE kernel.job_schedule_runs (
    name          text        NOT NULL,
    scheduled_for timestamptz NOT NULL,
    job_id        uuid        NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (name, scheduled_for)
);

COMMENT ON TABLE kernel.jobs IS 'durable jobs: queued, running (leased), done, dead';
COMMENT ON TABLE kernel.job_schedule_runs IS 'cron occurrences already enqueued, one per (name, scheduled_for)';
