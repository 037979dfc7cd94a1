-- 0005: indexes for the per-URL lookups of every load (conditional-GET validators, retries).
create index if not exists articles_url on core.articles (url);
create index if not exists fetch_failures_open on core.fetch_failures (source_id, last_attempt_at) where resolved_at is null;
create index if not exists run_urls_batch on core.run_urls (run_id, batch);
