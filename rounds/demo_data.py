"""Demo rounds for the seed memo's municipalities: which preset, which phase, which proposals.

Numbers come from the memo (Bilag 2); titles are plausible local projects, several named in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoProposal:
    title: str
    cost: int
    area: str | None = None
    theme: str | None = None
    # Index of the legal checklist item it fails (rejected in assessment with that item as reason).
    fails_legal: int | None = None


@dataclass(frozen=True)
class DemoRound:
    preset: str
    slug: str
    until: str  # the phase kind that is open now
    proposals: tuple[DemoProposal, ...] = ()
    title: str | None = None
    overrides: dict = field(default_factory=dict)
    areas: tuple[tuple[str, str, int | None], ...] | None = None  # replaces the preset's areas
    applications: tuple[str, ...] = ()
    selected_pots: tuple[int, ...] = ()  # sub-pots of the first applications, in order
    meetings: tuple[tuple[str, str, str], ...] = ()  # (kind, title, location)


P = DemoProposal

AARHUS = (
    DemoRound(
        preset="aarhus_almene_boliger",
        slug="almene-boliger-2026",
        until="ideas",
        proposals=(
            P(
                "Fælles værksted i kælderen",
                60_000,
                "Grønt borgerbudget i Testrup",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Byhaver på taget",
                85_000,
                "Grønt borgerbudget i Testrup",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Regnvandsbed ved legepladsen",
                40_000,
                "Grønt borgerbudget i Testrup",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Delebilordning for beboere",
                30_000,
                "Grønt borgerbudget i Testrup",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Kursus i iværksætteri",
                45_000,
                "Langtidsledige tager teten",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Mentorordning med lokale virksomheder",
                35_000,
                "Langtidsledige tager teten",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Cykelreparation som socialøkonomisk virksomhed",
                50_000,
                "Langtidsledige tager teten",
                "Gentænk fremtidens almene boliger",
            ),
            P(
                "Fællesrum med lektiecafé",
                70_000,
                "Grønt borgerbudget i Testrup",
                "Gentænk fremtidens almene boliger",
            ),
        ),
    ),
    DemoRound(
        preset="koeln_byen",
        slug="hele-byen-2026",
        until="statements",
        title="Borgerbudget for hele Aarhus 2026",
        proposals=(
            P("Bynatur langs Aarhus Å", 400_000, theme="Grønne områder"),
            P("Flere træer i Gellerup", 250_000, theme="Grønne områder"),
            P("Lommeparker i midtbyen", 300_000, theme="Grønne områder"),
            P("Blomstereng i Mindeparken", 80_000, theme="Grønne områder"),
            P("Gratis koncerter i Musikhusparken", 150_000, theme="Kultur"),
            P("Street art på Sydhavnen", 120_000, theme="Kultur"),
            P("Bogbus til landsbyerne", 350_000, theme="Kultur"),
            P("Udendørs fitness ved Bellevue", 180_000, theme="Sport"),
            P("Kunstgræsbane i Tilst", 900_000, theme="Sport"),
            P("Skatepark i Skejby", 450_000, theme="Sport"),
            P("Vinterbadning ved Den Permanente", 200_000, theme="Sport"),
            P("Solceller på skolerne", 800_000, theme="Klima"),
            P("Cykelparkering ved stationerne", 260_000, theme="Klima"),
            P("Reparationscafé i hver bydel", 90_000, theme="Klima"),
        ),
    ),
)

KOLDING = (
    DemoRound(
        preset="kolding_braendkjaer",
        slug="braendkjaer-bestemmer-2026",
        until="voting",
        proposals=(
            P("Fællesspisning i klubhuset", 8_000),
            P("Lektiecafé for børn og unge", 15_000),
            P("Cykelværksted i gården", 12_000),
            P("Sommerfest for hele Brændkjær", 15_000),
            P("Bålhytte ved skolen", 15_000),
            P("Strikkeklub for alle aldre", 5_000),
            P("Fodboldturnering mellem opgangene", 6_000),
        ),
        meetings=(("voting_day", "Valgdag: Brændkjær Bestemmer", "Brændkjærskolens aula"),),
    ),
    DemoRound(
        preset="kolding_braendkjaer",
        slug="braendkjaer-bestemmer-2025",
        title="Brændkjær Bestemmer 2025",
        until="implementation",
        proposals=(
            P("Julehygge i beboerhuset", 10_000),
            P("Nye bænke ved legepladsen", 14_000),
            P("Madlavning for fædre og børn", 9_000),
            P("Dansehold for piger", 12_000),
            P("Grøn gård med højbede", 15_000),
        ),
    ),
)

HEDENSTED = (
    DemoRound(
        preset="hedensted_landdistrikter",
        slug="landdistrikter-2014",
        title="Borgerbudget i landdistrikterne 2014",
        until="evaluation",
        applications=(
            "Løsning Lokalråd", "Juelsminde Lokalråd", "Tørring Lokalråd",
            "Hornsyld Lokalråd", "Barrit Lokalråd", "Stouby Lokalråd",
        ),
        selected_pots=(60_000, 60_000, 60_000, 60_000),
        proposals=(
            P("Bedre internetdækning", 45_000, "Løsning Lokalråd"),
            P("Skatebane ved hallen", 40_000, "Løsning Lokalråd"),
            P("Bålhytte ved stranden", 55_000, "Juelsminde Lokalråd"),
            P("Shelter ved Bjerre Skov", 30_000, "Juelsminde Lokalråd"),
            P("Renovering af forsamlingshuset", 60_000, "Tørring Lokalråd"),
            P("Legeplads ved børnehaven", 35_000, "Tørring Lokalråd"),
            P("Multibane", 50_000, "Hornsyld Lokalråd"),
            P("Byfest og velkomstpakke", 15_000, "Hornsyld Lokalråd"),
        ),
    ),
    DemoRound(
        preset="hedensted_landdistrikter",
        slug="landdistrikter-2015",
        title="Borgerbudget i landdistrikterne 2015",
        overrides={"pot": 350_000},
        until="allocation",
        applications=(
            "Løsning Lokalråd", "Juelsminde Lokalråd", "Tørring Lokalråd", "Hornsyld Lokalråd",
            "Barrit Lokalråd", "Stouby Lokalråd", "Glud Lokalråd", "Ørum Lokalråd", "Rårup Lokalråd",
        ),
        selected_pots=(50_000, 50_000, 50_000, 50_000, 50_000),
    ),
)  # fmt: skip

ODENSE = (
    DemoRound(
        preset="odense_velfaerdseksperiment",
        slug="velfaerdseksperiment-2026",
        until="workshops",
        meetings=(
            ("info", "Informationsmøde for forslagsstillere", "Bolbro Skole"),
            ("info", "Informationsmøde i Dalum", "Dalum Bibliotek"),
            ("expert_day", "Ekspertdag: økonomi og fundraising", "Bolbro Bibliotek"),
            ("expert_day", "Ekspertdag: kommunikation", "Dalum Kulturhus"),
        ),
    ),
    DemoRound(
        preset="odense_velfaerdseksperiment",
        slug="velfaerdseksperiment-2015",
        title="Velfærdseksperiment 2015",
        until="decision",
        proposals=(
            P("Bevægelsespark", 90_000, "Bolbro"),
            P("Nyttehaver", 30_000, "Bolbro"),
            P("Legepatrulje for børn", 20_000, "Bolbro"),
            P("Danskundervisning for flygtninge", 40_000, "Bolbro"),
            P("Velkomstpakke for tilflyttere", 15_000, "Bolbro"),
            P("Bevægelsesområde ved skolen", 80_000, "Dalum"),
            P("Skilte på historiske bygninger", 25_000, "Dalum"),
            P("Model af kirken", 35_000, "Dalum"),
            P("Nye borde og bænke i parken", 45_000, "Dalum"),
        ),
    ),
)

_FAABORG_TITLES = (
    ("Naturcenter ved Svanninge Bakker", 500_000), ("Trampesti langs Odense Å", 60_000),
    ("Shelterplads ved Arreskov Sø", 45_000), ("Ny scene i Faaborg Havn", 120_000),
    ("Kunstgræs i Ringe", 250_000), ("Legeplads i Årslev", 80_000), ("Madpakkehus ved skolen i Korinth", 35_000),
    ("Motionsrute i Nr. Lyndelse", 40_000), ("Byens juletræ i Ringe", 15_000), ("Bålplads i Horne", 20_000),
    ("Udendørs fitness i Faaborg", 70_000), ("Sejlerstue for unge", 90_000), ("Musikfestival i Ryslinge", 60_000),
    ("Vinterbadeanstalt i Faaborg", 150_000), ("Petanquebane i Ferritslev", 25_000), ("Hundeskov ved Ringe", 30_000),
    ("Cykelsti til Kværndrup", 400_000), ("Renovering af forsamlingshuset i Espe", 110_000),
    ("Kulturnat i Faaborg", 40_000), ("Naturlegeplads i Brobyværk", 65_000), ("Bænke langs Øhavsstien", 30_000),
    ("Tilskud til lokal købmand", 100_000), ("Markedsføring af egen B&B", 40_000),
    ("Istandsættelse af privat have", 25_000), ("Skaterampe i Årslev", 55_000),
    ("Fællesværksted i Ringe", 45_000), ("Lysløype i Svanninge", 75_000), ("Seniorfitness i Broby", 20_000),
    ("Ungdomsklub i Nørre Broby", 85_000), ("Borgerhus i Gislev", 130_000), ("Fugletårn ved Sallinge Å", 50_000),
    ("Byhave i Faaborg", 35_000), ("Minibibliotek i landsbyerne", 10_000), ("Dyrskue i Ringe", 30_000),
    ("Udekøkken i Vester Hæsinge", 40_000), ("Kajakbro i Faaborg Fjord", 70_000), ("Frivilligcentral på tour", 25_000),
    ("Stiforbindelse i Heden", 90_000), ("Multibane i Ryslinge", 160_000), ("Infotavler om lokalhistorie", 20_000),
    ("Bytorv med træer i Ringe", 180_000), ("Fællesspisning i Diernæs", 12_000),
)  # fmt: skip
# Rejected in legal screening as business-support-like or benefiting individuals (memo: "erhvervsstøttelignende").
_FAABORG_ILLEGAL = {
    "Tilskud til lokal købmand": 2,
    "Markedsføring af egen B&B": 2,
    "Istandsættelse af privat have": 2,
}

FAABORG_MIDTFYN = (
    DemoRound(
        preset="faaborg_midtfyn_aaben_pulje",
        slug="borgerbudget-2015",
        until="implementation",
        proposals=tuple(P(t, c, fails_legal=_FAABORG_ILLEGAL.get(t)) for t, c in _FAABORG_TITLES),
    ),
    DemoRound(
        preset="faaborg_midtfyn_aaben_pulje",
        slug="borgerbudget-2026",
        title="Borgerbudget 2026",
        until="inform",
    ),
)

DEMO_ROUNDS: dict[str, tuple[DemoRound, ...]] = {
    "0751": AARHUS,
    "0621": KOLDING,
    "0766": HEDENSTED,
    "0461": ODENSE,
    "0430": FAABORG_MIDTFYN,
}
