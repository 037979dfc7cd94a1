-- Handles and hashtags point at the actor they stand for; marts.entities lists only entities
-- that some current article version mentions (an entity whose id changed when the knowledge
-- base gained its Wikidata id no longer shows up as a ghost with zero articles).

alter table core.entities add column linked_entity_id text;
comment on column core.entities.linked_entity_id is
    'HANDLE and HASHTAG entities: entity_id of the actor the handle or hashtag stands for, when the text or the knowledge base ties them; null otherwise.';

create or replace view marts.entities as
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
        array(select distinct x from unnest(e.aliases || s.mention_forms) as x
              where x <> e.name order by x) as aliases,
        s.first_seen,
        s.last_seen,
        s.article_count,
        e.linked_entity_id
    from core.entities e
    join seen s using (entity_id)
)
select * from final;
comment on view marts.entities is 'One row per canonical entity mentioned in a current article version: knowledge-base id and aliases, first/last publication it appeared in, number of articles; handles and hashtags name the actor they stand for (linked_entity_id).';
