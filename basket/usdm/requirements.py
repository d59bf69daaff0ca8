"""What a USDM v4 study needs that a program may lack.

The export is checked against usdm4's rules library; this module states, before anything is
built, each fact those rules (or the USDM schema) require and the program does not give, as
`file:line: field: message` naming what USDM needs. A program that passes these checks exports to
a study that loads back through usdm4 and passes its rules (tests/usdm checks that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from basket.foundation.problems import Problem
from basket.plan.umbrella_decision import Plan
from basket.program.load import LoadedProgram
from basket.program.model import Disease, Dosing, Visit
from basket.usdm import terminology
from basket.usdm.schedule_timing import ACCEPTED, parse_timing

NCT = re.compile(r"^NCT\d{8}$")


def missing_for_usdm(loaded: LoadedProgram, plan: Plan) -> list[Problem]:
    """Every fact the export needs that the program does not give (empty: the program can be exported)."""
    return sorted(set(_problems(loaded, plan)))


def _problems(loaded: LoadedProgram, plan: Plan) -> Iterator[Problem]:
    program, where = loaded.program, loaded.locator.problem
    umbrella = program.umbrella
    if umbrella.sponsor_organization is None:
        yield where(("umbrella", "sponsor_organization"),
                    "USDM needs the sponsor as an organization with its kind and registered identifier "
                    "(Organization.type, .identifier, .identifierScheme), e.g. {kind: academia, identifier: "
                    "'123456789', scheme: DUNS}")
    for index, registry_id in enumerate(umbrella.registry):
        if not NCT.match(registry_id):
            yield where(("umbrella", "registry", index),
                        f"{registry_id!r}: USDM scopes a registry identifier by its registry; basket knows "
                        "ClinicalTrials.gov numbers (NCT followed by 8 digits)")
    if umbrella.phase is not None:
        yield from _coded(where(("umbrella", "phase"), ""), terminology.phase_term, umbrella.phase)
    if program.platform.dose_form is not None:
        yield from _coded(where(("platform", "dose_form"), ""), terminology.term_for, "AdministrableProduct",
                          "administrableDoseForm", program.platform.dose_form)
    yield from _population_problems(loaded)
    inside = plan.inside
    if not inside:
        yield where(("variants",), "USDM gives each intervention-specific appendix its own study design; no variant "
                                   "is inside the umbrella yet (`basket plan` says why), so there is nothing to export")
    yield from _objective_problems(loaded, plan)
    yield from _schedule_problems(loaded, plan)
    yield from _dosing_problems(loaded, plan)


def _coded(at: Problem, lookup, *arguments: str) -> Iterator[Problem]:
    """A problem at `at` when `lookup(*arguments)` finds no CDISC term."""
    try:
        lookup(*arguments)
    except terminology.UnknownTerm as error:
        yield Problem(at.file, at.line, at.field, str(error))


def _population_problems(loaded: LoadedProgram) -> Iterator[Problem]:
    population, where = loaded.program.umbrella.population, loaded.locator.problem
    if population is None or population.planned_age is None:
        yield where(("umbrella", "population", "planned_age"),
                    "USDM needs the planned age range of the population (StudyDesignPopulation.plannedAge, rule "
                    "DDF00097), e.g. {min: 0, max: 18, unit: years}")
    if population is None or not population.planned_sex:
        yield where(("umbrella", "population", "planned_sex"),
                    "USDM needs the planned sex of the population (StudyDesignPopulation.plannedSex, rule "
                    "DDF00098): [female], [male] or [female, male]")


def _objective_problems(loaded: LoadedProgram, plan: Plan) -> Iterator[Problem]:
    """Each appendix's design needs exactly one primary objective (DDF00084) measured by at least
    one primary endpoint of its disease (DDF00041); a primary endpoint must belong to the primary
    objective (DDF00096)."""
    program, where = loaded.program, loaded.locator.problem
    objectives = program.umbrella.objectives
    primary = [i for i, o in enumerate(objectives) if o.level == "primary"]
    if len(primary) != 1:
        yield where(("umbrella", "objectives"),
                    f"USDM needs exactly one primary objective per study design (rule DDF00084); the umbrella "
                    f"states {len(primary)}")
        return
    diseases = {item.disease for item in plan.inside if item.disease}
    index = {d.id: i for i, d in enumerate(program.diseases)}
    for disease_id in sorted(diseases):
        disease = program.diseases_by_id[disease_id]
        at = ("diseases", index[disease_id], "endpoints")
        kinds = _endpoint_kinds(disease)
        named = [name for name in objectives[primary[0]].endpoints if name in kinds]
        if not any(kinds[name] == "primary" for name in named):
            yield where(at, f"USDM needs a primary endpoint for the primary objective in each appendix of "
                            f"{disease.name} (rule DDF00041): the primary objective names "
                            f"{', '.join(objectives[primary[0]].endpoints) or 'no endpoint'}, none of them a "
                            "primary endpoint of this disease")
        for number, objective in enumerate(objectives):
            stray = [name for name in objective.endpoints if objective.level != "primary" and kinds.get(name) == "primary"]
            if stray:
                yield where(("umbrella", "objectives", number, "endpoints"),
                            f"{', '.join(stray)} is a primary endpoint of {disease.name}; USDM requires every primary "
                            f"endpoint to belong to the primary objective (rule DDF00096), not to a {objective.level} one")


def _endpoint_kinds(disease: Disease) -> dict[str, str]:
    return {endpoint.name: endpoint.kind for endpoint in disease.endpoints}


def _schedule_problems(loaded: LoadedProgram, plan: Plan) -> Iterator[Problem]:
    program = loaded.program
    yield from _visit_problems(loaded, ("umbrella", "schedule"), program.umbrella.schedule)
    index = {v.id: i for i, v in enumerate(program.variants)}
    for item in plan.inside:
        variant = program.variants_by_id[item.variant]
        if variant.schedule:
            yield from _visit_problems(loaded, ("variants", index[variant.id], "schedule"), variant.schedule)


def _visit_problems(loaded: LoadedProgram, at: tuple, visits: list[Visit]) -> Iterator[Problem]:
    for number, visit in enumerate(visits):
        if parse_timing(visit.timing) is None:
            yield loaded.locator.problem(at + (number, "timing"),
                                         f"{visit.timing!r}: USDM places a visit by its time from an anchor; "
                                         f"write it as {ACCEPTED}")


def _dosing_problems(loaded: LoadedProgram, plan: Plan) -> Iterator[Problem]:
    program = loaded.program
    yield from _dose_step_problems(loaded, ("umbrella", "dosing", "steps"), program.umbrella.dosing)
    index = {v.id: i for i, v in enumerate(program.variants)}
    for item in plan.inside:
        variant = program.variants_by_id[item.variant]
        if variant.dosing is not None:
            yield from _dose_step_problems(loaded, ("variants", index[variant.id], "dosing", "steps"), variant.dosing)


def _dose_step_problems(loaded: LoadedProgram, at: tuple, dosing: Dosing | None) -> Iterator[Problem]:
    where = loaded.locator.problem
    for number, step in enumerate(dosing.steps if dosing else []):
        here = at + (number,)
        if step.timing is not None and parse_timing(step.timing) is None:
            yield where(here + ("timing",), f"{step.timing!r}: USDM places an administration by its time from an "
                                            f"anchor; write it as {ACCEPTED}")
        if step.dose is None:
            continue
        if step.unit is None:
            yield where(here + ("unit",), "USDM needs the unit of a dose (Administration.dose, a CDISC unit term "
                                          "such as mg/kg)")
        else:
            yield from _coded(where(here + ("unit",), ""), terminology.term_for, "Quantity", "unit", step.unit)
        if step.route is None:
            yield where(here + ("route",), "USDM needs the route of a dose (rule DDF00177), a CDISC route term such "
                                           "as INTRAVENOUS")
        else:
            yield from _coded(where(here + ("route",), ""), terminology.term_for, "Administration", "route",
                              step.route)
        if loaded.program.platform.dose_form is None:
            yield where(("platform", "dose_form"),
                        "USDM needs the dose form of the administered product when a dose is given (rule DDF00185: "
                        "a dose needs its administrable product), a CDISC dosage form such as 'INJECTION, SUSPENSION'")

