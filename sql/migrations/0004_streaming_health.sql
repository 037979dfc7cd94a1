-- 0004: streaming bookkeeping and source health.
--
-- The feed watcher (an Airflow trigger) remembers what it has seen here, so a triggerer restart
-- never re-announces old URLs; the health view gives operators one row per source.

create table core.watcher_state (
    source_id      text not null references core.sources,
    listing_url    text not null,                 -- a feed or news sitemap the watcher polls
    etag           text,
    last_modified  text,
    last_polled_at timestamptz,
    last_status    integer,
    last_error     text,
    primary key (source_id, listing_url)
);
comment on table core.watcher_state is 'Conditional-GET validators and last poll of each feed/sitemap the streaming watcher polls.';

-- when the pipeline first learned of an article URL, and how (watcher | discovery)
alter table core.discovered_urls add column seen_by text not null default 'discovery';

-- one row per source: is it alive, how fresh, how fast
create view marts.source_health as
with last_run as (
    select distinct on (source_id)
        source_id, status as last_run_state, coalesce(finished_at, started_at) as last_run_at,
        interval_start as last_run_interval_start, interval_end as last_run_interval_end
    from core.ingest_runs
    order by source_id, started_at desc
),
articles as (
    select
        source_id,
        max(published_at) as last_article_at,
        count(*) filter (where first_seen_at >= now() - interval '24 hours') as articles_24h,
        count(*) filter (where published_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC') as articles_today
    from core.articles
    group by source_id
),
failures as (
    select source_id, count(*) as failures_24h
    from core.fetch_failures
    where resolved_at is null and last_attempt_at >= now() - interval '24 hours'
    group by source_id
),
lag as (
    -- first seen (by the watcher or discovery) -> loaded -> annotated, for articles loaded in 24 h
    select
        a.source_id,
        percentile_cont(0.5) within group (order by extract(epoch from n.annotated_at - coalesce(d.first_seen_at, a.first_seen_at))) as lag_p50_seconds,
        percentile_cont(0.95) within group (order by extract(epoch from n.annotated_at - coalesce(d.first_seen_at, a.first_seen_at))) as lag_p95_seconds,
        count(*) as lag_samples
    from core.articles a
    join core.annotations n on n.article_id = a.article_id and n.version = 1
    left join core.discovered_urls d on d.source_id = a.source_id and d.url = a.url
    where a.first_seen_at >= now() - interval '24 hours'
    group by a.source_id
),
final as (
    select
        s.source_id,
        s.name,
        ar.last_article_at,
        coalesce(ar.articles_24h, 0) as articles_24h,
        coalesce(ar.articles_today, 0) as articles_today,
        coalesce(f.failures_24h, 0) as failures_24h,
        l.lag_p50_seconds,
        l.lag_p95_seconds,
        coalesce(l.lag_samples, 0) as lag_samples,
        r.last_run_state,
        r.last_run_at
    from core.sources s
    left join articles ar using (source_id)
    left join failures f using (source_id)
    left join lag l using (source_id)
    left join last_run r using (source_id)
)
select * from final;
comment on view marts.source_health is 'One row per source: last article, articles and failures in 24 h, p50/p95 lag first seen -> annotated (seconds), last run state and time.';

-- per article: when the pipeline first saw it, loaded it and annotated it
create view marts.article_latency as
select
    a.article_id,
    a.source_id,
    a.published_at,
    coalesce(d.first_seen_at, a.first_seen_at) as first_seen_at,
    d.seen_by,
    a.first_seen_at as loaded_at,
    n.annotated_at,
    extract(epoch from n.annotated_at - coalesce(d.first_seen_at, a.first_seen_at)) as lag_seconds
from core.articles a
left join core.discovered_urls d on d.source_id = a.source_id and d.url = a.url
left join core.annotations n on n.article_id = a.article_id and n.version = 1;
comment on view marts.article_latency is 'Per article: first seen (watcher or discovery), loaded, annotated, and the lag in seconds.';

grant select on all tables in schema marts to analyst;
