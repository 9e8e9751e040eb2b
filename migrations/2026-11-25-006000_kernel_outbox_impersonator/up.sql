-- Events recorded while a platform admin impersonates a user remember the admin: the payload's
-- actor is the impersonated user, this column the admin behind them (kernel::outbox::IMPERSONATOR).
ALTER TABLE kernel.outbox ADD COLUMN impersonator_id uuid;
