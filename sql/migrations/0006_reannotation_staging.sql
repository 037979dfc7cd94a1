-- 0006: where a re-annotation keeps its batches until it swaps a whole range in one transaction.
create table if not exists core.reannotation_staging (
    job      text not null,       -- one re-annotation run
    seq      integer not null,    -- batch number within it
    payload  jsonb not null,      -- the batch's annotations
    primary key (job, seq)
);
comment on table core.reannotation_staging is 'Transient: annotations of a running re-annotation, swapped in atomically at its end, then deleted.';

comment on column core.discovered_urls.last_seen_at is 'Last time a listing showed the URL, to within a day (rows are rewritten only when something changed or a day passed).';
