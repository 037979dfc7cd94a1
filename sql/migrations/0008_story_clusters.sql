-- 0008: one article per story URL set (URL identity), and story clusters across sources.
--
-- URL identity: an article is published under many URLs (AMP, print, query variants, http and
-- https, www and bare host, a changed slug around the same outlet id). core.article_urls maps
-- every URL seen to its article; core.articles.native_id holds the outlet's own article id.
-- Existing rows keep their ids: their URLs are recorded as aliases below.
--
-- Story clusters: near-duplicate articles across sources (syndicated wire copy, lightly edited)
-- are grouped by MinHash similarity of their bodies (pipeline/stories.py). Clustering is
-- incremental (pipeline/clustering.py): each article's current version is signed once, its LSH
-- band keys indexed, and it joins the cluster of its most similar already-clustered candidate.

-- ---------------------------------------------------------------------------------------------
-- URL identity
alter table core.articles add column native_id text;
comment on column core.articles.native_id is 'The outlet''s own article id, read from the URL with the source''s article_id_pattern (null when the source has none). Unique per source.';
create unique index articles_source_native_id on core.articles (source_id, native_id) where native_id is not null;
comment on column core.articles.article_id is 'sha256 of the article''s identity URL, first 16 hex digits (rows loaded before migration 0008: of canonical_url). Never re-keyed.';

create table core.article_urls (
    url            text primary key,                   -- canonicalized URL (page, declared canonical or identity URL)
    article_id     text not null references core.articles on delete cascade,
    source_id      text not null references core.sources,
    first_seen_at  timestamptz not null
);
create index article_urls_article on core.article_urls (article_id);
comment on table core.article_urls is 'Every URL an article was seen under (AMP, print, query variants, http/https, old slugs): one row per URL. Grain: URL.';

insert into core.article_urls (url, article_id, source_id, first_seen_at)
select canonical_url, article_id, source_id, first_seen_at from core.articles
on conflict (url) do nothing;
insert into core.article_urls (url, article_id, source_id, first_seen_at)
select url, article_id, source_id, first_seen_at from core.articles
on conflict (url) do nothing;

create view marts.article_urls as
select
    -- ids
    u.article_id,
    u.source_id,
    -- urls
    u.url,
    a.canonical_url,
    u.url = a.canonical_url as is_canonical,
    -- timestamps
    u.first_seen_at
from core.article_urls u
join core.articles a using (article_id);
comment on view marts.article_urls is 'One row per URL an article was published under (AMP, print, query variants, http/https, changed slug); all rows of an article_id are one article.';

-- ---------------------------------------------------------------------------------------------
-- story signatures, LSH bands and cluster membership
create table core.story_signatures (
    article_id  text primary key references core.articles on delete cascade,
    version     integer not null,                     -- the article version signed
    method      text not null,                        -- shingling + MinHash + banding parameters
    minhash     bytea not null,                       -- little-endian uint32 minimums, one per permutation
    shingles    integer not null                      -- distinct word shingles (0: no text)
);
comment on table core.story_signatures is 'MinHash signature of each article''s current version (pipeline/stories.py). Grain: article. Recomputed when the version or method changes.';

create table core.story_bands (
    article_id  text not null references core.story_signatures on delete cascade,
    band        smallint not null,
    band_key    bigint not null,                      -- hash of the band's rows of the signature
    primary key (article_id, band)
);
create index story_bands_key on core.story_bands (band, band_key) include (article_id);
comment on table core.story_bands is 'LSH band keys of each signature: two articles sharing a (band, band_key) are clustering candidates. Grain: article x band.';

create table core.story_members (
    article_id          text primary key references core.articles on delete cascade,
    cluster_id          text not null,                -- the founding article's id
    similarity          real not null,                -- estimated Jaccard with matched_article_id (1 for a founder)
    matched_article_id  text references core.articles on delete set null
);
create index story_members_cluster on core.story_members (cluster_id);
comment on table core.story_members is 'The story cluster of each clustered article. Grain: article. An article joins the cluster of its most similar already-clustered article (estimated Jaccard >= 0.5, published within 7 days), else founds one named after itself.';

-- marts.story_clusters: one row per clustered article, with its cluster's totals
create view marts.story_clusters as
with members as (
    select
        m.cluster_id,
        m.article_id,
        a.source_id,
        m.similarity,
        m.matched_article_id,
        coalesce(a.published_at, a.first_seen_at) as published_at
    from core.story_members m
    join core.articles a using (article_id)
),
clusters as (
    select
        cluster_id,
        min(published_at) as first_published_at,
        count(*) as cluster_size,
        count(distinct source_id) as cluster_sources
    from members
    group by cluster_id
),
final as (
    select
        -- ids
        m.cluster_id,
        m.article_id,
        m.source_id,
        m.matched_article_id,
        -- measures
        m.similarity,
        m.article_id = m.cluster_id as is_founder,
        c.cluster_size,
        c.cluster_sources,
        -- timestamps
        c.first_published_at,
        m.published_at
    from members m
    join clusters c using (cluster_id)
)
select * from final;
comment on view marts.story_clusters is 'One row per article with its story cluster: articles telling one story (syndicated wire copy, lightly edited copies across sources) share a cluster_id. Count distinct cluster_id to count stories.';
comment on column marts.story_clusters.cluster_id is 'The story: the article_id of the article that founded the cluster. Stable across runs.';
comment on column marts.story_clusters.similarity is 'Estimated Jaccard similarity (MinHash, 3-word shingles of the body) with matched_article_id; 1 for the founder.';
comment on column marts.story_clusters.matched_article_id is 'The already-clustered article this one matched best when it joined (null for the founder).';
comment on column marts.story_clusters.first_published_at is 'Earliest publication time in the cluster (UTC; first_seen_at where a page states none): when the story broke.';
comment on column marts.story_clusters.published_at is 'This article''s publication time (UTC; first_seen_at where the page states none).';
comment on column marts.story_clusters.cluster_size is 'Articles in the cluster.';
comment on column marts.story_clusters.cluster_sources is 'Distinct sources in the cluster.';

-- marts.stories: one row per story cluster
create view marts.stories as
with founder as (
    select a.article_id, v.title
    from core.articles a
    join core.article_versions v on v.article_id = a.article_id and v.version = a.current_version
),
final as (
    select
        -- ids
        s.cluster_id,
        -- strings
        f.title,
        -- measures
        count(*) as articles,
        count(distinct s.source_id) as sources,
        array_agg(distinct s.source_id order by s.source_id) as source_ids,
        -- timestamps
        min(s.published_at) as first_published_at,
        max(s.published_at) as last_published_at
    from marts.story_clusters s
    left join founder f on f.article_id = s.cluster_id
    group by s.cluster_id, f.title
)
select * from final;
comment on view marts.stories is 'One row per story (cluster of near-duplicate articles): the founding article''s title, how many articles and sources carried it, first and last publication.';
comment on column marts.stories.source_ids is 'The sources that carried the story, sorted.';
