from django.utils import translation

from models_catalogue.compare import catalogue_compare, catalogue_list


def test_the_catalogue_lists_every_model_with_phases_and_settings_in_the_language_asked():
    models = {m.key: m for m in catalogue_list("en")}
    assert models["koeln"].name == "The Cologne model"
    assert [p["kind"] for p in models["open_pot"].phases][:3] == ["inform", "ideas", "assessment"]
    pot = next(s for s in models["open_pot"].settings if s["name"] == "pot")
    assert pot["default"] == 500_000 and pot["minimum"] == 1_000
    assert catalogue_list("da")[0].name == "Køln-modellen"


def test_models_compare_side_by_side():
    with translation.override("da"):
        table = catalogue_compare(["koeln", "open_pot"])
    assert [m["key"] for m in table["models"]] == ["koeln", "open_pot"]
    rows = {row["name"]: row for row in table["rows"]}
    assert rows["project_cap"]["label"] == "Maksimum pr. projekt (kr.)"
    assert rows["project_cap"]["values"][1] == "ingen (fast)"
    assert rows["favourites_per_theme"]["values"][0] == "5 (interval 1–100)"
    assert rows["phases"]["values"][0].startswith("Information → Forslag → Dialog → Favoritliste")
