-- 0007: bylines split into people and organisations; the body's detected language beside the
-- declared one; article versions the English-only NLP skips, with the reason.
--
-- Organisation bylines ("Reuters", "Duvar English", "BIA News Desk") live in the same link
-- table as people, told apart by core.article_authors.kind, rather than in a table of their
-- own: one byline is one ordered list (position runs across both kinds, people first, as in
-- "Nilay Aksoy, BIA News Desk"), core.authors stays the single registry of credited names,
-- and "everything credited to Reuters, as a person or not" is one query. The version rows keep
-- the two lists apart (authors = people, author_organizations), which is what marts expose.
-- Rows loaded before this migration keep kind 'person'; reprocessing a range re-derives them.

-- -- bylines ------------------------------------------------------------------------------------
alter table core.article_versions add column author_organizations text[] not null default '{}';
comment on column core.article_versions.authors is 'People credited in the byline, cleaned, in byline order.';
comment on column core.article_versions.author_organizations is
    'Organisations credited in the byline (agencies, the outlet itself, desks), in byline order.';

alter table core.article_authors add column kind text not null default 'person'
    check (kind in ('person', 'organization'));
comment on table core.article_authors is
    'Bylines of the current version. Grain: article x credited name (a person or an organisation).';
comment on column core.article_authors.kind is 'person | organization (news agency, outlet, desk).';

-- -- language -----------------------------------------------------------------------------------
alter table core.articles add column declared_language text;
comment on column core.articles.language is
    'Language of the body (ISO 639-1): detected when the detector is confident, else the declared one.';
comment on column core.articles.declared_language is 'Language the page declares (html lang, og:locale), ISO 639-1.';

-- core.enrichment_skips: one row per article version the enricher will not annotate, and why
create table core.enrichment_skips (
    article_id  text not null,
    version     integer not null,
    reason      text not null,                -- 'language:<code>': the NLP stages are English-only
    skipped_at  timestamptz not null default now(),
    primary key (article_id, version),
    foreign key (article_id, version) references core.article_versions on delete cascade
);
comment on table core.enrichment_skips is
    'Article versions the enricher skips on purpose (e.g. reason language:tr), so they are not retried. Grain: article version.';

-- -- marts ---------------------------------------------------------------------------------------
-- create or replace view may only append columns: the 0002 columns come first, in their order.
create or replace view marts.articles as
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
        cv.content_hash,
        -- added in 0007
        cv.author_organizations,
        a.declared_language,
        coalesce(a.language <> a.declared_language, false) as language_mismatch
    from core.articles a
    join current_version cv using (article_id)
)
select * from final;
comment on column marts.articles.authors is 'People credited in the byline (never agencies or the outlet: see author_organizations).';
comment on column marts.articles.author_organizations is
    'Organisations credited in the byline: news agencies (Reuters, AFP, Anadolu Agency), the outlet itself, desks.';
comment on column marts.articles.language is
    'Language of the body (ISO 639-1), detected; the declared one when detection is not confident. Only en is enriched.';
comment on column marts.articles.declared_language is 'Language the page declares (html lang, og:locale).';
comment on column marts.articles.language_mismatch is 'The body is not in the language the page declares.';
comment on column marts.articles.modified_at is
    'Last update the page states, in UTC (never earlier than published_at); null when it states none.';

create or replace view marts.article_versions as
select
    v.article_id,
    v.version,
    v.title,
    v.body,
    v.content_hash,
    v.fetched_at,
    v.word_count,
    v.authors,
    a.source_id,
    v.author_organizations
from core.article_versions v
join core.articles a using (article_id);

-- marts.enrichment_skips: one row per article version skipped by the enricher
create view marts.enrichment_skips as
select
    s.article_id,
    s.version,
    a.source_id,
    a.language,
    s.reason,
    s.skipped_at
from core.enrichment_skips s
join core.articles a using (article_id);
comment on view marts.enrichment_skips is
    'Article versions without entities, events or quotes on purpose, and why (language:<code>: the NLP is English-only).';
