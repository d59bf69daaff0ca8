"""The bundled example as a USDM v4 study, compared byte for byte with `golden/ucd-umbrella.json`.

configs/ucd-umbrella does not yet state everything USDM requires (`basket export usdm` on it exits
2 and names each missing fact: the sponsor's organization identifier, a primary objective, the
planned age and sex). The golden is the example with exactly those facts added here as TEST VALUES
(`EXAMPLE_ADDITIONS`); every other value is the example's own. A fact the example gains later wins
over the addition, so the golden follows the example as it grows.

Regenerate after an intended change with `make golden` (`python -m tests.regenerate_golden`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.conftest import EXAMPLE

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "ucd-umbrella.json"

# TEST VALUES, not facts of NCT07667387 or of any sponsor.
EXAMPLE_ADDITIONS = {
    "sponsor_organization": {"kind": "academia", "identifier": "TEST-000000000", "scheme": "test value"},
    "objectives": [{"level": "primary", "text": "Test objective: hyperammonemic events after dosing",
                    "endpoints": ["Hyperammonemic events per patient-year", "Plasma arginine"],
                    "source": "test value"}],
    "planned_age": {"min": 0, "max": 18, "unit": "years"},
    "planned_sex": ["female", "male"],
}


def example_with_usdm_facts():
    """The loaded example and its plan, with `EXAMPLE_ADDITIONS` for what it does not state itself."""
    from basket.api import plan_program
    from basket.program.model import Objective, Population, SponsorOrganization

    loaded, plan = plan_program(EXAMPLE)
    umbrella = loaded.program.umbrella
    population = umbrella.population or Population()
    population = population.model_copy(update={
        "planned_age": population.planned_age or Population.model_validate(
            {"planned_age": EXAMPLE_ADDITIONS["planned_age"]}).planned_age,
        "planned_sex": population.planned_sex or EXAMPLE_ADDITIONS["planned_sex"],
    })
    umbrella = umbrella.model_copy(update={
        "sponsor_organization": umbrella.sponsor_organization
        or SponsorOrganization(**EXAMPLE_ADDITIONS["sponsor_organization"]),
        "objectives": umbrella.objectives or [Objective(**o) for o in EXAMPLE_ADDITIONS["objectives"]],
        "population": population,
    })
    program = loaded.program.model_copy(update={"umbrella": umbrella})
    return dataclasses.replace(loaded, program=program), plan


def golden_study() -> bytes:
    from basket.usdm.serialization import study_json
    from basket.usdm.study_builder import study_of

    return study_json(study_of(*example_with_usdm_facts()))


def write_goldens() -> list[str]:
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_bytes(golden_study())
    return [GOLDEN.name]
