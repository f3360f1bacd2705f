"""Tenant presets: catalogue models tuned with the numbers of the seed memo's municipalities.

A preset is a starting point for a round (the admin console offers them; seed_demo uses them);
its settings are validated against its model like any municipality's settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEGAL_CHECKLIST = (
    "Projektet har et almennyttigt formål",
    "Projektet foregår i kommunen",
    "Projektet giver ikke støtte til enkeltpersoner eller virksomheder (ingen erhvervsstøtte)",
    "Projektet kan starte inden for 1 år",
    "Projektet kan afsluttes inden for 2 år",
)


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    process_model: str
    settings: dict[str, Any]
    summary: str = ""
    funding_source: str = ""
    themes: tuple[str, ...] = ()
    # (name, area kind, sub-pot or None)
    areas: tuple[tuple[str, str, int | None], ...] = ()
    checklist: dict[str, tuple[str, ...]] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            key="aarhus_almene_boliger",
            title="Gentænk fremtidens almene boliger",
            process_model="aarhus_hybrid",
            settings={"pot": 250_000},
            summary="Byrådet har udpeget temaet “gentænk fremtidens almene boliger”. Send forslag og idéer, "
            "som indgår i budgetprocessen. Byrådet er ikke forpligtet til at følge forslagene.",
            themes=("Gentænk fremtidens almene boliger",),
            areas=(
                ("Grønt borgerbudget i Testrup", "practice_track", 150_000),
                ("Langtidsledige tager teten", "practice_track", 100_000),
            ),
        ),
        Preset(
            key="kolding_braendkjaer",
            title="Brændkjær Bestemmer",
            process_model="porto_alegre",
            settings={
                "pot": 75_000,
                "project_cap": 15_000,
                "delegates": False,
                "proposers": "everyone",
                "self_qualification": True,
                "online_voting": False,
                "in_person_voting": True,
                "area_funding": "none",
            },
            summary="75.000 kr. til lokale projekter i Brændkjær Skoledistrikt, der øger trivslen og fremmer "
            "frivilligheden. Du kvalificerer selv dit forslag, og projekterne afgøres ved afstemning på valgdagen.",
            funding_source="§18-midler (frivillige sociale midler), Socialforvaltningen",
            checklist={
                "self_qualification": (
                    "Projektet øger trivslen i Brændkjær Skoledistrikt",
                    "Projektet fremmer frivilligheden",
                    "Projektet koster højst 15.000 kr.",
                    "Projektet er lovligt og kan gennemføres af frivillige",
                )
            },
        ),
        Preset(
            key="hedensted_landdistrikter",
            title="Borgerbudget i landdistrikterne",
            process_model="local_council_pool",
            settings={"pot": 240_000},
            summary="240.000 kr. af landdistriktspuljen til borgerbudgetter. Lokalrådene melder ind med en proces; "
            "de udvalgte holder en åben lokal dialog og en lokal afstemning.",
            funding_source="Landdistriktspuljen",
        ),
        Preset(
            key="odense_velfaerdseksperiment",
            title="Velfærdseksperiment i Bolbro og Dalum",
            process_model="porto_alegre",
            settings={
                "pot": 400_000,
                "delegates": False,
                "proposers": "everyone",
                "min_voting_age": 10,
                "online_voting": False,
                "in_person_voting": True,
            },
            summary="Ildsjæle, foreninger og brugere kommer med idéer til et bedre lokalmiljø og beslutter, hvordan "
            "200.000 kr. i hver bydel skal bruges. Alle over 10 år kan stemme – også børn kan stille forslag.",
            funding_source="Forstadspuljen",
            areas=(("Bolbro", "city_district", 200_000), ("Dalum", "city_district", 200_000)),
        ),
        Preset(
            key="faaborg_midtfyn_aaben_pulje",
            title="Borgerbudget 500.000 kr.",
            process_model="open_pot",
            settings={"pot": 500_000, "approval_max": 5},
            summary="500.000 kr. fordelt i en åben proces uden politisk indblanding. Alle forslag vurderes, og alle "
            "kvalificerede forslag kommer til afstemning i samarbejde med de lokale ugeaviser.",
            funding_source="Budgettet (ikke driftsmidler)",
            checklist={"legal": LEGAL_CHECKLIST},
        ),
        Preset(
            key="koeln_byen",
            title="Borgerbudget for hele byen",
            process_model="koeln",
            settings={"pot": 3_000_000, "favourites_per_theme": 3},
            summary="Læg forslag online og stem for eller imod. De bedste forslag i hvert tema kommer på "
            "favoritlisten og vurderes af forvaltningerne, før byrådet beslutter.",
            themes=("Grønne områder", "Kultur", "Sport", "Klima"),
        ),
    )
}
