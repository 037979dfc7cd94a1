"""Wire copy and its syndicated, lightly edited versions, for story-clustering tests and benches.

``WIRE`` is one agency story; :func:`edited` makes an outlet's version of it (its own intro line,
a paragraph dropped, small wording changes). ``SAME_TOPIC`` are different stories on the same
topic (the election law), sharing vocabulary but not sentences.
"""

from __future__ import annotations

WIRE = [
    "Turkey's parliament on Thursday began debating a bill that would lower the threshold for "
    "parties to enter the legislature from 10 percent to 7 percent, a change the opposition says "
    "is designed to keep the ruling alliance in power.",
    "The bill, drafted by the ruling Justice and Development Party (AKP) and its ally the "
    "Nationalist Movement Party (MHP), also changes how seats are distributed among members of an "
    "electoral alliance, counting only the votes each party wins on its own.",
    "Opposition lawmakers from the Republican People's Party (CHP) and the Good Party protested in "
    "the general assembly, holding up banners that read 'You cannot steal the will of the nation'.",
    "CHP group deputy chair Engin Altay told reporters the proposal was a last-minute attempt to "
    "redesign the rules of the game before an election the government fears losing.",
    "Under the draft, judges on provincial election boards would be chosen by lot among the most "
    "senior judges rather than by the most senior judge alone, a provision critics say would open "
    "the boards to political influence.",
    "The Supreme Election Council (YSK) declined to comment on the bill, saying it would apply "
    "whatever law parliament adopted in time for the next vote.",
    "Legal experts noted that under a constitutional rule, changes to election law do not apply to "
    "elections held within one year of their entry into force.",
    "Polls published this month show support for the AKP at around 32 percent, its lowest level "
    "since it first came to power in 2002, while the MHP hovers near the current threshold.",
    "The debate in the general assembly is expected to continue into next week, when the "
    "committee's report will be put to a vote article by article.",
]

SAME_TOPIC = [
    [
        "The Supreme Election Council on Monday published the final voter rolls for the upcoming "
        "local elections, listing 61 million citizens eligible to vote across 81 provinces.",
        "Opposition parties said they would check the rolls for irregularities after reports of "
        "dozens of voters registered at single addresses in several districts of Istanbul.",
        "The council said citizens can check their registration online until the end of the month "
        "and apply to district election boards to correct mistakes.",
        "Election observers from the Council of Europe are expected to arrive two weeks before the "
        "vote to monitor the campaign and the count.",
    ],
    [
        "A group of constitutional lawyers argued on Tuesday that the proposed election law would "
        "face a challenge at the Constitutional Court if parliament adopts it.",
        "The lawyers said the new method of choosing judges for provincial boards conflicts with "
        "the principle of judicial independence written into the constitution.",
        "The ruling party rejected the criticism, saying the reform aims to make the election "
        "system fairer and to reflect the will of voters more accurately.",
        "Parliament's constitutional committee approved the draft last week after a 14-hour "
        "session marked by arguments between government and opposition members.",
    ],
]


def edited(
    paragraphs: list[str], *, intro: str, drop: int | None = None, replace: tuple[str, str] = ("", "")
) -> str:
    """An outlet's version of wire copy: its own intro line, one paragraph dropped, a word changed."""
    kept = [p for i, p in enumerate(paragraphs) if i != drop]
    old, new = replace
    body = [intro, *kept]
    if old:
        body = [p.replace(old, new) for p in body]
    return "\n\n".join(body)


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)
