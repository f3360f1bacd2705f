"""The catalogue: every process model, by key. Adding a model is one definition file and one line here."""

from models_catalogue.base import ProcessModel
from models_catalogue.definitions.aarhus_hybrid import AARHUS_HYBRID
from models_catalogue.definitions.koeln import KOELN
from models_catalogue.definitions.local_council_pool import LOCAL_COUNCIL_POOL
from models_catalogue.definitions.open_pot import OPEN_POT
from models_catalogue.definitions.porto_alegre import PORTO_ALEGRE

CATALOGUE: dict[str, ProcessModel] = {
    model.key: model for model in (KOELN, PORTO_ALEGRE, AARHUS_HYBRID, LOCAL_COUNCIL_POOL, OPEN_POT)
}


def get(key: str) -> ProcessModel:
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"No process model {key!r}; the catalogue has {', '.join(CATALOGUE)}") from None


def choices() -> list[tuple[str, str]]:
    """(key, Danish name) pairs, for model fields and forms."""
    return [(key, model.name["da"]) for key, model in CATALOGUE.items()]
