"""Build ``entities.jsonl`` (the entity gold set) from readable specs; offsets are computed.

Each document lists its entities with the surface forms that name them; every occurrence of a
form (whole word, case-sensitive) becomes a mention, longer forms claiming their text first, so
the offsets are exact. Run ``python tests/data/gold/entities_build.py`` after editing.

Annotation guidelines: names without determiners ("European Parliament", not "the European
Parliament") and without possessive 's; titles are not part of person names; demonyms are NORP
("Turkish", "Greek"); handles and hashtags are their own HANDLE / HASHTAG entities; dates,
numbers and common nouns ("the ministry", "parliament") are not entities.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[3] / "shared" / "seed" / "duvar-english-amor-imamoglu.txt"
# (name, type, wikidata_id, [forms])
Ent = tuple[str, str, str | None, list[str]]

DOCS: list[tuple[str, str, list[Ent]]] = []


def doc(doc_id: str, text: str, ents: list[Ent], *, raw: bool = False) -> None:
    """Add a document; paragraphs written over several lines are joined with single spaces."""
    DOCS.append((doc_id, text if raw else " ".join(text.split()), ents))


# ---------------------------------------------------------------------------------------------
doc(
    "duvar-english-amor-imamoglu",
    SEED.read_text(encoding="utf-8") if SEED.exists() else "",
    [
        ("Duvar English", "ORG", None, ["Duvar English"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("European Parliament", "ORG", "Q8889", ["European Parliament", "EP"]),
        ("Nacho Sánchez Amor", "PERSON", "Q5913582", ["Nacho Sanchez Amor", "Amor"]),
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Ekrem İmamoğlu", "PERSON", "Q59313241", ["Ekrem İmamoğlu", "İmamoğlu"]),
        ("Republican People's Party", "ORG", "Q19079", ["Republican People’s Party", "CHP"]),
        ("Justice and Development Party", "ORG", "Q19077", ["Justice and Development Party", "AKP"]),
        ("Supreme Election Council", "ORG", None, ["Supreme Election Council"]),
        ("Bedrettin Dalan", "PERSON", None, ["Bedrettin Dalan"]),
        ("European", "NORP", "Q394067", ["European"]),
        ("Europe", "LOC", "Q46", ["Europe"]),
        ("Canan Kaftancıoğlu", "PERSON", None, ["Canan Kaftancıoğlu"]),
        ("Twitter", "ORG", "Q918", ["Twitter"]),
        ("@ccanannnnn", "HANDLE", None, ["@ccanannnnn"]),
        ("#Europe", "HASHTAG", "Q46", ["#Europe"]),
    ],
    raw=True,
)

doc(
    "court-demirtas",
    """Turkey's Constitutional Court ruled on Thursday that the pre-trial detention of former HDP
    co-chair Selahattin Demirtaş violated his rights, echoing an earlier judgment of the European
    Court of Human Rights (ECtHR). Justice Minister Yılmaz Tunç said the government would study
    the decision. Demirtas, who has been jailed in Edirne since November 2016, thanked his lawyers
    in a message posted by his account @hdpdemirtas.""",
    [
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Constitutional Court of Turkey", "ORG", None, ["Constitutional Court"]),
        ("Peoples' Democratic Party", "ORG", "Q15123187", ["HDP"]),
        ("Selahattin Demirtaş", "PERSON", "Q1395724", ["Selahattin Demirtaş", "Demirtas"]),
        (
            "European Court of Human Rights",
            "ORG",
            "Q122880",
            ["European Court of Human Rights", "ECtHR"],
        ),
        ("Yılmaz Tunç", "PERSON", "Q17046592", ["Yılmaz Tunç"]),
        ("Edirne", "GPE", "Q83102", ["Edirne"]),
        ("@hdpdemirtas", "HANDLE", "Q1395724", ["@hdpdemirtas"]),
    ],
)

doc(
    "ysk-appeal-ascii",
    """The Supreme Election Council (YSK) rejected an appeal by the Republican People's Party on
    Monday. CHP leader Ozgur Ozel called the ruling "a blow to democracy" and said the party would
    take the case to the Constitutional Court. Erdogan's Justice and Development Party welcomed
    the YSK decision, while MHP chairman Devlet Bahceli accused the opposition of "sowing
    chaos".""",
    [
        ("Supreme Election Council", "ORG", None, ["Supreme Election Council", "YSK"]),
        ("Republican People's Party", "ORG", "Q19079", ["Republican People's Party", "CHP"]),
        ("Özgür Özel", "PERSON", "Q17046812", ["Ozgur Ozel"]),
        ("Constitutional Court of Turkey", "ORG", None, ["Constitutional Court"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdogan"]),
        ("Justice and Development Party", "ORG", "Q19077", ["Justice and Development Party"]),
        ("Nationalist Movement Party", "ORG", "Q251077", ["MHP"]),
        ("Devlet Bahçeli", "PERSON", "Q1206951", ["Devlet Bahceli"]),
    ],
)

doc(
    "eu-report-turkiye",
    """The European Commission's annual report on Türkiye, presented in Brussels by enlargement
    commissioner Olivér Várhelyi, said accession talks remain frozen. EU foreign policy chief
    Josep Borrell urged Ankara to respect the rulings of the European Court of Human Rights.
    Members of the European Parliament's foreign affairs committee, led by rapporteur Nacho
    Sánchez Amor, called on the Council of the EU to keep up the pressure. Borrell later met
    Greek Prime Minister Kyriakos Mitsotakis in Athens.""",
    [
        ("European Commission", "ORG", "Q8880", ["European Commission"]),
        ("Turkey", "GPE", "Q43", ["Türkiye"]),
        ("Brussels", "GPE", "Q239", ["Brussels"]),
        ("Olivér Várhelyi", "PERSON", None, ["Olivér Várhelyi"]),
        ("European Union", "ORG", "Q458", ["EU"]),
        ("Josep Borrell", "PERSON", "Q312901", ["Josep Borrell", "Borrell"]),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("European Court of Human Rights", "ORG", "Q122880", ["European Court of Human Rights"]),
        ("European Parliament", "ORG", "Q8889", ["European Parliament"]),
        ("Nacho Sánchez Amor", "PERSON", "Q5913582", ["Nacho Sánchez Amor"]),
        ("Council of the European Union", "ORG", "Q8896", ["Council of the EU"]),
        ("Greek", "NORP", "Q539051", ["Greek"]),
        ("Kyriakos Mitsotakis", "PERSON", "Q552751", ["Kyriakos Mitsotakis"]),
        ("Athens", "GPE", "Q1524", ["Athens"]),
    ],
)

doc(
    "detained-journalist-lawyer",
    """Istanbul prosecutors detained journalist Fatma Demirkol and lawyer Hakan Yücesoy on
    Tuesday. Demirkol, who writes for the daily Evrensel, was released after questioning, while
    Yücesoy remained in custody. The Contemporary Lawyers Association (ÇHD) said Mr. Yücesoy had
    been targeted for defending Kurdish activists.""",
    [
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Fatma Demirkol", "PERSON", None, ["Fatma Demirkol", "Demirkol"]),
        ("Hakan Yücesoy", "PERSON", None, ["Hakan Yücesoy", "Yücesoy"]),
        ("Evrensel", "ORG", None, ["Evrensel"]),
        (
            "Contemporary Lawyers Association",
            "ORG",
            None,
            ["Contemporary Lawyers Association", "ÇHD"],
        ),
        ("Kurdish", "NORP", "Q12223", ["Kurdish"]),
    ],
)

doc(
    "opposition-talks-caps",
    """Ankara Mayor Mansur Yavas and the mayor of Izmir met Kemal Kilicdaroglu at CHP headquarters
    on Saturday. KILIÇDAROĞLU told reporters that the İYİ Party and DEVA would join the talks.
    Meral Aksener, chair of the IYI Party, declined to comment.""",
    [
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("Mansur Yavaş", "PERSON", "Q6086970", ["Mansur Yavas"]),
        ("İzmir", "GPE", "Q35997", ["Izmir"]),
        ("Kemal Kılıçdaroğlu", "PERSON", "Q44332", ["Kemal Kilicdaroglu", "KILIÇDAROĞLU"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("İYİ Party", "ORG", "Q42313794", ["İYİ Party", "IYI Party"]),
        ("Democracy and Progress Party", "ORG", "Q87410205", ["DEVA"]),
        ("Meral Akşener", "PERSON", "Q434923", ["Meral Aksener"]),
    ],
)

doc(
    "handles-hashtags",
    """Istanbul Mayor Ekrem İmamoğlu (@ekrem_imamoglu) thanked supporters after the rally, writing
    "We will win together #HerŞeyÇokGüzelOlacak". AKP spokesperson Ömer Çelik replied on Twitter
    that the #CHP was divided. Turkish Foreign Minister Hakan Fidan, meanwhile, met NATO Secretary
    General Mark Rutte in Brussels.""",
    [
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Ekrem İmamoğlu", "PERSON", "Q59313241", ["Ekrem İmamoğlu"]),
        ("@ekrem_imamoglu", "HANDLE", None, ["@ekrem_imamoglu"]),
        ("#HerŞeyÇokGüzelOlacak", "HASHTAG", None, ["#HerŞeyÇokGüzelOlacak"]),
        ("Justice and Development Party", "ORG", "Q19077", ["AKP"]),
        ("Ömer Çelik", "PERSON", "Q297516", ["Ömer Çelik"]),
        ("Twitter", "ORG", "Q918", ["Twitter"]),
        ("#CHP", "HASHTAG", "Q19079", ["#CHP"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Hakan Fidan", "PERSON", None, ["Hakan Fidan"]),
        ("NATO", "ORG", "Q7184", ["NATO"]),
        ("Mark Rutte", "PERSON", "Q57792", ["Mark Rutte"]),
        ("Brussels", "GPE", "Q239", ["Brussels"]),
    ],
)

doc(
    "operation-drilling",
    """Turkish troops launched a new operation against the PKK in northern Iraq, the Defense
    Ministry said. Greece and the Republic of Cyprus protested to the United Nations over Turkish
    drilling in the Eastern Mediterranean, while Russia and the U.S. called for restraint in
    Syria. President Vladimir Putin spoke by phone with Recep Tayyip Erdoğan on Friday.""",
    [
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Kurdistan Workers' Party", "ORG", "Q152220", ["PKK"]),
        ("Iraq", "GPE", "Q796", ["Iraq"]),
        ("Ministry of National Defence", "ORG", None, ["Defense Ministry"]),
        ("Greece", "GPE", "Q41", ["Greece"]),
        ("Cyprus", "GPE", "Q229", ["Republic of Cyprus"]),
        ("United Nations", "ORG", "Q1065", ["United Nations"]),
        ("Eastern Mediterranean", "LOC", None, ["Eastern Mediterranean"]),
        ("Russia", "GPE", "Q159", ["Russia"]),
        ("United States", "GPE", "Q30", ["U.S."]),
        ("Syria", "GPE", "Q858", ["Syria"]),
        ("Vladimir Putin", "PERSON", "Q7747", ["Vladimir Putin"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Recep Tayyip Erdoğan"]),
    ],
)

doc(
    "assembly-law",
    """The Grand National Assembly of Turkey passed the bill late on Wednesday. Speaker Numan
    Kurtulmuş said the TBMM's decision reflected the nation's will. The Council of Europe's
    Venice Commission had warned that the law would restrict freedom of expression, and
    Germany's foreign ministry called it "worrying".""",
    [
        (
            "Grand National Assembly of Turkey",
            "ORG",
            "Q274918",
            ["Grand National Assembly of Turkey", "TBMM"],
        ),
        ("Numan Kurtulmuş", "PERSON", "Q982397", ["Numan Kurtulmuş"]),
        ("Council of Europe", "ORG", "Q8908", ["Council of Europe"]),
        ("Venice Commission", "ORG", None, ["Venice Commission"]),
        ("Germany", "GPE", "Q183", ["Germany"]),
    ],
)

doc(
    "migration-deal",
    """German Chancellor Olaf Scholz and French President Emmanuel Macron discussed the migration
    deal with Ursula von der Leyen in Berlin. Von der Leyen said the EU would keep funding refugee
    programmes in Türkiye. Scholz's predecessor Angela Merkel negotiated the original 2016
    agreement with then-Prime Minister Ahmet Davutoğlu.""",
    [
        ("German", "NORP", "Q42884", ["German"]),
        ("Olaf Scholz", "PERSON", "Q61053", ["Olaf Scholz", "Scholz"]),
        ("French", "NORP", None, ["French"]),
        ("Emmanuel Macron", "PERSON", "Q3052772", ["Emmanuel Macron"]),
        ("Ursula von der Leyen", "PERSON", "Q60772", ["Ursula von der Leyen", "Von der Leyen"]),
        ("Berlin", "GPE", "Q64", ["Berlin"]),
        ("European Union", "ORG", "Q458", ["EU"]),
        ("Turkey", "GPE", "Q43", ["Türkiye"]),
        ("Angela Merkel", "PERSON", "Q567", ["Angela Merkel"]),
        ("Ahmet Davutoğlu", "PERSON", "Q58198", ["Ahmet Davutoğlu"]),
    ],
)

doc(
    "central-bank-rate",
    """Treasury and Finance Minister Mehmet Şimşek met investors in London as the Central Bank of
    the Republic of Türkiye raised its policy rate to 50 percent. Simsek said the Turkish lira
    would stabilise, and the International Monetary Fund welcomed the move. Former economy tsar
    Ali Babacan, who now leads the DEVA Party, said the government had wasted years.""",
    [
        ("Mehmet Şimşek", "PERSON", "Q945364", ["Mehmet Şimşek", "Simsek"]),
        ("London", "GPE", "Q84", ["London"]),
        (
            "Central Bank of the Republic of Turkey",
            "ORG",
            "Q580829",
            ["Central Bank of the Republic of Türkiye"],
        ),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("International Monetary Fund", "ORG", "Q7804", ["International Monetary Fund"]),
        ("Ali Babacan", "PERSON", "Q714518", ["Ali Babacan"]),
        ("Democracy and Progress Party", "ORG", "Q87410205", ["DEVA Party"]),
    ],
)

doc(
    "trustees-kurdish-mayors",
    """The Interior Ministry removed the elected co-mayors of Diyarbakır, Mardin and Batman on
    Monday and appointed trustees. The pro-Kurdish Peoples' Equality and Democracy Party (DEM
    Party) said the move ignored the will of voters. Interior Minister Ali Yerlikaya defended the
    decision, saying the mayors had links to the PKK. DEM Party co-chair Tuncer Bakırhan called
    for protests in Diyarbakir.""",
    [
        ("Ministry of Interior", "ORG", None, ["Interior Ministry"]),
        ("Diyarbakır", "GPE", "Q83387", ["Diyarbakır", "Diyarbakir"]),
        ("Mardin", "GPE", "Q131293", ["Mardin"]),
        ("Batman", "GPE", "Q80370", ["Batman"]),
        ("Kurdish", "NORP", "Q12223", ["Kurdish"]),
        (
            "Peoples' Equality and Democracy Party",
            "ORG",
            None,
            ["Peoples' Equality and Democracy Party", "DEM Party"],
        ),
        ("Ali Yerlikaya", "PERSON", "Q12808436", ["Ali Yerlikaya"]),
        ("Kurdistan Workers' Party", "ORG", "Q152220", ["PKK"]),
        ("Tuncer Bakırhan", "PERSON", None, ["Tuncer Bakırhan"]),
    ],
)

doc(
    "grain-deal",
    """U.S. President Joe Biden and Ukrainian President Volodymyr Zelensky thanked Turkey for
    brokering the Black Sea grain deal, which Moscow later abandoned. Kremlin spokesman Dmitry
    Peskov said Russia would return to the deal only if sanctions on its banks were lifted. Biden
    spoke by phone with Erdoğan on Friday.""",
    [
        ("United States", "GPE", "Q30", ["U.S."]),
        ("Joe Biden", "PERSON", "Q6279", ["Joe Biden", "Biden"]),
        ("Ukrainian", "NORP", "Q44806", ["Ukrainian"]),
        ("Volodymyr Zelensky", "PERSON", "Q3874799", ["Volodymyr Zelensky"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Black Sea", "LOC", "Q166", ["Black Sea"]),
        ("Moscow", "GPE", "Q649", ["Moscow"]),
        ("Kremlin", "ORG", "Q133274", ["Kremlin"]),
        ("Dmitry Peskov", "PERSON", None, ["Dmitry Peskov"]),
        ("Russia", "GPE", "Q159", ["Russia"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdoğan"]),
    ],
)

doc(
    "cassation-hashtag",
    """Speaking to Reuters, CHP deputy chair Ali Mahir Başarır said the party would challenge the
    verdict at the Court of Cassation. Anadolu Agency reported that the Council of State had
    already annulled the decree. Basarir's statement was shared widely under the hashtag
    #AdaletİçinYürü.""",
    [
        ("Reuters", "ORG", "Q130879", ["Reuters"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("Ali Mahir Başarır", "PERSON", "Q97210902", ["Ali Mahir Başarır", "Basarir"]),
        ("Court of Cassation", "ORG", None, ["Court of Cassation"]),
        ("Anadolu Agency", "ORG", None, ["Anadolu Agency"]),
        ("Council of State", "ORG", None, ["Council of State"]),
        ("#AdaletİçinYürü", "HASHTAG", None, ["#AdaletİçinYürü"]),
    ],
)

doc(
    "kavala-echr",
    """Former Deputy Prime Minister Bülent Arınç criticised the continued detention of
    philanthropist Osman Kavala, whose release the European Court of Human Rights ordered in 2019.
    Kavala has been in prison since 2017. The ECHR ruling was ignored by Ankara, prompting the
    Council of Europe's Committee of Ministers to launch infringement proceedings against
    Turkey.""",
    [
        ("Bülent Arınç", "PERSON", "Q1020672", ["Bülent Arınç"]),
        ("Osman Kavala", "PERSON", None, ["Osman Kavala", "Kavala"]),
        (
            "European Court of Human Rights",
            "ORG",
            "Q122880",
            ["European Court of Human Rights", "ECHR"],
        ),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("Council of Europe", "ORG", "Q8908", ["Council of Europe"]),
        ("Committee of Ministers", "ORG", None, ["Committee of Ministers"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
    ],
)

doc(
    "unknown-mayor-coreference",
    """Ms. Ayşe Karaca, the newly elected mayor of the Kocaeli district of Gebze, said on Sunday
    that her office had found irregularities in municipal accounts. Karaca, a member of the
    New Welfare Party, told Halk TV that she had sent the files to prosecutors. Ms. Karaca's
    predecessor, Zinnur Büyükgöz, denied the allegations.""",
    [
        ("Ayşe Karaca", "PERSON", None, ["Ayşe Karaca", "Karaca"]),
        ("Kocaeli", "GPE", "Q83965", ["Kocaeli"]),
        ("Gebze", "GPE", None, ["Gebze"]),
        ("New Welfare Party", "ORG", None, ["New Welfare Party"]),
        ("Halk TV", "ORG", None, ["Halk TV"]),
        ("Zinnur Büyükgöz", "PERSON", None, ["Zinnur Büyükgöz"]),
    ],
)


# Paragraphs written after the rules were settled (held out while tuning them).
doc(
    "reuters-imamoglu-arrest",
    """ANKARA (Reuters) - Turkish President Tayyip Erdogan on Tuesday slammed the European
    Union's criticism of the arrest of Istanbul mayor Ekrem Imamoglu, saying Brussels had no
    right to lecture Turkey. Imamoglu's lawyer, Mehmet Pehlivan, said his client would appeal.
    Main opposition leader Ozgur Ozel called for mass protests in Saraçhane Square.""",
    [
        ("Ankara", "GPE", "Q3640", ["ANKARA"]),
        ("Reuters", "ORG", "Q130879", ["Reuters"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Tayyip Erdogan"]),
        ("European Union", "ORG", "Q458", ["European Union"]),
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Ekrem İmamoğlu", "PERSON", "Q59313241", ["Ekrem Imamoglu", "Imamoglu"]),
        ("Brussels", "GPE", "Q239", ["Brussels"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Mehmet Pehlivan", "PERSON", None, ["Mehmet Pehlivan"]),
        ("Özgür Özel", "PERSON", "Q17046812", ["Ozgur Ozel"]),
        ("Saraçhane Square", "FAC", None, ["Saraçhane Square"]),
    ],
)

doc(
    "bahceli-ocalan-call",
    """Nationalist Movement Party (MHP) leader Devlet Bahçeli proposed that jailed PKK leader
    Abdullah Öcalan address parliament, a remarkable shift. The pro-Kurdish DEM Party welcomed
    Bahçeli's call, while the İYİ Party's Müsavat Dervişoğlu called it "a betrayal". Erdoğan's
    AK Party remained silent for days.""",
    [
        ("Nationalist Movement Party", "ORG", "Q251077", ["Nationalist Movement Party", "MHP"]),
        ("Devlet Bahçeli", "PERSON", "Q1206951", ["Devlet Bahçeli", "Bahçeli"]),
        ("Kurdistan Workers' Party", "ORG", "Q152220", ["PKK"]),
        ("Abdullah Öcalan", "PERSON", "Q191530", ["Abdullah Öcalan"]),
        ("Kurdish", "NORP", "Q12223", ["Kurdish"]),
        ("Peoples' Equality and Democracy Party", "ORG", None, ["DEM Party"]),
        ("İYİ Party", "ORG", "Q42313794", ["İYİ Party"]),
        ("Müsavat Dervişoğlu", "PERSON", "Q61075939", ["Müsavat Dervişoğlu"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdoğan"]),
        ("Justice and Development Party", "ORG", "Q19077", ["AK Party"]),
    ],
)

doc(
    "greek-turkish-talks",
    """Greek Foreign Minister George Gerapetritis met his Turkish counterpart Hakan Fidan in
    Athens on Friday. Gerapetritis said the two NATO allies would resume talks on maritime
    boundaries in the Aegean. Fidan, a former head of MIT, told reporters that Ankara wanted
    "a positive agenda" with Athens.""",
    [
        ("Greek", "NORP", "Q539051", ["Greek"]),
        ("George Gerapetritis", "PERSON", None, ["George Gerapetritis", "Gerapetritis"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Hakan Fidan", "PERSON", None, ["Hakan Fidan", "Fidan"]),
        ("Athens", "GPE", "Q1524", ["Athens"]),
        ("NATO", "ORG", "Q7184", ["NATO"]),
        ("Aegean Sea", "LOC", "Q34575", ["Aegean"]),
        ("National Intelligence Organization", "ORG", None, ["MIT"]),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
    ],
)

doc(
    "bogazici-protests",
    """On social media, the hashtag #DiktatoreKarşıOmuzOmuza trended after police detained
    students at Boğaziçi University. CHP Istanbul chair Özgür Çelik wrote on X: "We stand with
    the students." Interior Minister Ali Yerlikaya (@AliYerlikaya) said 43 people were
    detained.""",
    [
        ("#DiktatoreKarşıOmuzOmuza", "HASHTAG", None, ["#DiktatoreKarşıOmuzOmuza"]),
        ("Boğaziçi University", "ORG", None, ["Boğaziçi University"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Özgür Çelik", "PERSON", None, ["Özgür Çelik"]),
        ("X", "ORG", "Q918", ["X"]),
        ("Ali Yerlikaya", "PERSON", "Q12808436", ["Ali Yerlikaya"]),
        ("@AliYerlikaya", "HANDLE", None, ["@AliYerlikaya"]),
    ],
)

doc(
    "merz-erdogan-berlin",
    """German Chancellor Friedrich Merz hosted Erdoğan in Berlin. Merz said Germany was ready
    to support Turkey's purchase of Eurofighter jets, a deal long blocked by the previous
    government. Erdoğan also met members of the Turkish diaspora and the Social Democrats'
    leader Lars Klingbeil.""",
    [
        ("German", "NORP", "Q42884", ["German"]),
        ("Friedrich Merz", "PERSON", "Q566257", ["Friedrich Merz", "Merz"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdoğan"]),
        ("Berlin", "GPE", "Q64", ["Berlin"]),
        ("Germany", "GPE", "Q183", ["Germany"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Social Democratic Party of Germany", "ORG", "Q49768", ["Social Democrats"]),
        ("Lars Klingbeil", "PERSON", None, ["Lars Klingbeil"]),
    ],
)

doc(
    "grain-corridor-sochi",
    """Russian President Vladimir Putin and his Turkish counterpart met in Sochi to discuss the
    grain corridor. The Russian Defense Ministry said its navy would escort ships in the Black
    Sea. Ukraine's President Volodymyr Zelenskyy said Kyiv would not accept any deal made
    without it. Turkey's Defense Ministry declined to comment.""",
    [
        ("Russian", "NORP", "Q49542", ["Russian"]),
        ("Vladimir Putin", "PERSON", "Q7747", ["Vladimir Putin"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Sochi", "GPE", None, ["Sochi"]),
        ("Russian Defense Ministry", "ORG", None, ["Russian Defense Ministry"]),
        ("Black Sea", "LOC", "Q166", ["Black Sea"]),
        ("Ukraine", "GPE", "Q212", ["Ukraine"]),
        ("Volodymyr Zelensky", "PERSON", "Q3874799", ["Volodymyr Zelenskyy"]),
        ("Kyiv", "GPE", "Q1899", ["Kyiv"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Ministry of National Defence", "ORG", None, ["Defense Ministry"]),
    ],
)


doc(
    "imamoglu-arrest",
    """Turkish court jails 17 in İmamoğlu corruption probe, opposition cries foul. An Istanbul court
    on Sunday ordered the arrest of Istanbul Mayor Ekrem İmamoğlu and 16 others pending trial in a
    corruption investigation, a move the main opposition Republican People's Party (CHP) called "a
    coup against the next president." İmamoğlu was detained on March 19 along with dozens of
    municipal officials. The Istanbul Chief Public Prosecutor's Office accuses him of leading a
    criminal organization. A separate terrorism investigation, over an alleged electoral alliance
    with the pro-Kurdish Peoples' Equality and Democracy Party (DEM Party), did not result in an
    arrest. "Ekrem İmamoğlu is our presidential candidate," CHP chair Özgür Özel told a crowd
    outside the headquarters of the Istanbul Metropolitan Municipality. Özel called for a boycott
    of companies close to the government, including the broadcaster CNN Türk. The Interior Ministry
    later announced that İmamoğlu had been suspended from office. Interior Minister Ali Yerlikaya
    wrote on X that "no one is above the law." President Recep Tayyip Erdoğan accused the CHP of
    "street terrorism." Erdoğan's Justice and Development Party (AKP) has denied any political
    motive. In Brussels, a spokesperson for the European Commission said the EU expected Turkey to
    uphold democratic values, while the Council of Europe's Congress of Local and Regional
    Authorities said it was deeply concerned. Police detained more than 1,100 people during
    protests in Istanbul, Ankara and İzmir, according to Yerlikaya. Seven journalists, including
    AFP photographer Yasin Akgül, were among those detained. The Istanbul Bar Association said the
    detentions violated the right to a fair trial. The Turkish lira fell 10 percent before the
    Central Bank of the Republic of Turkey intervened.""",
    [
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Ekrem İmamoğlu", "PERSON", "Q59313241", ["Ekrem İmamoğlu", "İmamoğlu"]),
        (
            "Istanbul Chief Public Prosecutor's Office",
            "ORG",
            None,
            ["Istanbul Chief Public Prosecutor's Office"],
        ),
        ("Istanbul Metropolitan Municipality", "ORG", "Q6085390", ["Istanbul Metropolitan Municipality"]),
        ("Istanbul Bar Association", "ORG", None, ["Istanbul Bar Association"]),
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Republican People's Party", "ORG", "Q19079", ["Republican People's Party", "CHP"]),
        ("Kurdish", "NORP", "Q12223", ["Kurdish"]),
        (
            "Peoples' Equality and Democracy Party",
            "ORG",
            None,
            ["Peoples' Equality and Democracy Party", "DEM Party"],
        ),
        ("Özgür Özel", "PERSON", "Q17046812", ["Özgür Özel", "Özel"]),
        ("CNN Türk", "ORG", None, ["CNN Türk"]),
        ("Ministry of Interior", "ORG", None, ["Interior Ministry"]),
        ("Ali Yerlikaya", "PERSON", "Q12808436", ["Ali Yerlikaya", "Yerlikaya"]),
        ("Twitter", "ORG", "Q918", ["X"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Recep Tayyip Erdoğan", "Erdoğan"]),
        ("Justice and Development Party", "ORG", "Q19077", ["Justice and Development Party", "AKP"]),
        ("Brussels", "GPE", "Q239", ["Brussels"]),
        ("European Commission", "ORG", "Q8880", ["European Commission"]),
        ("European Union", "ORG", "Q458", ["EU"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Council of Europe", "ORG", "Q8908", ["Council of Europe"]),
        (
            "Congress of Local and Regional Authorities",
            "ORG",
            None,
            ["Congress of Local and Regional Authorities"],
        ),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("İzmir", "GPE", "Q35997", ["İzmir"]),
        ("Agence France-Presse", "ORG", "Q40464", ["AFP"]),
        ("Yasin Akgül", "PERSON", None, ["Yasin Akgül"]),
        (
            "Central Bank of the Republic of Turkey",
            "ORG",
            "Q580829",
            ["Central Bank of the Republic of Turkey"],
        ),
    ],
)

doc(
    "dem-delegation-imrali",
    """DEM Party delegation meets Öcalan on İmralı for third time. A delegation from the Peoples'
    Equality and Democracy Party (DEM Party) visited jailed Kurdistan Workers' Party (PKK) leader
    Abdullah Öcalan on İmralı Island on Saturday, the party said in a statement. The delegation
    included Pervin Buldan and Sırrı Süreyya Önder, both deputy speakers of parliament, and lawyer
    Faik Özgür Erol. The delegation later met parliament speaker Numan Kurtulmuş and Nationalist
    Movement Party (MHP) chair Devlet Bahçeli. The visits are part of a process initiated by
    Bahçeli in October. President Erdoğan has backed the initiative. DEM Party co-chair Tuncer
    Bakırhan said Öcalan had sent messages to Kurdish groups in Syria. The Syrian Democratic Forces
    (SDF), led by Mazloum Abdi, is dominated by the People's Protection Units (YPG), which Ankara
    regards as the Syrian branch of the PKK. Abdi told the news website Al-Monitor that the SDF
    was ready for dialogue with Damascus and Ankara. Turkish Defense Minister Yaşar Güler said
    operations against the YPG would continue. The European Parliament's Turkey rapporteur Nacho
    Sánchez Amor welcomed the talks. "This is a historic opportunity for peace," Sánchez Amor
    said.""",
    [
        (
            "Peoples' Equality and Democracy Party",
            "ORG",
            None,
            ["Peoples' Equality and Democracy Party", "DEM Party"],
        ),
        ("Abdullah Öcalan", "PERSON", "Q191530", ["Abdullah Öcalan", "Öcalan"]),
        ("İmralı Island", "LOC", None, ["İmralı Island", "İmralı"]),
        ("Kurdistan Workers' Party", "ORG", "Q152220", ["Kurdistan Workers' Party", "PKK"]),
        ("Pervin Buldan", "PERSON", "Q458740", ["Pervin Buldan"]),
        ("Sırrı Süreyya Önder", "PERSON", "Q982389", ["Sırrı Süreyya Önder"]),
        ("Faik Özgür Erol", "PERSON", None, ["Faik Özgür Erol"]),
        ("Numan Kurtulmuş", "PERSON", "Q982397", ["Numan Kurtulmuş"]),
        ("Nationalist Movement Party", "ORG", "Q251077", ["Nationalist Movement Party", "MHP"]),
        ("Devlet Bahçeli", "PERSON", "Q1206951", ["Devlet Bahçeli", "Bahçeli"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdoğan"]),
        ("Tuncer Bakırhan", "PERSON", None, ["Tuncer Bakırhan"]),
        ("Kurdish", "NORP", "Q12223", ["Kurdish"]),
        ("Syrian Democratic Forces", "ORG", None, ["Syrian Democratic Forces", "SDF"]),
        ("Syria", "GPE", "Q858", ["Syria"]),
        ("Mazloum Abdi", "PERSON", None, ["Mazloum Abdi", "Abdi"]),
        ("People's Protection Units", "ORG", "Q277036", ["People's Protection Units", "YPG"]),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("Syrian", "NORP", None, ["Syrian"]),
        ("Al-Monitor", "ORG", None, ["Al-Monitor"]),
        ("Damascus", "GPE", "Q3766", ["Damascus"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Yaşar Güler", "PERSON", "Q19636157", ["Yaşar Güler"]),
        ("European Parliament", "ORG", "Q8889", ["European Parliament"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Nacho Sánchez Amor", "PERSON", "Q5913582", ["Nacho Sánchez Amor", "Sánchez Amor"]),
    ],
)

doc(
    "names-the-tagger-misreads",
    """Van Metropolitan Municipality Co-Mayor Abdullah Zeydan was removed from office, and his seat
    was given to Van Governor Ozan Balcı. Sedat Peker, a mafia leader who fled Turkey, released new
    videos. Yeni Şafak columnist İbrahim Karagül blamed foreign powers, and the pro-government daily
    Sabah carried a similar headline. The İYİ Party's Ümit Dikbayır resigned. Journalists Furkan
    Karabay and Fatih Altaylı were detained. Iran's Supreme Leader Ayatollah Ali Khamenei said
    talks were over. "Our Azerbaijani brothers are not alone," Erdoğan said.""",
    [
        ("Van Metropolitan Municipality", "ORG", None, ["Van Metropolitan Municipality"]),
        ("Abdullah Zeydan", "PERSON", None, ["Abdullah Zeydan"]),
        ("Van", "GPE", None, ["Van"]),
        ("Ozan Balcı", "PERSON", None, ["Ozan Balcı"]),
        ("Sedat Peker", "PERSON", None, ["Sedat Peker"]),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Yeni Şafak", "ORG", None, ["Yeni Şafak"]),
        ("İbrahim Karagül", "PERSON", None, ["İbrahim Karagül"]),
        ("Sabah", "ORG", "Q574575", ["Sabah"]),
        ("İYİ Party", "ORG", "Q42313794", ["İYİ Party"]),
        ("Ümit Dikbayır", "PERSON", None, ["Ümit Dikbayır"]),
        ("Furkan Karabay", "PERSON", None, ["Furkan Karabay"]),
        ("Fatih Altaylı", "PERSON", None, ["Fatih Altaylı"]),
        ("Iran", "GPE", "Q794", ["Iran"]),
        ("Ali Khamenei", "PERSON", "Q57336", ["Ali Khamenei"]),
        ("Azerbaijani", "NORP", None, ["Azerbaijani"]),
        ("Recep Tayyip Erdoğan", "PERSON", "Q39259", ["Erdoğan"]),
    ],
)

doc(
    "imrali-delegation",
    """A delegation from the Peoples' Equality and Democracy (DEM) Party visited Abdullah Öcalan on
    İmralı prison island on Monday. Pervin Buldan and Sırrı Süreyya Önder later met Parliament
    Speaker Numan Kurtulmuş and Nationalist Movement Party (MHP) leader Devlet Bahçeli. "The process
    is moving forward," Önder told journalists outside the Grand National Assembly of Türkiye. The
    Good (İYİ) Party refused to join the commission, while CHP economy spokesperson Yalçın Karatepe
    said the process lacked transparency.""",
    [
        (
            "Peoples' Equality and Democracy Party",
            "ORG",
            None,
            ["Peoples' Equality and Democracy (DEM) Party"],
        ),
        ("Abdullah Öcalan", "PERSON", "Q191530", ["Abdullah Öcalan"]),
        ("İmralı", "LOC", None, ["İmralı"]),
        ("Pervin Buldan", "PERSON", "Q458740", ["Pervin Buldan"]),
        ("Sırrı Süreyya Önder", "PERSON", "Q982389", ["Sırrı Süreyya Önder", "Önder"]),
        (
            "Grand National Assembly of Turkey",
            "ORG",
            "Q274918",
            ["Parliament", "Grand National Assembly of Türkiye"],
        ),
        ("Numan Kurtulmuş", "PERSON", "Q982397", ["Numan Kurtulmuş"]),
        ("Nationalist Movement Party", "ORG", "Q251077", ["Nationalist Movement Party", "MHP"]),
        ("Devlet Bahçeli", "PERSON", "Q1206951", ["Devlet Bahçeli"]),
        ("İYİ Party", "ORG", "Q42313794", ["Good (İYİ) Party"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("Yalçın Karatepe", "PERSON", None, ["Yalçın Karatepe"]),
    ],
)

doc(
    "rtuk-ysk-platform",
    """The Radio and Television Supreme Council (RTÜK) imposed a 10-day broadcast ban on Sözcü TV
    over its coverage of protests in Istanbul. RTÜK chair Ebubekir Şahin said the channel had
    incited hatred. The Supreme Election Council (YSK) rejected the CHP's objection in Şanlıurfa's
    Halfeti district, and YSK Chair Ahmet Yener said the decision was final. The We Will Stop
    Femicide Platform said 394 women were killed by men last year, on the eve of International
    Women's Day.""",
    [
        (
            "Radio and Television Supreme Council",
            "ORG",
            None,
            ["Radio and Television Supreme Council", "RTÜK"],
        ),
        ("Sözcü TV", "ORG", None, ["Sözcü TV"]),
        ("Istanbul", "GPE", "Q406", ["Istanbul"]),
        ("Ebubekir Şahin", "PERSON", None, ["Ebubekir Şahin"]),
        ("Supreme Election Council", "ORG", None, ["Supreme Election Council", "YSK"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("Şanlıurfa", "GPE", "Q133118", ["Şanlıurfa"]),
        ("Halfeti", "GPE", None, ["Halfeti"]),
        ("Ahmet Yener", "PERSON", None, ["Ahmet Yener"]),
        ("We Will Stop Femicide Platform", "ORG", None, ["We Will Stop Femicide Platform"]),
        ("International Women's Day", "EVENT", None, ["International Women's Day"]),
    ],
)

doc(
    "acemoglu-baykar-yavas",
    """Economist Daron Acemoğlu, a professor at the Massachusetts Institute of Technology (MIT),
    said Turkey's institutions were eroding. Turkish drone maker Baykar agreed to buy Italian
    aerospace firm Piaggio Aerospace, and Baykar chairman Selçuk Bayraktar said the deal would
    expand its footprint. Ankara Metropolitan Mayor Mansur Yavaş called the arrest of CHP Ankara
    provincial head Ümit Erkol unacceptable. Flights at Atatürk Airport were cancelled.""",
    [
        ("Daron Acemoğlu", "PERSON", None, ["Daron Acemoğlu"]),
        (
            "Massachusetts Institute of Technology",
            "ORG",
            None,
            ["Massachusetts Institute of Technology", "MIT"],
        ),
        ("Turkey", "GPE", "Q43", ["Turkey"]),
        ("Turkish", "NORP", "Q84072", ["Turkish"]),
        ("Baykar", "ORG", None, ["Baykar"]),
        ("Italian", "NORP", None, ["Italian"]),
        ("Piaggio Aerospace", "ORG", None, ["Piaggio Aerospace"]),
        ("Selçuk Bayraktar", "PERSON", "Q83544153", ["Selçuk Bayraktar"]),
        ("Ankara", "GPE", "Q3640", ["Ankara"]),
        ("Mansur Yavaş", "PERSON", "Q6086970", ["Mansur Yavaş"]),
        ("Republican People's Party", "ORG", "Q19079", ["CHP"]),
        ("Ümit Erkol", "PERSON", None, ["Ümit Erkol"]),
        ("Atatürk Airport", "FAC", None, ["Atatürk Airport"]),
    ],
)


# ---------------------------------------------------------------------------------------------


def mentions_of(text: str, ents: list[Ent]) -> list[list[list[int]]]:
    """Offsets of every form, longest forms first, never overlapping."""
    order = sorted(
        ((form, i) for i, (_, _, _, forms) in enumerate(ents) for form in forms),
        key=lambda x: -len(x[0]),
    )
    claimed: list[tuple[int, int]] = []
    found: list[list[list[int]]] = [[] for _ in ents]
    for form, i in order:
        for m in re.finditer(r"(?<![\w@#])" + re.escape(form) + r"(?!\w)", text):
            s, e = m.span()
            if any(s < ce and cs < e for cs, ce in claimed):
                continue
            claimed.append((s, e))
            found[i].append([s, e])
    for i, (name, *_rest) in enumerate(ents):
        if not found[i]:
            raise ValueError(f"no mention found for {name!r}")
        found[i].sort()
    return found


def build() -> list[dict]:
    rows = []
    for doc_id, text, ents in DOCS:
        if not text:
            raise FileNotFoundError(SEED)
        found = mentions_of(text, ents)
        rows.append(
            {
                "id": doc_id,
                "text": text,
                "entities": [
                    {"name": n, "type": t, "wikidata_id": q, "mentions": f}
                    for (n, t, q, _), f in zip(ents, found, strict=True)
                ],
            }
        )
    return rows


def main() -> None:
    rows = build()
    with (HERE / "entities.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_ent = sum(len(r["entities"]) for r in rows)
    n_men = sum(len(e["mentions"]) for r in rows for e in r["entities"])
    print(f"{len(rows)} documents, {n_ent} entities, {n_men} mentions")


if __name__ == "__main__":
    main()
