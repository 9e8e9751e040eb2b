DROP TABLE kernel.outbox;
