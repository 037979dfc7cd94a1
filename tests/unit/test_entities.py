"""Entity resolution on the seed article and on small texts that exercise each mechanism."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp.annotate import Annotator, entity_at, load_annotator
from pipeline.nlp.entities import ENTITY_TYPES, stable_id
from pipeline.nlp.kb import load_kb
from pipeline.nlp.records import Annotation, Entity, TextItem

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "duvar-english-amor-imamoglu.txt"
GOLD = Path(__file__).resolve().parents[1] / "data" / "gold" / "entities.jsonl"


def _seed_text() -> str:
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    import json  # the gold set carries the seed article too

    with GOLD.open(encoding="utf-8") as fh:
        return json.loads(fh.readline())["text"]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return load_annotator()


@pytest.fixture(scope="module")
def seed(annotator: Annotator) -> tuple[str, Annotation]:
    text = _seed_text()
    return text, annotator.annotate_text(text, "seed")


def _entity(ann: Annotation, mention_text: str) -> Entity:
    found = [e for e in ann.entities if any(m.text == mention_text for m in e.mentions)]
    assert len(found) == 1, (mention_text, found)
    return found[0]


def _by_name(ann: Annotation, name: str) -> Entity:
    found = [e for e in ann.entities if e.name == name]
    assert len(found) == 1, (name, [e.name for e in ann.entities])
    return found[0]


# ---------------------------------------------------------------------------- seed acceptance


def test_seed_offsets_index_the_original_text(seed: tuple[str, Annotation]) -> None:
    text, ann = seed
    for e in ann.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


def test_seed_amor_is_one_person(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    amor = _entity(ann, "Nacho Sanchez Amor")
    assert amor.type == "PERSON"
    assert amor.name == "Nacho Sánchez Amor"
    assert [m.text for m in amor.mentions].count("Amor") == 2
    assert _entity(ann, "Amor") is amor


def test_seed_imamoglu_is_one_person(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    imamoglu = _entity(ann, "Ekrem İmamoğlu")
    assert imamoglu.type == "PERSON"
    assert _entity(ann, "İmamoğlu") is imamoglu
    assert len(imamoglu.mentions) == 9


def test_seed_parties_by_name_and_acronym(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    chp = _entity(ann, "Republican People’s Party")
    assert _entity(ann, "CHP") is chp
    assert chp.type == "ORG"
    assert chp.entity_id == "wd:Q19079"
    assert len(chp.mentions) == 4  # the name, "(CHP)", "CHP Istanbul", "CHP’s"
    akp = _entity(ann, "Justice and Development Party")
    assert _entity(ann, "AKP") is akp
    assert akp.type == "ORG"


def test_seed_no_person_typed_as_place_or_org(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    people = {"Nacho Sánchez Amor", "Ekrem İmamoğlu", "Canan Kaftancıoğlu", "Bedrettin Dalan"}
    for e in ann.entities:
        if e.name in people:
            assert e.type == "PERSON", e
        else:
            assert e.type != "PERSON", e
    kaftancioglu = _entity(ann, "Canan Kaftancıoğlu")
    assert kaftancioglu.type == "PERSON"


def test_seed_wikidata_ids(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    assert _entity(ann, "Istanbul").wikidata_id == "Q406"
    assert _entity(ann, "Turkey").wikidata_id == "Q43"
    assert _entity(ann, "Europe").wikidata_id == "Q46"
    ep = _entity(ann, "European Parliament")
    assert ep.wikidata_id == "Q8889"
    assert ep.entity_id == "wd:Q8889"
    assert _entity(ann, "EP") is ep  # "the European Parliament (EP)"
    assert all(m.text != "the European Parliament" for m in ep.mentions)


def test_seed_supreme_election_council_is_ysk(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    ysk = _entity(ann, "Supreme Election Council")
    assert ysk.entity_id == "kb:ysk"
    assert "YSK" in ysk.aliases


def test_seed_handle_and_hashtag(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    handle = _entity(ann, "@ccanannnnn")
    assert handle.type == "HANDLE"
    assert handle.linked_entity_id == _entity(ann, "Canan Kaftancıoğlu").entity_id
    hashtag = _entity(ann, "#Europe")
    assert hashtag.type == "HASHTAG"
    assert hashtag.wikidata_id == "Q46"
    assert hashtag.linked_entity_id == "wd:Q46"


def test_seed_nothing_generic(seed: tuple[str, Annotation]) -> None:
    _, ann = seed
    assert {e.type for e in ann.entities} <= ENTITY_TYPES
    texts = {m.text for e in ann.entities for m in e.mentions}
    assert not texts & {"Jan. 20", "May", "first", "35 years ago", "Istanbul Branch"}
    assert _entity(ann, "Twitter").type == "ORG"
    assert len(ann.entities) <= 18


# ---------------------------------------------------------------------------- mechanisms


def test_unknown_person_short_forms_and_stable_id(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "Ms. Ayşe Karaca, the mayor of Gebze, spoke on Sunday. Karaca said the files were sent. "
        "Ms. Karaca's office confirmed it."
    )
    karaca = _entity(a, "Ayşe Karaca")
    assert karaca.type == "PERSON"
    assert [m.text for m in karaca.mentions] == ["Ayşe Karaca", "Karaca", "Karaca"]
    assert karaca.entity_id == stable_id("Ayşe Karaca", "PERSON")
    b = annotator.annotate_text("Ayse Karaca, a member of the New Welfare Party, resigned.")
    assert _entity(b, "Ayse Karaca").entity_id == karaca.entity_id  # folded name: same id


def test_acronym_defined_in_text(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The Contemporary Lawyers Association (ÇHD) said its members were detained. "
        "ÇHD lawyers have defended journalists for years."
    )
    chd = _entity(a, "Contemporary Lawyers Association")
    assert chd.type == "ORG"
    assert [m.text for m in chd.mentions].count("ÇHD") == 2


def test_determiners_possessives_and_suffixes(annotator: Annotator) -> None:
    text = "The European Parliament's report angered the CHP's leaders and İmamoğlu'nun team."
    a = annotator.annotate_text(text)
    assert {m.text for e in a.entities for m in e.mentions} == {
        "European Parliament",
        "CHP",
        "İmamoğlu",
    }


def test_folded_and_capitalised_spellings_link(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "KILIÇDAROĞLU met Kemal Kilicdaroglu's aides; Ozgur Ozel and Erdogan were absent."
    )
    ids = {e.entity_id for e in a.entities}
    assert {"wd:Q44332", "wd:Q17046812", "wd:Q39259"} <= ids
    assert len(_by_name(a, "Kemal Kılıçdaroğlu").mentions) == 2


def test_type_votes_and_kb_type_win(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "Rapporteur Nacho Sanchez Amor met the mayor. Later, Amor told reporters that Amor "
        "would return to Istanbul."
    )
    amor = _by_name(a, "Nacho Sánchez Amor")
    assert amor.type == "PERSON"
    assert len(amor.mentions) == 3


def test_foreign_generic_institution_not_linked_to_turkish_one(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The Russian Defense Ministry said its navy would escort ships. "
        "Turkey's Defense Ministry declined to comment."
    )
    tr = [e for e in a.entities if e.entity_id == "kb:ministry-defence-tr"]
    assert len(tr) == 1
    assert [m.text for m in tr[0].mentions] == ["Defense Ministry"]
    assert tr[0].mentions[0].start > a.entities[0].mentions[0].end


def test_handles_linked_by_kb_and_by_text(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "President Erdoğan (@RTErdogan) spoke. Lawyer Mehmet Pehlivan (@av_mpehlivan) replied; "
        "#Europe and #CHP trended."
    )
    assert _entity(a, "@RTErdogan").wikidata_id == "Q39259"
    pehlivan = _entity(a, "Mehmet Pehlivan")
    assert _entity(a, "@av_mpehlivan").linked_entity_id == pehlivan.entity_id
    assert _entity(a, "#Europe").wikidata_id == "Q46"
    assert _entity(a, "#CHP").linked_entity_id == "wd:Q19079"


def test_offsets_survive_invisible_and_typographic_characters(annotator: Annotator) -> None:
    text = "\ufeffİmam\u200boğlu’s ally Canan Kaftancıoğlu met “Ekrem İmamoğlu” in İstanbul."
    a = annotator.annotate_text(text)
    for e in a.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
    assert _by_name(a, "Ekrem İmamoğlu").type == "PERSON"
    assert _by_name(a, "Istanbul").wikidata_id == "Q406"


def test_token_entity_lookup_for_the_event_stage(annotator: Annotator) -> None:
    seen: dict[str, object] = {}

    def stage(doc, prepared, entities, item):  # type: ignore[no-untyped-def]
        tok = next(t for t in doc if t.text == "Amor")
        seen["token_entity"] = tok._.entity
        seen["ent_kb_id"] = tok.ent_kb_id_
        seen["at"] = entity_at(doc, tok.idx)
        seen["sentence"] = next(doc.sents)._.entities
        seen["dates"] = [e.text for e in doc.ents if e.label_ == "DATE"]
        return (), ()

    custom = Annotator(annotator.nlp, annotator.kb, event_stage=stage)
    custom.annotate_text("Nacho Sanchez Amor met İmamoğlu on Jan. 20. Amor congratulated him.")
    ent = seen["token_entity"]
    assert isinstance(ent, Entity)
    assert ent.name == "Nacho Sánchez Amor"
    assert seen["ent_kb_id"] == ent.entity_id
    assert seen["at"] is ent
    assert {e.name for e in seen["sentence"]} == {"Nacho Sánchez Amor", "Ekrem İmamoğlu"}
    assert seen["dates"] == ["Jan. 20"]  # the model's other spans stay in doc.ents


def test_empty_and_entity_free_texts(annotator: Annotator) -> None:
    out = list(annotator.annotate([TextItem("a", ""), TextItem("b", "nothing to see here.")]))
    assert [a.id for a in out] == ["a", "b"]
    assert out[0].entities == ()
    assert out[1].entities == ()


# ---------------------------------------------------------------------------- short forms, senses


def test_org_short_forms_resolve_to_the_last_full_name(annotator: Annotator) -> None:
    text = (
        "The European Commission criticised Ankara on Monday. The Commission said the reforms were "
        "not enough. The Ministry of Interior replied, and the Ministry said it would appeal. "
        "Later the Court of Cassation upheld the ruling, and the Commission's spokesperson objected."
    )
    ann = annotator.annotate_text(text, "short")
    commission = _by_name(ann, "European Commission")
    assert [m.text for m in commission.mentions] == ["European Commission", "Commission", "Commission"]
    ministry = _by_name(ann, "Ministry of Interior")
    assert [m.text for m in ministry.mentions] == ["Ministry of Interior", "Ministry"]
    # "the Court of Cassation" is a name of its own, not a short form of anything
    assert _entity(ann, "Court of Cassation").name == "Court of Cassation"


def test_short_form_before_any_full_name_stays_unresolved(annotator: Annotator) -> None:
    ann = annotator.annotate_text("The Commission met on Monday. The European Parliament voted.", "early")
    assert all(m.text != "Commission" for m in _by_name(ann, "European Parliament").mentions)


def test_georgia_is_the_us_state_when_the_text_says_so(annotator: Annotator) -> None:
    us = annotator.annotate_text("Voters in Georgia went to the polls in Atlanta on Tuesday.", "us")
    assert _entity(us, "Georgia").wikidata_id is None
    caucasus = annotator.annotate_text("Georgia and Azerbaijan met Turkey in Tbilisi.", "caucasus")
    assert _entity(caucasus, "Georgia").wikidata_id == "Q230"


def test_handle_link_is_a_field_of_its_own(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        "Kemal Kılıçdaroğlu (@kilicdarogluk) spoke to reporters in Ankara on Monday.", "handle"
    )
    person = _entity(ann, "Kemal Kılıçdaroğlu")
    handle = _entity(ann, "@kilicdarogluk")
    assert handle.type == "HANDLE"
    assert handle.linked_entity_id == person.entity_id
    assert handle.aliases == (person.name,)
    assert person.linked_entity_id is None


def test_a_surname_is_the_person_not_the_country(annotator: Annotator) -> None:
    a = annotator.annotate_text("Michael Jordan attended the game in Chicago. Jordan said he was proud.")
    (person,) = [e for e in a.entities if e.type == "PERSON"]
    assert [m.text for m in person.mentions] == ["Michael Jordan", "Jordan"]
    assert all(e.wikidata_id != "Q810" for e in a.entities)  # not the country
    # after a place preposition it stays the country
    b = annotator.annotate_text("Michael Jordan said the team would fly to Jordan on Friday.")
    assert [e.wikidata_id for e in b.entities if e.name == "Jordan"] == ["Q810"]


def test_place_aliases_and_ambiguous_names_link_only_with_their_country(annotator: Annotator) -> None:
    us = annotator.annotate_text(
        "Police in Smyrna, Tennessee, arrested two men. Amed Rosario scored twice. "
        "The new Batman film broke records. Floods hit Sabah and Sarawak in Malaysia."
    )
    weak = {annotator.kb.get(slug).entity_id for slug in ("izmir", "diyarbakir", "batman", "sabah")}  # type: ignore[union-attr]
    assert not [e for e in us.entities if e.entity_id in weak]
    tr = annotator.annotate_text(
        "Kurdish politicians gathered in Amed, as Diyarbakır is called in Kurdish, and later in Batman, "
        "southeastern Turkey. Sabah newspaper reported the rally."
    )
    ids = {e.entity_id for e in tr.entities}
    assert {annotator.kb.get(slug).entity_id for slug in ("diyarbakir", "batman", "sabah")} <= ids  # type: ignore[union-attr]


def test_a_common_noun_opening_a_sentence_is_not_a_name(annotator: Annotator) -> None:
    a = annotator.annotate_text("Families bought food as prices rose. The ministry said prices would fall.")
    assert [e.name for e in a.entities if e.name == "Families"] == []


@pytest.mark.parametrize(
    ("text", "mention", "type_"),
    [
        (
            "And the Hong Kong Human Rights and Democracy Act, under consideration by the US Senate on "
            "Monday, would impose sanctions.",
            "Hong Kong Human Rights and Democracy Act",
            "LAW",
        ),
        (
            "Instead, they did the opposite. Virginia Democrats won a legislative majority.",
            "Virginia Democrats",
            "NORP",
        ),
        (
            "The hearing takes place at Westminster Magistrate's Court in London.",
            "Westminster Magistrate's Court",
            "ORG",
        ),
        ("She teaches at New York University's Stern School of Business.", "Stern School of Business", "ORG"),
        (
            "The İstanbul Chief Public Prosecutor's Office said the suspects were part of a group.",
            "İstanbul Chief Public Prosecutor's Office",
            "ORG",
        ),
        (
            "The Radio and Television Supreme Council (RTÜK) fined Halk TV, Sözcü TV and TELE1.",
            "Sözcü TV",
            "ORG",
        ),
        (
            "Former CHP leader Kemal Kılıçdaroğlu testified at the Ankara 24th High Criminal Court.",
            "Ankara 24th High Criminal Court",
            "ORG",
        ),
        ("Police detained Beşiktaş Mayor Rıza Akpolat on Tuesday.", "Beşiktaş", "GPE"),
        ("Police detained 12 people in Şırnak's Cizre district on Tuesday.", "Cizre", "GPE"),
        (
            "The Interior Ministry appointed trustees to replace the elected DEM Party mayors of Mardin, "
            "Batman and Halfeti.",
            "Halfeti",
            "GPE",
        ),
        (
            "Journalist Sedef Kabaş was released after 49 days in Bakırköy Women's Prison.",
            "Bakırköy Women's Prison",
            "FAC",
        ),
        (
            "About 3.1 million Syrians live in Turkey under temporary protection, according to the "
            "Presidency of Migration Management.",
            "Presidency of Migration Management",
            "ORG",
        ),
        (
            "Central Bank Governor Fatih Karahan said the lira would remain under pressure.",
            "Central Bank",
            "ORG",
        ),
        (
            "The co-chairs met with jailed PKK leader Abdullah Öcalan's lawyers on İmralı Island.",
            "İmralı Island",
            "LOC",
        ),
        (
            "The strikes of Operation Claw-Lock targeted positions in Qandil and Gara.",
            "Operation Claw-Lock",
            "EVENT",
        ),
        ("The strikes of Operation Claw-Lock targeted positions in Qandil and Gara.", "Gara", "GPE"),
        ("Televised debates are a relatively new phenomenon in British elections.", "British", "NORP"),
        ("State Superintendent Jennifer McCormick said schools would close.", "Jennifer McCormick", "PERSON"),
        (
            "Kalın also met Qatar's prime minister Sheikh Mohammed bin Abdulrahman Al Thani in Doha.",
            "Mohammed bin Abdulrahman Al Thani",
            "PERSON",
        ),
        (
            "Police fired tear gas near Taksim Square and closed İstiklal Avenue.",
            "İstiklal Avenue",
            "FAC",
        ),
        (
            "Police detained students who gathered at Istanbul University's Beyazıt campus.",
            "Istanbul University",
            "ORG",
        ),
        ("'Our Azerbaijani brothers are not alone,' he said.", "Azerbaijani", "NORP"),
        ("Pro-government daily Sabah reported that the PKK figure was killed.", "Sabah", "ORG"),
        ("The ruling was published in the Official Gazette on Friday.", "Official Gazette", "ORG"),
        ("Journalists Furkan Karabay and Fatih Altaylı were detained.", "Furkan Karabay", "PERSON"),
        ("Sedat Peker, a mafia leader who fled Turkey, released new videos.", "Sedat Peker", "PERSON"),
        ("Koç Holding, a conglomerate whose founder died in 1996, bought the firm.", "Koç Holding", "ORG"),
        ("Yeni Şafak columnist İbrahim Karagül wrote that the West was to blame.", "Yeni Şafak", "ORG"),
        (
            "Van Metropolitan Municipality Co-Mayor Abdullah Zeydan was removed from office.",
            "Van Metropolitan Municipality",
            "ORG",
        ),
        ("Zeydan's seat was given to Van Governor Ozan Balcı on Friday.", "Van", "GPE"),
        ("Özel urged a boycott of companies close to the government, including CNN Türk.", "CNN Türk", "ORG"),
        ("The İYİ (Good) Party's Ümit Dikbayır resigned on Monday.", "Ümit Dikbayır", "PERSON"),
        (
            "Students of Adnan Menderes University protested the rector's appointment.",
            "Adnan Menderes University",
            "ORG",
        ),
        (
            "Kurdish politician Leyla Güven was moved from Elazığ Prison to Sincan Prison.",
            "Leyla Güven",
            "PERSON",
        ),
        (
            "Kurdish politician Leyla Güven was moved from Elazığ Prison to Sincan Prison.",
            "Elazığ Prison",
            "FAC",
        ),
        ("Students protested the appointment of Melih Bulu as rector by decree.", "Melih Bulu", "PERSON"),
        ("Defense industry chief Haluk Görgün praised Aselsan and TUSAŞ.", "Aselsan", "ORG"),
        ("He accused Turkey of violating the buffer zone near Pyla, a mixed village.", "Pyla", "GPE"),
        (
            "The trial of three police officers is ongoing at the Diyarbakır 10th High Criminal Court.",
            "Diyarbakır 10th High Criminal Court",
            "ORG",
        ),
        (
            "Sözcü reported that the Istanbul Governor's Office had banned the march.",
            "Istanbul Governor's Office",
            "ORG",
        ),
        (
            "Pro-Kurdish Mezopotamya Agency (MA) reporter Ercüment Akdeniz was released.",
            "Mezopotamya Agency",
            "ORG",
        ),
        ("Pro-Kurdish Mezopotamya Agency (MA) reporter Ercüment Akdeniz was released.", "Kurdish", "NORP"),
        ("Tunç said the 10th Judicial Package would be submitted to parliament.", "Judicial Package", "LAW"),
        (
            "Thousands gathered in Kadıköy on Saturday to mark International Women's Day.",
            "International Women's Day",
            "EVENT",
        ),
        (
            "Barzani discussed the Iraq-Türkiye Development Road project with Erdoğan.",
            "Iraq-Türkiye Development Road",
            "FAC",
        ),
        (
            "The plant has faced criticism from environmental groups including Greenpeace Mediterranean.",
            "Greenpeace Mediterranean",
            "ORG",
        ),
        ("JPMorgan raised its forecast, while Fitch Ratings kept the rating at BB-.", "Fitch Ratings", "ORG"),
        (
            "Van Yüzüncü Yıl University said it was cooperating with prosecutors.",
            "Van Yüzüncü Yıl University",
            "ORG",
        ),
        # a company noun before a name settles it against the tagger's reading elsewhere
        (
            "Turkish drone maker Baykar agreed to buy Piaggio Aerospace. Baykar chairman Selçuk "
            "Bayraktar said the deal would expand its footprint.",
            "Baykar",
            "ORG",
        ),
        ("In Diyarbakır, the family of Rojin Kabaiş demanded answers.", "Rojin Kabaiş", "PERSON"),
        ("The delegation visited Öcalan on İmralı prison island earlier in the day.", "İmralı", "LOC"),
        ("Police detained 30 people at the Kızılay metro station.", "Kızılay", "FAC"),
        ("Bernie Sanders said the Sanders base was energized.", "Bernie Sanders", "PERSON"),
        ("Çanakkale Bar Association filed a lawsuit against the mine.", "Çanakkale Bar Association", "ORG"),
        ("Kurdish journalists Nazım Daştan and Cihan Bilgin were killed.", "Nazım Daştan", "PERSON"),
        (
            "Fans clashed after the derby. Galatasaray chairman Dursun Özbek blamed the referees.",
            "Galatasaray",
            "ORG",
        ),
        ("Operation Peace Spring was launched east of the Euphrates in October 2019.", "Euphrates", "LOC"),
        ("Turkish Minute reported it, citing the Bold Medya news website.", "Bold Medya", "ORG"),
        ("Israeli airstrikes hit the Mezzeh military airport near Damascus.", "Mezzeh", "FAC"),
        ("The Syrian National Army, backed by Turkey, captured Tal Rifaat.", "Tal Rifaat", "GPE"),
        # words that are no names at all
        ("Televised debates are a relatively new phenomenon in British elections.", "Televised", None),
        ("Riot police entered the party's headquarters on Sunday.", "Riot", None),
        ("The suit, with Number FHC/ABJ/03/095/2018, was filed in Abuja.", "FHC/ABJ/03/095/2018", None),
        ("The plan adds 30 GW of capacity, the ministry said.", "GW", None),
        ("Greek Prime Minister Kyriakos Mitsotakis said Athens would buy F-35s as well.", "F-35s", None),
        ("Family and Social Services Minister Mahinur Özdemir Göktaş defended the record.", "Services", None),
        ("Journalists Furkan Karabay and Fatih Altaylı were detained.", "Journalists", None),
        ("Iran's Supreme Leader Ayatollah Ali Khamenei said talks were over.", "Supreme", None),
        (
            "Ankara Metropolitan Mayor Mansur Yavaş called the arrest unacceptable.",
            "Ankara Metropolitan",
            None,
        ),
        ("The novelist, whose book Snow is set in Kars, spoke at the fair.", "Snow", None),
    ],
)
def test_a_names_words_and_context_settle_its_type(
    annotator: Annotator, text: str, mention: str, type_: str | None
) -> None:
    ann = annotator.annotate_text(text)
    if type_ is None:
        assert not [e for e in ann.entities if mention in e.name]
    else:
        assert _entity(ann, mention).type == type_


def test_a_generic_name_unlinked_for_want_of_a_country_keeps_its_kb_type(annotator: Annotator) -> None:
    # no country is named, so "Official Gazette" is not linked to Turkey's, yet it is still a name
    # of an organisation, not the tagger's "Gazette" person
    ann = annotator.annotate_text("The ruling was published in the Official Gazette on Friday.")
    assert [(e.name, e.type, e.wikidata_id) for e in ann.entities] == [("Official Gazette", "ORG", None)]


def test_a_kb_name_after_a_longer_name_refused_by_case_still_matches(annotator: Annotator) -> None:
    # "daily Sabah" is not "Daily Sabah" (lower-case "daily"), and the newspaper Sabah is still found
    ann = annotator.annotate_text("Pro-government daily Sabah reported that the PKK figure was killed.")
    sabah = load_kb().get("sabah")
    assert sabah is not None
    assert _entity(ann, "Sabah").entity_id == sabah.entity_id
    assert "Daily Sabah" not in {e.name for e in ann.entities}


def test_a_double_surname_alone_is_the_person_named_in_full(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        'MEP Nacho Sánchez Amor welcomed the talks. "This is a historic opportunity," Sánchez Amor said.'
    )
    amor = _by_name(ann, "Nacho Sánchez Amor")
    assert [m.text for m in amor.mentions] == ["Nacho Sánchez Amor", "Sánchez Amor"]


def test_a_generic_name_is_the_body_the_text_names_by_its_own_form(annotator: Annotator) -> None:
    # no country is named, but "Yargıtay" names Turkey's court, so "Court of Cassation" is it too
    ann = annotator.annotate_text(
        "Lawyers applied to the Constitutional Court (AYM), while the Court of Cassation (Yargıtay) "
        "refused to implement its ruling."
    )
    court = _entity(ann, "Yargıtay")
    assert [m.text for m in court.mentions] == ["Court of Cassation", "Yargıtay"]
    assert court.entity_id == load_kb().get("yargitay").entity_id  # type: ignore[union-attr]


def test_a_word_opening_a_places_full_name_is_that_place(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        "A DEM Party delegation met Öcalan on İmralı. He has been held on İmralı Island since 1999."
    )
    island = _by_name(ann, "İmralı Island")
    assert island.type == "LOC"
    assert [m.text for m in island.mentions] == ["İmralı", "İmralı Island"]


def test_a_name_the_tagger_cut_before_its_country_takes_it_in(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        "The Confederation of Progressive Trade Unions of Turkey (DİSK) said the real figure was higher."
    )
    disk = _entity(ann, "DİSK")
    assert [m.text for m in disk.mentions] == ["Confederation of Progressive Trade Unions of Turkey", "DİSK"]
    assert disk.type == "ORG"


def test_a_bodys_name_split_at_and_before_its_acronym_is_one_name(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        "The Union of Chambers and Commodity Exchanges of Turkey (TOBB) head met Erdoğan on Friday."
    )
    tobb = _entity(ann, "TOBB")
    assert [m.text for m in tobb.mentions] == ["Union of Chambers and Commodity Exchanges of Turkey", "TOBB"]


def test_a_name_the_text_defines_by_its_acronym_runs_to_the_acronym(annotator: Annotator) -> None:
    ann = annotator.annotate_text(
        "The Human Rights Foundation of Turkey (TİHV) and the Binge eating disorder (BED) clinic spoke."
    )
    tihv = _entity(ann, "TİHV")
    assert [m.text for m in tihv.mentions] == ["Human Rights Foundation of Turkey", "TİHV"]
    assert not [e for e in ann.entities if "Binge" in e.name]


def test_the_commission_in_a_text_about_the_eu_is_the_european_commission(annotator: Annotator) -> None:
    eu = annotator.annotate_text(
        "The European Parliament adopted its report on Turkey. The Commission and the Council of the EU "
        "were urged to keep accession talks frozen."
    )
    commission = _entity(eu, "Commission")
    assert commission.entity_id == load_kb().get("european-commission").entity_id  # type: ignore[union-attr]
    venice = annotator.annotate_text(
        "The EU welcomed the Venice Commission's opinion. The Commission said the law was flawed."
    )
    assert _entity(venice, "Commission").entity_id != load_kb().get("european-commission").entity_id  # type: ignore[union-attr]


def test_a_convention_of_a_party_is_no_treaty(annotator: Annotator) -> None:
    ann = annotator.annotate_text("Delegates met at the Democratic National Convention in July.")
    assert "LAW" not in {e.type for e in ann.entities}


def test_an_organisation_name_ending_a_persons_full_name_is_the_person(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The even wealthier Michael Bloomberg has generated buzz. Expect Bloomberg's shadow to loom."
    )
    bloomberg = _entity(a, "Michael Bloomberg")
    assert bloomberg.type == "PERSON"
    assert [m.text for m in bloomberg.mentions] == ["Michael Bloomberg", "Bloomberg"]
    alone = annotator.annotate_text("Bloomberg reported that the lira fell, citing officials.")
    assert _entity(alone, "Bloomberg").type == "ORG"


def test_an_open_parenthesis_ends_a_name_and_a_co_mayor_is_a_person(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The Ministry of Trade, Industry and Energy (MOTIE) announced the plan. "
        "Diyarbakır co-mayor Serra Bucak disagreed. Bucak said trustees had failed."
    )
    ministry = _entity(a, "Ministry of Trade, Industry and Energy")
    assert [m.text for m in ministry.mentions] == ["Ministry of Trade, Industry and Energy", "MOTIE"]
    bucak = _entity(a, "Serra Bucak")
    assert bucak.type == "PERSON" and [m.text for m in bucak.mentions] == ["Serra Bucak", "Bucak"]


def test_the_platform_x_is_told_from_the_letter_by_its_context(annotator: Annotator) -> None:
    a = annotator.annotate_text("Interior Minister Ali Yerlikaya wrote on X that 42 suspects were detained.")
    assert _entity(a, "X").wikidata_id == "Q918"  # X is Twitter's Wikidata item, renamed
    b = annotator.annotate_text("Malcolm X spoke in Harlem in 1964. Article X of the treaty was cited.")
    assert "Q918" not in {e.wikidata_id for e in b.entities}


def test_a_full_name_after_a_role_title_is_a_person_the_tagger_missed(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "AKP spokesperson Ömer Çelik told reporters that the party would not back down. MHP deputy "
        'chair Semih Yalçın accused the CHP of "provocation." CHP Deputy Chair Murat Emir said '
        'Çelik\'s remarks were "unacceptable." Vice President Cevdet Yılmaz Tuesday declined to comment.'
    )
    assert _entity(a, "Murat Emir").type == "PERSON"
    assert _entity(a, "Cevdet Yılmaz").type == "PERSON"  # the weekday is not part of the name


def test_a_listed_given_name_before_a_surname_read_alone_is_one_person(annotator: Annotator) -> None:
    # the tagger reads only "Karatepe" as an organisation; the given name makes it a person's name
    a = annotator.annotate_text(
        "CHP economy spokesperson Yalçın Karatepe said the Turkish Statistical Institute (TÜİK) was "
        "understating prices."
    )
    assert _entity(a, "Yalçın Karatepe").type == "PERSON"
    assert not [e for e in a.entities if e.name == "Karatepe"]


def test_capitalised_words_after_the_ending_in_a_bodys_head_are_an_organisation(
    annotator: Annotator,
) -> None:
    a = annotator.annotate_text(
        "The We Will Stop Femicide Platform said 394 women were killed by men last year."
    )
    assert _entity(a, "We Will Stop Femicide Platform").type == "ORG"
    b = annotator.annotate_text("The Saturday Mothers held their 1,050th vigil in Istanbul.")
    assert _entity(b, "Saturday Mothers").type == "ORG"
    # "the Soviet Union" is a country: "Union" is no head this rule trusts
    c = annotator.annotate_text("It witnessed the beginning of the end for the Soviet Union, he said.")
    assert not [e for e in c.entities if e.type == "ORG"]


def test_a_role_title_inside_an_organisations_name_splits_off_its_holder(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The Supreme Election Council (YSK) rejected the objection. YSK Chair Ahmet Yener said the "
        "council's decision was final."
    )
    assert _entity(a, "Ahmet Yener").type == "PERSON"
    ysk = _by_name(a, "Supreme Election Council")
    assert [m.text for m in ysk.mentions] == ["Supreme Election Council", "YSK", "YSK"]


def test_a_bare_head_noun_is_the_one_body_named_with_it(annotator: Annotator) -> None:
    # "Parliament" is the Grand National Assembly, whose knowledge-base names include "Turkish
    # Parliament", even where the full name comes later in the text
    a = annotator.annotate_text(
        'Önder later met Parliament Speaker Numan Kurtulmuş. "The process is moving forward," he '
        "told journalists outside the Grand National Assembly of Türkiye."
    )
    tbmm = _entity(a, "Grand National Assembly of Türkiye")
    assert "Parliament" in {m.text for m in tbmm.mentions}
    # with two parliaments named, a bare "Parliament" is neither
    b = annotator.annotate_text(
        "The European Parliament urged the Grand National Assembly of Türkiye to act. Parliament "
        "Speaker Numan Kurtulmuş rejected the call."
    )
    assert _entity(b, "Parliament").wikidata_id is None


def test_an_acronym_the_text_defines_otherwise_leaves_its_kb_sense(annotator: Annotator) -> None:
    # "MIT" is Turkey's intelligence agency in the base, but this text defines it as a university
    a = annotator.annotate_text(
        "Acemoğlu, a professor at the Massachusetts Institute of Technology (MIT), spoke on Monday. "
        "MIT said he would teach next year."
    )
    mit = _by_name(a, "Massachusetts Institute of Technology")
    assert [m.text for m in mit.mentions] == ["Massachusetts Institute of Technology", "MIT", "MIT"]
    assert mit.wikidata_id is None
    assert not [e for e in a.entities if e.name == "National Intelligence Organization"]
    # a name of the entry itself still defines it
    b = annotator.annotate_text("The National Intelligence Organization (MİT) detained two suspects.")
    assert _entity(b, "MİT").name == "National Intelligence Organization"


def test_a_place_named_after_a_kb_person_is_the_place(annotator: Annotator) -> None:
    a = annotator.annotate_text("Flights at Atatürk Airport were cancelled in 2019 after the move.")
    assert _entity(a, "Atatürk Airport").type == "FAC"
    assert "Q5152" not in {e.wikidata_id for e in a.entities}  # not Mustafa Kemal Atatürk


def test_a_title_before_a_name_read_as_a_body_is_no_part_of_the_person(annotator: Annotator) -> None:
    a = annotator.annotate_text("Economist Daron Acemoğlu said Turkey's institutions were eroding.")
    assert _entity(a, "Daron Acemoğlu").type == "PERSON"


def test_a_bare_surname_is_the_kb_person_of_the_party_the_text_names(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "Kılıçdaroğlu, who led the CHP for 13 years, lost the party's leadership to Özel in 2023."
    )
    assert _entity(a, "Özel").name == "Özgür Özel"
    # without the party, "Özel" (also a common word and surname) stays unlinked
    b = annotator.annotate_text("The prize went to Özel in 2023, the jury said.")
    assert "Q17046812" not in {e.wikidata_id for e in b.entities}


def test_an_acronym_inside_a_partys_name_is_part_of_one_mention(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The Peoples' Equality and Democracy (DEM) Party's co-chair Tuncer Bakırhan spoke, while the "
        "Good (İYİ) Party refused to join."
    )
    dem = _entity(a, "Peoples' Equality and Democracy (DEM) Party")
    assert dem.name == "Peoples' Equality and Democracy Party"
    iyi = _entity(a, "Good (İYİ) Party")
    assert iyi.wikidata_id == "Q42313794"  # the İYİ Party, not a person called "Good"
    assert not [e for e in a.entities if e.type == "PERSON" and e.name == "Good"]
    # a party the base does not know is one organisation, named without its acronym, and its
    # acronym alone later in the text is the same party
    b = annotator.annotate_text(
        "The Democratic Regions (DBP) Party held its congress in Diyarbakır. The DBP said its "
        "co-chairs would be elected on Sunday."
    )
    dbp = _by_name(b, "Democratic Regions Party")
    assert dbp.type == "ORG"
    assert [m.text for m in dbp.mentions] == ["Democratic Regions (DBP) Party", "DBP"]


def test_capitalised_words_joined_by_and_before_an_acronym_are_one_body(annotator: Annotator) -> None:
    # "PiS" is not the initials of "Law and Justice", yet the words before it name the party
    a = annotator.annotate_text("The Sejm may override the veto. Law and Justice (PiS) lawmakers backed it.")
    pis = _entity(a, "Law and Justice")
    assert pis.type == "ORG"
    assert [m.text for m in pis.mentions] == ["Law and Justice", "PiS"]
    # a person's name before a party's acronym stays a person's
    b = annotator.annotate_text("Özgür Özel (CHP) and Devlet Bahçeli (MHP) met in Ankara.")
    assert _entity(b, "Özgür Özel").type == "PERSON"


def test_the_house_is_the_house_of_representatives_not_the_white_house(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "The House of Representatives passed the bill, sending it to the Senate. The House will "
        "return on Monday."
    )
    assert [m.text for m in _by_name(a, "House of Representatives").mentions] == [
        "House of Representatives",
        "House",
    ]
    b = annotator.annotate_text(
        "He should be impeached by the House, she said of the White House's role in the affair."
    )
    assert "House" not in {m.text for m in _by_name(b, "White House").mentions}


def test_a_datelines_dash_ends_the_name_before_it(annotator: Annotator) -> None:
    a = annotator.annotate_text("DİYARBAKIR – Thousands celebrated Newroz in Diyarbakır on March 21.")
    diyarbakir = _entity(a, "DİYARBAKIR")
    assert diyarbakir.wikidata_id == "Q83387"
    assert [m.text for m in diyarbakir.mentions] == ["DİYARBAKIR", "Diyarbakır"]


def test_a_mountain_or_lake_the_tagger_missed_is_a_place(annotator: Annotator) -> None:
    a = annotator.annotate_text("Activists protested against a gold mine on Kaz Mountains in Çanakkale.")
    assert _entity(a, "Kaz Mountains").type == "LOC"
    b = annotator.annotate_text("Sept. 2 -- USANA Amphitheatre, Salt Lake City, UT")
    assert not [e for e in b.entities if e.name in ("Salt Lake", "Lake City")]


def test_one_spelling_read_as_two_types_is_one_entity_typed_by_its_strongest_cue(
    annotator: Annotator,
) -> None:
    # the tagger reads "al-Tanf" as a person twice; a person's key drops the hyphen, and the
    # facility noun after the second mention settles the type of both
    a = annotator.annotate_text(
        "The ministries accused U.S. forces in southern Syria's al-Tanf of controlling bandits. "
        "The U.S. will keep its troops at the al-Tanf military base."
    )
    tanf = _entity(a, "al-Tanf")
    assert tanf.type == "FAC"
    assert len(tanf.mentions) == 2


def test_each_spelling_of_a_kb_name_keeps_its_own_case_rule(annotator: Annotator) -> None:
    # "bianet" is listed in lower case beside "Bianet"; "Turkish parliament" beside "Turkish Parliament"
    a = annotator.annotate_text("According to bianet's report, men killed 202 women. Bianet said so.")
    assert [m.text for m in _by_name(a, "Bianet").mentions] == ["bianet", "Bianet"]
    b = annotator.annotate_text("Erdoğan said the Turkish parliament would ratify Sweden's NATO membership.")
    assert _entity(b, "Turkish parliament").wikidata_id == "Q274918"


def test_a_kb_name_before_a_possessive_inside_a_taggers_name_is_its_own(annotator: Annotator) -> None:
    a = annotator.annotate_text(
        "A fire broke out at a factory in Balıkesir's Karesi district, killing 12 workers. "
        "The Court of Cassation's Chief Public Prosecutor filed a case against the HDP."
    )
    assert _entity(a, "Balıkesir").wikidata_id == "Q47117"
    assert _entity(a, "Karesi").type == "GPE"
    assert _entity(a, "Court of Cassation").type == "ORG"
    assert not [e for e in a.entities if "Prosecutor" in e.name]  # a title, not a name
