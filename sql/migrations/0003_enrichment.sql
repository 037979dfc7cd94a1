-- 0003: enrichment (entities, events, quotes) and its analyst marts.
--
-- The core tables keep the annotations of every article version; the marts show those of each
-- article's current version, so counts never double-count an article that changed.

create table core.entities (
    entity_id    text primary key,            -- wd:Q406 (knowledge base) or x:<hash of name+type>
    name         text not null,
    type         text not null,               -- PERSON ORG GPE LOC NORP FAC EVENT LAW HANDLE HASHTAG
    wikidata_id  text,
    aliases      text[] not null default '{}',
    updated_at   timestamptz not null default now()
);
comment on table core.entities is 'One row per canonical entity (knowledge-base linked or stable hash id). Grain: entity.';

create table core.annotations (
    article_id         text not null,
    version            integer not null,
    extractor_version  text not null,
    model              text not null,
    model_version      text not null,
    annotated_at       timestamptz not null default now(),
    entities           integer not null default 0,
    events             integer not null default 0,
    quotes             integer not null default 0,
    primary key (article_id, version),
    foreign key (article_id, version) references core.article_versions
);
comment on table core.annotations is 'Which extractor version annotated each article version, and when. Grain: article version.';

create table core.entity_mentions (
    article_id         text not null,
    version            integer not null,
    entity_id          text not null references core.entities,
    mention_text       text not null,
    sentence_index     integer not null,
    start_char         integer not null,
    end_char           integer not null,
    model              text not null,
    model_version      text not null,
    extractor_version  text not null,
    primary key (article_id, version, start_char, end_char),
    foreign key (article_id, version) references core.annotations on delete cascade,
    check (end_char > start_char)
);
create index entity_mentions_entity on core.entity_mentions (entity_id);
comment on table core.entity_mentions is 'One row per mention of an entity in an article version; offsets index the stored body.';

create table core.events (
    event_id           text primary key,      -- hash of article, version, offsets and type
    event_cluster_id   text not null,         -- same real-world event across articles
    article_id         text not null,
    version            integer not null,
    event_type         text not null,
    mode               text,
    contexts           text[] not null default '{}',
    cameo_root         text,
    actor_ids          text[] not null default '{}',
    actor_names        text[] not null default '{}',
    recipient_ids      text[] not null default '{}',
    recipient_names    text[] not null default '{}',
    event_date         date,
    date_precision     text check (date_precision in ('day', 'week', 'month', 'year')),
    location_id        text,
    location_name      text,
    negated            boolean not null default false,
    hypothetical       boolean not null default false,
    claim_source_id    text,
    claim_source_name  text,
    sentence           text not null,
    start_char         integer not null,
    end_char           integer not null,
    confidence         real not null,
    trigger            text,
    attributes         jsonb not null default '{}',
    model              text not null,
    model_version      text not null,
    extractor_version  text not null,
    foreign key (article_id, version) references core.annotations on delete cascade
);
create index events_article on core.events (article_id, version);
create index events_cluster on core.events (event_cluster_id);
comment on table core.events is 'One row per coded event (PLOVER type and mode, CAMEO root) with its evidence sentence.';

create table core.quotes (
    quote_id           text primary key,
    article_id         text not null,
    version            integer not null,
    speaker_id         text,
    speaker_name       text,
    quote              text not null,
    start_char         integer not null,
    end_char           integer not null,
    model              text not null,
    model_version      text not null,
    extractor_version  text not null,
    foreign key (article_id, version) references core.annotations on delete cascade
);
create index quotes_article on core.quotes (article_id, version);
comment on table core.quotes is 'One row per direct quotation, attributed to its speaker where found.';

-- ---------------------------------------------------------------------------------------------
-- marts

-- one row per entity mention in the current version of an article
create view marts.entity_mentions as
with current_articles as (
    select article_id, current_version as version, source_id, published_at
    from core.articles
),
final as (
    select
        m.article_id,
        m.version,
        a.source_id,
        a.published_at,
        m.entity_id,
        e.name as entity_name,
        e.type as entity_type,
        e.wikidata_id,
        m.mention_text,
        m.sentence_index,
        m.start_char,
        m.end_char,
        m.model,
        m.model_version
    from core.entity_mentions m
    join current_articles a using (article_id, version)
    join core.entities e using (entity_id)
)
select * from final;
comment on view marts.entity_mentions is 'One row per mention of an entity in the current version of an article.';

