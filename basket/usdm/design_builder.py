"""One USDM InterventionalStudyDesign per intervention-specific appendix.

Names of objects inside a design start with the variant id ("CPS1-Q335X: Screening"): usdm4 checks
that names are unique per class across the whole study (rule DDF00010), labels keep the plain name.

Each design is a single-group trial of one study intervention (the platform product in the
variant's version): its population and eligibility (the master protocol's criteria plus the
variant's own), its objectives with the endpoints its disease defines, and its schedule — the
appendix's visits (the variant's own, else the umbrella's) on a timeline anchored at the first
dose, with the product's administration as an activity.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from usdm4.api.activity import Activity
from usdm4.api.biomedical_concept_surrogate import BiomedicalConceptSurrogate
from usdm4.api.duration import Duration
from usdm4.api.eligibility_criterion import EligibilityCriterion
from usdm4.api.encounter import Encounter
from usdm4.api.endpoint import Endpoint
from usdm4.api.indication import Indication
from usdm4.api.objective import Objective
from usdm4.api.population_definition import StudyDesignPopulation
from usdm4.api.procedure import Procedure
from usdm4.api.quantity_range import Quantity, Range
from usdm4.api.schedule_timeline import ScheduleTimeline
from usdm4.api.schedule_timeline_exit import ScheduleTimelineExit
from usdm4.api.scheduled_instance import ScheduledActivityInstance
from usdm4.api.study_arm import StudyArm
from usdm4.api.study_cell import StudyCell
from usdm4.api.study_design import InterventionalStudyDesign
from usdm4.api.study_element import StudyElement
from usdm4.api.study_epoch import StudyEpoch
from usdm4.api.timing import Timing

from basket.plan.umbrella_decision import VariantPlan
from basket.program.appendix_content import LTFU_GUIDANCE, LTFU_GUIDANCE_YEARS, appendix_dosing, appendix_schedule
from basket.program.model import Disease, Program
from basket.usdm import terminology as ct
from basket.usdm.objects import Objects, key_of, xhtml
from basket.usdm.schedule_timing import TimePoint, parse_timing

OBJECTIVE_LEVEL = {"primary": "primary", "secondary": "secondary", "exploratory": "exploratory",
                   "safety": "secondary"}  # safety objectives are listed with the secondary ones (M11 3.2)
ENDPOINT_LEVEL = OBJECTIVE_LEVEL
FIRST_DOSE = TimePoint("Day 1", "P0D", False, 0.0)


@dataclass
class Surrogates:
    """Assessments named in schedules, each once for the whole study (the version holds them)."""

    make: Objects
    by_name: dict[str, BiomedicalConceptSurrogate] = field(default_factory=dict)

    def id_of(self, assessment: str) -> str:
        if assessment not in self.by_name:
            self.by_name[assessment] = BiomedicalConceptSurrogate(
                id=self.make.id("BiomedicalConceptSurrogate", key_of(assessment)), name=assessment,
                description=f"Assessment named in the schedule of assessments: {assessment}")
        return self.by_name[assessment].id


@dataclass(frozen=True)
class DesignParts:
    program: Program
    item: VariantPlan
    intervention_id: str
    intervention_name: str
    document_version_id: str
    inclusion: list[tuple[str, str]]  # (criterion item id, its name) in protocol order
    exclusion: list[tuple[str, str]]
    surrogates: Surrogates


def study_design(make: Objects, parts: DesignParts) -> InterventionalStudyDesign:
    program, key = parts.program, parts.item.variant
    variant = program.variants_by_id[key]
    disease = program.diseases_by_id[parts.item.disease]
    design_id = make.id("StudyDesign", key)
    population, criteria = _population(make, parts, disease)
    epochs, encounters, activities, timeline = _schedule(make, parts)
    arm_id = make.id("StudyArm", key)
    element = StudyElement(id=make.id("StudyElement", key), name=f"{parts.intervention_name} administration",
                           studyInterventionIds=[parts.intervention_id])
    return InterventionalStudyDesign(
        id=design_id,
        name=f"ISA {key}",
        label=f"Intervention-specific appendix {key}",
        description=f"{variant.gene} {variant.hgvs_c}" + (f" ({variant.hgvs_p})" if variant.hgvs_p else "")
                    + f" in {disease.name}",
        studyType=make.code(design_id, "studyType", ct.INTERVENTIONAL),
        studyPhase=(make.alias(design_id, "studyPhase", ct.phase_term(program.umbrella.phase))
                    if program.umbrella.phase else None),
        model=make.code(design_id, "model", ct.SINGLE_GROUP),
        rationale=program.umbrella.design or "",
        arms=[StudyArm(id=arm_id, name=f"{parts.intervention_name}", label=parts.intervention_name,
                       description=f"Participants carrying {variant.hgvs_c} receive {parts.intervention_name}",
                       type=make.code(arm_id, "type", ct.INVESTIGATIONAL_ARM),
                       dataOriginDescription="Data collected from this appendix's participants",
                       dataOriginType=make.code(arm_id, "dataOriginType", ct.DATA_WITHIN_STUDY),
                       populationIds=[population.id])],
        epochs=list(epochs.values()),
        studyCells=[StudyCell(id=make.id("StudyCell", key, name), armId=arm_id, epochId=epoch.id,
                              elementIds=[element.id] if name == "treatment" else [])
                    for name, epoch in epochs.items()],
        elements=[element],
        indications=[Indication(id=make.id("Indication", key), name=f"{key}: {disease.name}", label=disease.name,
                                description=", ".join([disease.id, *disease.xrefs]), isRareDisease=True,
                                notes=make.source_notes(f"Indication_{key}", disease.source))],
        studyInterventionIds=[parts.intervention_id],
        objectives=_objectives(make, program, key, disease),
        population=population,
        eligibilityCriteria=criteria,
        encounters=encounters,
        activities=activities,
        scheduleTimelines=[timeline],
        documentVersionIds=[parts.document_version_id],
        notes=make.source_notes(design_id, variant.source),
    )


# ---------------------------------------------------------------------------------------------
# Population and eligibility


def _population(make: Objects, parts: DesignParts, disease: Disease):
    key, population = parts.item.variant, parts.program.umbrella.population
    assert population is not None and population.planned_age is not None, "checked by requirements.missing_for_usdm"
    criteria: list[EligibilityCriterion] = []
    numbered = [(ct.INCLUSION, f"IN{n}", item) for n, item in enumerate(parts.inclusion, start=1)]
    numbered += [(ct.EXCLUSION, f"EX{n}", item) for n, item in enumerate(parts.exclusion, start=1)]
    for category, number, (item_id, item_name) in numbered:
        criterion_id = make.id("EligibilityCriterion", key, number)
        criteria.append(EligibilityCriterion(id=criterion_id, name=f"{key}: {number}", label=item_name, identifier=number,
                                             category=make.code(criterion_id, "category", category),
                                             criterionItemId=item_id))
    _chain(criteria)
    population_id = make.id("StudyDesignPopulation", key)
    age = population.planned_age
    unit = ct.AGE_UNITS[age.unit]
    return StudyDesignPopulation(
        id=population_id, name=f"Population {key}", label=f"Participants with {disease.name}",
        description=population.description,
        includesHealthySubjects=False,
        plannedAge=Range(id=make.id("Range", population_id, "age"),
                         minValue=Quantity(id=make.id("Quantity", population_id, "age_min"), value=age.min,
                                           unit=make.alias(population_id, "age_min_unit", unit)),
                         maxValue=Quantity(id=make.id("Quantity", population_id, "age_max"), value=age.max,
                                           unit=make.alias(population_id, "age_max_unit", unit)),
                         isApproximate=False),
        plannedSex=[make.code(population_id, f"sex_{sex}", ct.SEX[sex]) for sex in population.planned_sex],
        criterionIds=[c.id for c in criteria],
        notes=make.source_notes(population_id, population.source),
    ), criteria


# ---------------------------------------------------------------------------------------------
# Objectives and endpoints


def _objectives(make: Objects, program: Program, key: str, disease: Disease) -> list[Objective]:
    defined = {endpoint.name: endpoint for endpoint in disease.endpoints}
    objectives = []
    for number, objective in enumerate(program.umbrella.objectives, start=1):
        objective_id = make.id("Objective", key, number)
        endpoints = []
        for index, name in enumerate(dict.fromkeys(n for n in objective.endpoints if n in defined), start=1):
            endpoint, endpoint_id = defined[name], make.id("Endpoint", key, number, index)
            endpoints.append(Endpoint(
                id=endpoint_id, name=f"{key}: {name}", label=name, description=f"{name} ({disease.name})",
                text=xhtml(endpoint.definition), purpose="Safety" if endpoint.kind == "safety" else "",
                level=make.code(endpoint_id, "level", ct.ENDPOINT_LEVELS[ENDPOINT_LEVEL[endpoint.kind]]),
                notes=make.source_notes(endpoint_id, disease.source)))
        objectives.append(Objective(
            id=objective_id, name=f"{key}: objective {number}", label=f"{objective.level.capitalize()} objective",
            text=xhtml(objective.text),
            level=make.code(objective_id, "level", ct.OBJECTIVE_LEVELS[OBJECTIVE_LEVEL[objective.level]]),
            endpoints=endpoints, notes=make.source_notes(objective_id, objective.source)))
    return objectives


# ---------------------------------------------------------------------------------------------
# Schedule: visits and administrations on one timeline anchored at the first dose (Day 1)


@dataclass
class _Point:
    name: str
    time: TimePoint
    assessments: list[str] = field(default_factory=list)
    administered: bool = False
    visit_source: str | None = None
    is_visit: bool = False


def _points(parts: DesignParts) -> list[_Point]:
    program, variant = parts.program, parts.program.variants_by_id[parts.item.variant]
    points = [_Point(v.name, parse_timing(v.timing), list(v.assessments), visit_source=v.source, is_visit=True)
              for v in appendix_schedule(variant, program.umbrella)]
    dosing = appendix_dosing(variant, program.umbrella.dosing)
    for step in dosing.steps if dosing else []:
        time = parse_timing(step.timing) if step.timing else None
        if time is None:
            continue
        same = next((p for p in points if p.time.duration == time.duration and p.time.before == time.before), None)
        if same is None:
            points.append(_Point(step.label, time, administered=True))
        else:
            same.administered = True
    anchor = next((p for p in points if p.time.is_anchor), None)
    if anchor is None:
        first = dosing.steps[0].label if dosing and dosing.steps else f"Administration of {parts.intervention_name}"
        points.append(_Point(first, FIRST_DOSE))
        anchor = points[-1]
    anchor.administered = True  # Day 1 is the day of the first dose
    points.sort(key=lambda p: p.time.sort_key)
    _unique_names(points)
    return points


def _unique_names(points: list[_Point]) -> None:
    seen: dict[str, int] = {}
    for point in points:
        seen[point.name] = seen.get(point.name, 0) + 1
        if seen[point.name] > 1:
            point.name = f"{point.name} ({seen[point.name]})"


def _schedule(make: Objects, parts: DesignParts):
    key = parts.item.variant
    points = _points(parts)
    epochs = _epochs(make, key, points)
    administration = Activity(
        id=make.id("Activity", key, "administration"), name=f"Administration of {parts.intervention_name}",
        definedProcedures=[Procedure(id=make.id("Procedure", key, "administration"), name=f"{key}: study product administration",
                                     procedureType="Study product administration",
                                     code=make.code(f"Procedure_{key}_administration", "code",
                                                    ct.STUDY_PRODUCT_ADMINISTRATION),
                                     studyInterventionId=parts.intervention_id)])
    activities = [administration]
    by_assessment: dict[str, Activity] = {}
    for point in points:
        for assessment in point.assessments:
            if assessment not in by_assessment:
                by_assessment[assessment] = Activity(id=make.id("Activity", key, key_of(assessment)),
                                                     name=f"{key}: {assessment}", label=assessment,
                                                     bcSurrogateIds=[parts.surrogates.id_of(assessment)])
                activities.append(by_assessment[assessment])
    _chain(activities)
    encounters: list[Encounter] = []
    instances: list[ScheduledActivityInstance] = []
    for point in points:
        encounter_id = None
        if point.is_visit:
            encounter_id = make.id("Encounter", key, key_of(point.name))
            encounters.append(Encounter(id=encounter_id, name=f"{key}: {point.name}", label=point.name,
                                        type=make.code(encounter_id, "type", ct.VISIT),
                                        notes=make.source_notes(encounter_id, point.visit_source)))
        activity_ids = ([administration.id] if point.administered else []) + [
            by_assessment[a].id for a in dict.fromkeys(point.assessments)]
        instances.append(ScheduledActivityInstance(
            id=make.id("ScheduledActivityInstance", key, key_of(point.name)), name=f"{key}: {point.name}",
            label=point.name,
            activityIds=activity_ids, encounterId=encounter_id,
            epochId=epochs[_epoch_of(point)].id))
    _chain(encounters)
    timeline = _timeline(make, parts, points, instances)
    return epochs, encounters, activities, timeline


def _epoch_of(point: _Point) -> str:
    return "screening" if point.time.before else "treatment"


def _epochs(make: Objects, key: str, points: list[_Point]) -> dict[str, StudyEpoch]:
    epochs: dict[str, StudyEpoch] = {}
    for name, concept, label in (("screening", ct.SCREENING_EPOCH, "Before the first dose"),
                                 ("treatment", ct.TREATMENT_EPOCH, "From the first dose")):
        if any(_epoch_of(p) == name for p in points):
            epoch_id = make.id("StudyEpoch", key, name)
            epochs[name] = StudyEpoch(id=epoch_id, name=f"{key}: {name}", label=label,
                                      type=make.code(epoch_id, "type", concept))
    _chain(list(epochs.values()))
    return epochs


def _timeline(make: Objects, parts: DesignParts, points: list[_Point], instances: list[ScheduledActivityInstance]):
    key = parts.item.variant
    timeline_id = make.id("ScheduleTimeline", key)
    exit_ = ScheduleTimelineExit(id=make.id("ScheduleTimelineExit", key))
    for instance, following in itertools.pairwise(instances):
        instance.defaultConditionId = following.id  # the flow from one instance to the next
    instances[-1].timelineExitId = exit_.id
    anchor = next(i for i, p in zip(instances, points, strict=True) if p.time.is_anchor)
    timings = []
    for instance, point in zip(instances, points, strict=True):
        timing_id = make.id("Timing", key, key_of(point.name))
        fixed = instance is anchor
        timings.append(Timing(
            id=timing_id, name=f"{key}: {point.name} timing", label=point.time.label,
            type=make.code(timing_id, "type", ct.submission_term(ct.FIXED_REFERENCE if fixed else ct.BEFORE
                                                                 if point.time.before else ct.AFTER)),
            value=point.time.duration, valueLabel=point.time.label,
            relativeToFrom=make.code(timing_id, "relativeToFrom", ct.START_TO_START),
            relativeFromScheduledInstanceId=instance.id,
            relativeToScheduledInstanceId=anchor.id))  # the anchor's own timing points at itself
    safety = parts.program.umbrella.safety
    years = (safety.follow_up_years if safety else None) or LTFU_GUIDANCE_YEARS
    years_source = (safety.follow_up_source if safety and safety.follow_up_years else None) or LTFU_GUIDANCE
    duration_id = make.id("Duration", timeline_id)
    return ScheduleTimeline(
        id=timeline_id, name=f"Schedule {key}", label=f"Schedule of assessments, {key}",
        description="Visits and administrations from the intervention-specific appendix, timed from the first "
                    "dose (Day 1)",
        mainTimeline=True, entryCondition="Eligible under this appendix and enrolled", entryId=instances[0].id,
        exits=[exit_], timings=timings, instances=instances,
        plannedDuration=Duration(id=duration_id, text=f"{years} years of follow-up after dosing ({years_source})",
                                 quantity=Quantity(id=make.id("Quantity", duration_id), value=years,
                                                   unit=make.alias(duration_id, "unit", ct.YEAR)),
                                 durationWillVary=False))


def _chain(items: list) -> None:
    """USDM orders siblings by previousId / nextId."""
    for before, after in itertools.pairwise(items):
        before.nextId, after.previousId = after.id, before.id
