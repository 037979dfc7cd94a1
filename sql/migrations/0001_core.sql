-- 0001: the raw zone, the core zone and the ingest bookkeeping.
--
-- raw   : every HTTP exchange, bodies compressed and de-duplicated by sha256, so articles can be
--         re-parsed later without refetching.
-- core  : sources, articles, their versions, authors, ingest runs, failures (the system of record).
-- marts : analyst-facing views (see 0002); the public contract.

create schema if not exists raw;
create schema if not exists core;
create schema if not exists marts;

-- ---------------------------------------------------------------------------------------------
-- core.sources: one row per registry entry (refreshed from sources.yml on every run)
create table core.sources (
    source_id   text primary key,
    name        text not null,
    homepage    text not null,
    language    text not null,
    timezone    text not null,
    config      jsonb not null,
    updated_at  timestamptz not null default now()
);
comment on table core.sources is 'One row per news source in the registry (sources.yml). Grain: source.';

-- ---------------------------------------------------------------------------------------------
-- core.ingest_runs: one row per run of the ingest job for one source and one interval
create table core.ingest_runs (
    run_id          bigint generated always as identity primary key,
    source_id       text not null references core.sources,
    interval_start  timestamptz not null,
    interval_end    timestamptz not null,
    trigger         text not null default 'cli',          -- cli | airflow | stream | reprocess
    airflow_run_id  text,
    started_at      timestamptz not null default now(),
    finished_at     timestamptz,
    status          text not null default 'running',      -- running | success | failed
    discovered      integer not null default 0,           -- listed URLs kept for this interval
    fetched         integer not null default 0,           -- 200 responses
    not_modified    integer not null default 0,           -- 304 responses (no parse)
    new             integer not null default 0,           -- articles seen for the first time
    updated         integer not null default 0,           -- new versions of known articles
    unchanged       integer not null default 0,           -- refetched, same content
    skipped         integer not null default 0,           -- outside the interval by the page's date
    failed          integer not null default 0,           -- recorded in fetch_failures
    error           text,
    check (interval_end > interval_start)
);
create index ingest_runs_source_interval on core.ingest_runs (source_id, interval_start);
comment on table core.ingest_runs is 'One row per ingest run (source x interval x attempt). Counts are per run.';

-- ---------------------------------------------------------------------------------------------
-- raw.bodies / raw.fetches: the raw zone
create table raw.bodies (
    sha256      text primary key,
    body_gz     bytea not null,
    size_bytes  integer not null
);
comment on table raw.bodies is 'Fetched response bodies, gzip-compressed, stored once per distinct content (sha256 of the uncompressed bytes).';

create table raw.fetches (
    fetch_id        bigint generated always as identity primary key,
    source_id       text not null references core.sources,
    run_id          bigint references core.ingest_runs,
    url             text not null,
    final_url       text not null,
    status          integer not null,                     -- 0 when no HTTP answer
    headers         jsonb not null default '{}',
    fetched_at      timestamptz not null,
    sha256          text references raw.bodies,           -- null for 304s and errors
    encoding        text,
    redirects       text[] not null default '{}',
    kind            text not null default 'article',      -- article | feed | sitemap | robots
    error           text
);
create index fetches_url_time on raw.fetches (url, fetched_at desc);
create index fetches_source_time on raw.fetches (source_id, fetched_at);
comment on table raw.fetches is 'Every HTTP fetch: URL, final URL, status, headers, time, body (by sha256). Grain: one request.';

-- ---------------------------------------------------------------------------------------------
-- core.articles / core.article_versions / authors
create table core.articles (
    article_id       text primary key,                    -- sha256(canonical_url)[:16]
    source_id        text not null references core.sources,
    canonical_url    text not null unique,
    url              text not null,                       -- the URL it was last fetched from
    published_at     timestamptz,
    modified_at      timestamptz,
    language         text,
    section          text,
    tags             text[] not null default '{}',
    lead_image       text,
    first_seen_at    timestamptz not null,
    last_fetched_at  timestamptz not null,
    current_version  integer not null default 1,
    last_fetch_id    bigint references raw.fetches
);
create index articles_source_published on core.articles (source_id, published_at);
comment on table core.articles is 'One row per article, keyed by canonical URL. Metadata of the latest fetch.';

create table core.article_versions (
    article_id    text not null references core.articles,
    version       integer not null check (version >= 1),
    title         text not null,
    body          text not null,
    word_count    integer not null,
    content_hash  text not null,
    authors       text[] not null default '{}',
    extractor     text not null,
    fetched_at    timestamptz not null,
    fetch_id      bigint references raw.fetches,
    primary key (article_id, version)
);
comment on table core.article_versions is 'One row per distinct content of an article: a changed title or body makes a new version.';

create table core.authors (
    author_id  text primary key,                           -- sha256(lower(name))[:16]
    name       text not null unique
);
create table core.article_authors (
    article_id  text not null references core.articles,
    author_id   text not null references core.authors,
    position    integer not null,
    primary key (article_id, author_id)
);
comment on table core.article_authors is 'Bylines of the current version. Grain: article x author.';

-- ---------------------------------------------------------------------------------------------
-- core.fetch_failures: what could not be fetched or parsed; retried by later runs
create table core.fetch_failures (
    source_id        text not null references core.sources,
    url              text not null,
    stage            text not null,                       -- fetch | robots | parse | normalize | discover
    error            text not null,
    attempts         integer not null default 1,
    first_failed_at  timestamptz not null,
    last_attempt_at  timestamptz not null,
    last_run_id      bigint references core.ingest_runs,
    claimed_published_at timestamptz,
    resolved_at      timestamptz,
    primary key (source_id, url)
);
comment on table core.fetch_failures is 'One row per failing URL (latest failure). resolved_at is set once a later run succeeds.';

-- ---------------------------------------------------------------------------------------------
-- core.discovered_urls: what feeds and sitemaps listed, and when the pipeline first saw it
create table core.discovered_urls (
    source_id             text not null references core.sources,
    url                   text not null,
    claimed_published_at  timestamptz,
    lastmod               timestamptz,
    via                   text,
    first_seen_at         timestamptz not null,
    last_seen_at          timestamptz not null,
    primary key (source_id, url)
);
comment on table core.discovered_urls is 'Every article URL a feed or sitemap listed. Grain: source x URL.';

-- ---------------------------------------------------------------------------------------------
-- core.run_urls: the work list of one run (written by discovery, read by the load batches)
create table core.run_urls (
    run_id                bigint not null references core.ingest_runs on delete cascade,
    url                   text not null,
    claimed_published_at  timestamptz,
    lastmod               timestamptz,                       -- the listing's last modification
    force                 boolean not null default false,   -- load whatever its date (retry, stream)
    batch                 integer not null,
    primary key (run_id, url)
);
