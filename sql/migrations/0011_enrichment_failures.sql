-- A document the NLP stages fail on is a recorded per-article failure, not a crashed batch:
-- core.enrichment_skips also holds reason 'error: <what went wrong>' with the extractor version
-- that failed. That version does not retry the article; a new one (a fix) does.

alter table core.enrichment_skips add column extractor_version text;
comment on column core.enrichment_skips.extractor_version is
    'For reason error: ...: the extractor version that failed on the article version (a newer one retries it); null for language skips.';
comment on table core.enrichment_skips is
    'Article versions the enricher does not annotate, and why: language:<code> (the NLP is English-only; never retried) or error: <message> (the extractor failed; retried by a newer extractor version). Grain: article version.';

create or replace view marts.enrichment_skips as
select
    s.article_id,
    s.version,
    a.source_id,
    a.language,
    s.reason,
    s.skipped_at,
    s.extractor_version
from core.enrichment_skips s
join core.articles a using (article_id);
comment on view marts.enrichment_skips is
    'Article versions without entities, events or quotes, and why: language:<code> (the NLP is English-only) or error: <message> (the extractor failed on it; extractor_version says which one).';
