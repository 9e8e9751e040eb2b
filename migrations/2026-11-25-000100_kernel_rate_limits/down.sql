DROP TABLE IF EXISTS kernel.rate_limits;
