DROP TABLE kernel.job_schedule_runs;
DROP TRIGGER jobs_notify ON kernel.jobs;
DROP FUNCTION kernel.jobs_notify();
DROP TABLE kernel.jobs;