-- one row per entity
create view marts.entities as
with seen as (
    select
        entity_id,
        min(published_at) as first_seen,
        max(published_at) as last_seen,
        count(distinct article_id) as article_count,
        array_agg(distinct mention_text order by mention_text) as mention_forms
    from marts.entity_mentions
    group by entity_id
),
final as (
    select
        e.entity_id,
        e.name,
        e.type,
        e.wikidata_id,
        array(select distinct x from unnest(e.aliases || coalesce(s.mention_forms, '{}')) as x
              where x <> e.name order by x) as aliases,
        s.first_seen,
        s.last_seen,
        coalesce(s.article_count, 0) as article_count
    from core.entities e
    left join seen s using (entity_id)
)
select * from final;
comment on view marts.entities is 'One row per canonical entity: knowledge-base id and aliases, first/last publication it appeared in, number of articles.';

-- one row per day, source and entity
create view marts.daily_entity_mentions as
select
    (published_at at time zone 'UTC')::date as day,
    source_id,
    entity_id,
    entity_name,
    entity_type,
    count(*) as mentions,
    count(distinct article_id) as articles
from marts.entity_mentions
where published_at is not null
group by 1, 2, 3, 4, 5;
comment on view marts.daily_entity_mentions is 'Mentions and articles per UTC day, source and entity.';

-- one row per unordered entity pair named in the same article
create view marts.entity_cooccurrence as
with article_entities as (
    select distinct article_id, published_at, entity_id, entity_name
    from marts.entity_mentions
),
pairs as (
    select
        a.entity_id as entity_a_id,
        a.entity_name as entity_a_name,
        b.entity_id as entity_b_id,
        b.entity_name as entity_b_name,
        a.article_id,
        a.published_at
    from article_entities a
    join article_entities b on a.article_id = b.article_id and a.entity_id < b.entity_id
)
select
    entity_a_id,
    entity_a_name,
    entity_b_id,
    entity_b_name,
    count(distinct article_id) as articles,
    min((published_at at time zone 'UTC')::date) as first_day,
    max((published_at at time zone 'UTC')::date) as last_day
from pairs
group by 1, 2, 3, 4;
comment on view marts.entity_cooccurrence is 'Entity pairs (a < b by id) named in the same article: articles together, first and last day.';

-- one row per coded event in the current version of an article
create view marts.events as
select
    ev.event_id,
    ev.event_cluster_id,
    ev.article_id,
    a.source_id,
    a.published_at,
    ev.event_type,
    ev.mode,
    ev.contexts,
    ev.cameo_root,
    ev.actor_ids,
    ev.actor_names,
    ev.recipient_ids,
    ev.recipient_names,
    ev.event_date,
    ev.date_precision,
    ev.location_id,
    ev.location_name,
    ev.negated,
    ev.hypothetical,
    ev.claim_source_id,
    ev.claim_source_name,
    ev.sentence,
    ev.start_char,
    ev.end_char,
    ev.confidence,
    ev.trigger,
    ev.model,
    ev.model_version
from core.events ev
join core.articles a on a.article_id = ev.article_id and a.current_version = ev.version;
comment on view marts.events is 'Coded political events (PLOVER + extensions, CAMEO root), one per report; event_cluster_id groups reports of the same event.';
comment on column marts.events.event_date is 'When the event happened, resolved against the publication time; null when the text states no time (never the publication date).';

-- one row per quotation in the current version of an article
create view marts.quotes as
select
    q.quote_id,
    q.article_id,
    a.source_id,
    a.published_at,
    q.speaker_id,
    q.speaker_name,
    q.quote,
    q.start_char,
    q.end_char
from core.quotes q
join core.articles a on a.article_id = q.article_id and a.current_version = q.version;
comment on view marts.quotes is 'Direct quotations with their speaker (entity id and name) and offsets into the article body.';

-- one row per entity, day, event type and role
create view marts.event_timeline as
with roles as (
    select unnest(actor_ids) as entity_id, 'actor' as role, event_type, event_cluster_id,
           coalesce(event_date, (published_at at time zone 'UTC')::date) as day
    from marts.events where not negated and not hypothetical
    union all
    select unnest(recipient_ids), 'recipient', event_type, event_cluster_id,
           coalesce(event_date, (published_at at time zone 'UTC')::date)
    from marts.events where not negated and not hypothetical
)
select
    r.entity_id,
    e.name as entity_name,
    r.day,
    r.event_type,
    r.role,
    count(distinct r.event_cluster_id) as events
from roles r
left join core.entities e using (entity_id)
group by 1, 2, 3, 4, 5;
comment on view marts.event_timeline is 'Events per entity, day (event date, else publication day), type and role; counts distinct event clusters; negated and hypothetical events excluded.';

-- one row per publication day, source and event type
create view marts.daily_events as
select
    (published_at at time zone 'UTC')::date as day,
    source_id,
    event_type,
    count(*) as events,
    count(distinct event_cluster_id) as distinct_clusters
from marts.events
where not negated and not hypothetical
group by 1, 2, 3;
comment on view marts.daily_events is 'Reported events per UTC publication day, source and type, with the number of distinct real-world events (clusters).';

grant select on all tables in schema marts to analyst;
