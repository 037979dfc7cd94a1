-- 0009: archive discovery. A run's work item may name the Wayback Machine snapshot to fetch when
-- the live page is gone (or always, for a source whose site is gone).
alter table core.run_urls add column snapshot_url text;
comment on column core.run_urls.snapshot_url is 'Raw (id_) Wayback Machine snapshot of the URL, when the archive listed it: fetched when the live page is gone, or always for an archive-only source. Null: live only.';
