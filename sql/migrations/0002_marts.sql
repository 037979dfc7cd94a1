-- 0002: the analyst contract. Views in schema marts; names and columns here are public.

-- marts.articles: one row per article, its current version's content
create view marts.articles as
with current_version as (
    select v.*
    from core.article_versions v
    join core.articles a on a.article_id = v.article_id and a.current_version = v.version
),
final as (
    select
        -- ids
        a.article_id,
        a.source_id,
        -- urls
        a.url,
        a.canonical_url,
        -- content
        cv.title,
        cv.authors,
        a.published_at,
        a.modified_at,
        a.language,
        a.section,
        a.tags,
        cv.body,
        cv.word_count,
        a.lead_image,
        -- bookkeeping
        a.first_seen_at,
        a.last_fetched_at,
        a.current_version as version,
        cv.content_hash
    from core.articles a
    join current_version cv using (article_id)
)
select * from final;
comment on view marts.articles is 'One row per article (keyed by canonical URL) with its current version. version = 1 for an article never changed.';
comment on column marts.articles.article_id is 'Stable id: first 16 hex digits of sha256(canonical_url).';
comment on column marts.articles.published_at is 'Publication time in UTC, from the page (JSON-LD, meta, <time>), never from URL digits.';
comment on column marts.articles.version is 'Number of distinct contents seen; 1 for the first version.';

-- marts.article_versions: one row per article version
create view marts.article_versions as
select
    v.article_id,
    v.version,
    v.title,
    v.body,
    v.content_hash,
    v.fetched_at,
    v.word_count,
    v.authors,
    a.source_id
from core.article_versions v
join core.articles a using (article_id);
comment on view marts.article_versions is 'One row per article version: every distinct title+body an article has had.';

-- marts.ingest_runs: one row per ingest run
create view marts.ingest_runs as
select
    run_id,
    source_id,
    interval_start,
    interval_end,
    trigger,
    airflow_run_id,
    started_at,
    finished_at,
    status,
    discovered,
    fetched,
    not_modified,
    new,
    updated,
    unchanged,
    skipped,
    failed,
    error
from core.ingest_runs;
comment on view marts.ingest_runs is 'One row per ingest run with its counts (discovered, fetched, not_modified, new, updated, unchanged, failed).';

-- marts.fetch_failures: one row per URL still failing
create view marts.fetch_failures as
select
    url,
    source_id,
    stage,
    error,
    attempts,
    first_failed_at,
    last_attempt_at
from core.fetch_failures
where resolved_at is null;
comment on view marts.fetch_failures is 'URLs that currently fail, with the stage, the last error and the number of attempts.';

-- a read-only analyst role: select on marts, nothing else
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'analyst') then
        create role analyst nologin;
    end if;
end $$;
grant usage on schema marts to analyst;
grant select on all tables in schema marts to analyst;
alter default privileges in schema marts grant select on tables to analyst;
