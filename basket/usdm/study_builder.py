"""Program + plan -> a usdm4 `Wrapper` holding the umbrella as one USDM v4 Study.

The mapping (reasons in docs/decisions.md, "USDM export"):
- the master protocol is the study version: titles, identifiers (sponsor, IND, registry), the
  sponsor organization and role, the eligibility criterion texts, the interventions;
- each intervention-specific appendix (a variant inside the umbrella) is its own
  InterventionalStudyDesign, described by its own document, a child of the master protocol's;
- the platform product in its variant-specific version is one study intervention per appendix,
  administered as one product whose ingredients are the shared components and the variant's gRNA.
"""

from __future__ import annotations

import uuid

from usdm4.__info__ import __model_version__
from usdm4.api.administrable_product import AdministrableProduct
from usdm4.api.administration import Administration
from usdm4.api.duration import Duration
from usdm4.api.eligibility_criterion import EligibilityCriterionItem
from usdm4.api.geographic_scope import GeographicScope
from usdm4.api.governance_date import GovernanceDate
from usdm4.api.identifier import StudyIdentifier
from usdm4.api.ingredient import Ingredient
from usdm4.api.organization import Organization
from usdm4.api.quantity_range import Quantity
from usdm4.api.study import Study
from usdm4.api.study_definition_document import StudyDefinitionDocument
from usdm4.api.study_definition_document_version import StudyDefinitionDocumentVersion
from usdm4.api.study_intervention import StudyIntervention
from usdm4.api.study_role import StudyRole
from usdm4.api.study_title import StudyTitle
from usdm4.api.study_version import StudyVersion
from usdm4.api.substance import Substance
from usdm4.api.wrapper import Wrapper

from basket.plan.umbrella_decision import Plan, VariantPlan
from basket.program.appendix_content import appendix_dosing
from basket.program.load import LoadedProgram
from basket.program.model import Component, DoseStep, Program, Statement, Variant
from basket.usdm import terminology as ct
from basket.usdm.design_builder import DesignParts, Surrogates, study_design
from basket.usdm.objects import Objects, xhtml

SYSTEM_NAME = "basket"
ORGANIZATION_KINDS = {"academia": ct.ACADEMIA, "company": ct.DRUG_COMPANY, "government": "C199144",
                      "healthcare": "C21541", "contract research": "C54148"}
# Organizations that issue the identifiers basket exports, as the CDISC USDM examples name them.
FDA = ("FDA", "Food and Drug Administration", "FDA", "USGOV", ct.REGULATORY_AGENCY)
CT_GOV = ("CT-GOV", "ClinicalTrials.gov", "CT-GOV", "USGOV", ct.STUDY_REGISTRY)
DOCUMENT_FORMATS = "md, html, pdf, docx"
# What each kind of platform component is in the administered product.
INGREDIENT_ROLE = {"mRNA": ct.ACTIVE_INGREDIENT, "gRNA": ct.ACTIVE_INGREDIENT, "protein": ct.ACTIVE_INGREDIENT,
                   "vector": ct.ACTIVE_INGREDIENT, "LNP": ct.EXCIPIENT}
# A document's approval is not in the program; an appendix's status follows its variant's workflow.
APPENDIX_STATUS = {"proposed": ct.DRAFT, "assessed": ct.DRAFT, "appendix_drafted": ct.DRAFT,
                   "submitted": ct.PENDING_REVIEW, "cleared": ct.FINAL, "dosed": ct.FINAL, "follow_up": ct.FINAL}


def study_of(loaded: LoadedProgram, plan: Plan) -> Wrapper:
    """The umbrella as a USDM v4 study. The program must pass `requirements.missing_for_usdm`."""
    program = loaded.program
    make = Objects()
    version_id = make.id("StudyVersion", 1)
    master_doc = _master_document(make, program)
    appendices = [_appendix_document(make, program, item) for item in plan.inside]
    master_doc.childIds = [doc.id for doc in appendices]
    criteria = _criterion_items(make, program, plan)
    interventions = [_intervention(make, program, item) for item in plan.inside]
    products = [_product(make, program, item) for item in plan.inside] if program.platform.dose_form else []
    surrogates = Surrogates(make)
    designs = [
        study_design(make, DesignParts(program, item, intervention.id, intervention.name, doc.versions[0].id,
                                       criteria.master["inclusion"] + criteria.variant[item.variant],
                                       criteria.master["exclusion"], surrogates))
        for item, intervention, doc in zip(plan.inside, interventions, appendices, strict=True)
    ]
    organizations, identifiers, roles = _identification(make, program, version_id)
    version = StudyVersion(
        id=version_id,
        versionIdentifier=program.umbrella.protocol_version,
        rationale=program.umbrella.purpose or "",
        documentVersionIds=[master_doc.versions[0].id],
        studyIdentifiers=identifiers,
        titles=_titles(make, program),
        studyDesigns=designs,
        eligibilityCriterionItems=criteria.items,
        roles=roles,
        organizations=organizations,
        studyInterventions=interventions,
        administrableProducts=products,
        bcSurrogates=list(surrogates.by_name.values()),
        notes=make.source_notes(version_id, program.umbrella.source),
    )
    study = Study(
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"basket:umbrella:{program.umbrella.id}"),
        name=program.umbrella.id,
        label=program.umbrella.short_title,
        description=program.umbrella.title,
        versions=[version],
        documentedBy=[master_doc, *appendices],
    )
    return Wrapper(study=study, usdmVersion=__model_version__, systemName=SYSTEM_NAME, systemVersion=_basket_version())


def _basket_version() -> str:
    from importlib.metadata import version

    return version("basket")


# ---------------------------------------------------------------------------------------------
# Identification: titles, organizations, identifiers, the sponsor role


def _titles(make: Objects, program: Program) -> list[StudyTitle]:
    umbrella = program.umbrella
    titles = [StudyTitle(id=make.id("StudyTitle", "official"), text=umbrella.title,
                         type=make.code("StudyTitle_official", "type", ct.OFFICIAL_TITLE))]
    if umbrella.short_title:
        titles.append(StudyTitle(id=make.id("StudyTitle", "brief"), text=umbrella.short_title,
                                 type=make.code("StudyTitle_brief", "type", ct.BRIEF_TITLE)))
    return titles


def _identification(make: Objects, program: Program, version_id: str):
    umbrella = program.umbrella
    sponsor = umbrella.sponsor_organization
    assert sponsor is not None, "checked by requirements.missing_for_usdm"
    sponsor_id = make.id("Organization", "sponsor")
    organizations = [Organization(id=sponsor_id, name=umbrella.sponsor, label=umbrella.sponsor,
                                  type=make.code(sponsor_id, "type", ORGANIZATION_KINDS[sponsor.kind]),
                                  identifier=sponsor.identifier, identifierScheme=sponsor.scheme)]
    identifiers = [StudyIdentifier(id=make.id("StudyIdentifier", "sponsor"), text=umbrella.id, scopeId=sponsor_id)]
    issuers: dict[str, str] = {}  # issuing organization's name -> its id, each made once
    for key, text in (("ind", umbrella.ind), *((f"registry_{i}", r) for i, r in enumerate(umbrella.registry, 1))):
        if text is None:
            continue
        name, label, identifier, scheme, kind = FDA if key == "ind" else CT_GOV
        if name not in issuers:
            issuers[name] = org_id = make.id("Organization", name)
            organizations.append(Organization(id=org_id, name=name, label=label, type=make.code(org_id, "type", kind),
                                              identifier=identifier, identifierScheme=scheme))
        identifiers.append(StudyIdentifier(id=make.id("StudyIdentifier", key), text=text, scopeId=issuers[name]))
    role_id = make.id("StudyRole", "sponsor")
    roles = [StudyRole(id=role_id, name="Sponsor", code=make.code(role_id, "code", ct.SPONSOR_ROLE),
                       appliesToIds=[version_id], organizationIds=[sponsor_id],
                       notes=make.source_notes(role_id, sponsor.source))]
    return organizations, identifiers, roles


# ---------------------------------------------------------------------------------------------
# Documents: the master protocol and one intervention-specific appendix per variant inside


def _master_document(make: Objects, program: Program) -> StudyDefinitionDocument:
    umbrella = program.umbrella
    doc_id = make.id("StudyDefinitionDocument", "overview")
    return StudyDefinitionDocument(
        id=doc_id, name="overview", label="Master protocol",
        description=f"ICH M11 master protocol, rendered by `basket render` as overview.{{{DOCUMENT_FORMATS}}}",
        language=_english(make, doc_id), type=make.code(doc_id, "type", ct.PROTOCOL_DOCUMENT),
        templateName="ICH M11",
        versions=[_document_version(make, "overview", umbrella.protocol_version, ct.DRAFT, program)],
    )


def _appendix_document(make: Objects, program: Program, item: VariantPlan) -> StudyDefinitionDocument:
    key = f"appendix_{item.variant}"
    doc_id = make.id("StudyDefinitionDocument", key)
    return StudyDefinitionDocument(
        id=doc_id, name=f"appendices/{item.variant}", label=f"Intervention-specific appendix {item.variant}",
        description=(f"Intervention-specific appendix for {item.variant}, rendered by `basket render` as "
                     f"appendices/{item.variant}.{{{DOCUMENT_FORMATS}}}"),
        language=_english(make, doc_id), type=make.code(doc_id, "type", ct.PROTOCOL_DOCUMENT),
        templateName="Intervention Specific Appendix",
        versions=[_document_version(make, key, program.umbrella.protocol_version, APPENDIX_STATUS[item.status],
                                    program)],
    )


def _english(make: Objects, owner: str):
    return make.code(owner, "language", ct.Term("en", "English", "2007", "ISO 639-1"))


def _document_version(make: Objects, key: str, version: str, status: str, program: Program):
    version_id = make.id("StudyDefinitionDocumentVersion", key)
    dates = []
    if program.umbrella.protocol_date is not None:
        date_id = make.id("GovernanceDate", key)
        dates.append(GovernanceDate(
            id=date_id, name=f"{key} issued", type=make.code(date_id, "type", ct.ISSUED_DATE),
            dateValue=program.umbrella.protocol_date,
            geographicScopes=[GeographicScope(id=make.id("GeographicScope", key),
                                              type=make.code(f"GeographicScope_{key}", "type", ct.GLOBAL_SCOPE))]))
    return StudyDefinitionDocumentVersion(id=version_id, version=version,
                                          status=make.code(version_id, "status", status), dateValues=dates)


# ---------------------------------------------------------------------------------------------
# Interventions and products


def _intervention(make: Objects, program: Program, item: VariantPlan) -> StudyIntervention:
    platform, variant = program.platform, program.variants_by_id[item.variant]
    intervention_id = make.id("StudyIntervention", item.variant)
    dosing = appendix_dosing(variant, program.umbrella.dosing)
    return StudyIntervention(
        id=intervention_id,
        name=f"{platform.name} {item.variant}",
        label=f"{platform.name}, {item.variant} version",
        description=(f"{platform.name} ({platform.modality}; {platform.delivery}) with the guide RNA for "
                     f"{variant.hgvs_c}: {_components_text(program, item)}"),
        role=make.code(intervention_id, "role", ct.PROTOCOL_AGENT),
        type=make.code(intervention_id, "type", ct.GENE_THERAPY),
        administrations=[_administration(make, program, item, number, step)
                         for number, step in enumerate(dosing.steps if dosing else [], start=1)],
        notes=make.source_notes(intervention_id, platform.source, variant.grna.source if variant.grna else None,
                                dosing.source if dosing else None),
    )


def _components_text(program: Program, item: VariantPlan) -> str:
    variant = program.variants_by_id[item.variant]
    parts = []
    for component in program.platform.components:
        if component.shared:
            parts.append(f"{component.name} ({component.kind}, shared)")
        else:
            parts.append(f"{_grna_name(component, variant, item)} ({component.kind}, for this variant)")
    return "; ".join(parts)


def _grna_name(component: Component, variant: Variant, item: VariantPlan) -> str:
    """The variant's guide: as the program fixes it (`grna`), else the best guide basket designed."""
    grna = variant.grna
    name = grna.name if grna and grna.name else f"{component.name} for {variant.id}"
    if grna and grna.protospacer:
        return f"{name}, protospacer {grna.protospacer}"
    if item.guide:
        guide = item.guide
        return f"{name}, designed protospacer {guide['protospacer']} (PAM {guide['pam']}, {guide['strand']} strand)"
    return name


def _administration(make: Objects, program: Program, item: VariantPlan, number: int, step: DoseStep):
    admin_id = make.id("Administration", item.variant, number)
    fields = {}
    if step.dose is not None:
        fields = {
            "dose": Quantity(id=make.id("Quantity", admin_id, "dose"), value=step.dose,
                             unit=make.alias(admin_id, "dose_unit", ct.term_for("Quantity", "unit", step.unit))),
            "route": make.alias(admin_id, "route", ct.term_for("Administration", "route", step.route)),
            "frequency": make.alias(admin_id, "frequency", ct.ONCE),
            "administrableProductId": f"AdministrableProduct_{item.variant}",
        }
    elif step.route is not None:
        fields = {"route": make.alias(admin_id, "route", ct.term_for("Administration", "route", step.route))}
    described = ", ".join(x for x in (step.timing, step.route) if x)
    return Administration(
        id=admin_id, name=f"{item.variant}: {step.label}", label=step.label,
        description=f"{step.label}" + (f" ({described})" if described else ""),
        # USDM: a duration is a quantity, or "will vary" with the reason; the program gives no infusion time
        duration=Duration(id=make.id("Duration", admin_id), text="One administration; its duration is not stated",
                          durationWillVary=True,
                          reasonDurationWillVary="The program states no duration for this administration"),
        notes=make.source_notes(admin_id, step.source),
        **fields,
    )


def _product(make: Objects, program: Program, item: VariantPlan) -> AdministrableProduct:
    platform, variant = program.platform, program.variants_by_id[item.variant]
    product_id = make.id("AdministrableProduct", item.variant)
    ingredients = []
    for component in platform.components:
        if component.kind not in INGREDIENT_ROLE:
            continue  # an "other" component: the product's description names it, no role can be stated
        key = f"{item.variant}_{component.id}"
        name = component.name if component.shared else _grna_name(component, variant, item)
        substance_notes_source = component.source if component.shared else (variant.grna.source if variant.grna else None)
        ingredients.append(Ingredient(
            id=make.id("Ingredient", key),
            role=make.code(f"Ingredient_{key}", "role", INGREDIENT_ROLE[component.kind]),
            substance=Substance(id=make.id("Substance", key), name=f"{item.variant}: {name}", label=name,
                                description=component.description if component.shared else
                                f"{component.name} for {variant.hgvs_c}"
                                + (f" ({substance_notes_source})" if substance_notes_source else "")),
        ))
    return AdministrableProduct(
        id=product_id, name=f"{platform.name} {item.variant}", label=f"{platform.name}, {item.variant} version",
        description=f"{platform.name} for {variant.hgvs_c}: the shared components with this variant's guide RNA",
        administrableDoseForm=make.alias(product_id, "doseForm",
                                         ct.term_for("AdministrableProduct", "administrableDoseForm", platform.dose_form)),
        productDesignation=make.code(product_id, "designation", ct.INVESTIGATIONAL_PRODUCT),
        ingredients=ingredients,
        notes=make.source_notes(product_id, platform.source),
    )


# ---------------------------------------------------------------------------------------------
# Eligibility criterion texts (the study version holds them; each design refers to them)


class CriterionItems:
    def __init__(self) -> None:
        self.items: list[EligibilityCriterionItem] = []
        # (item id, item name) in protocol order: the master protocol's per category, each variant's own
        self.master: dict[str, list[tuple[str, str]]] = {"inclusion": [], "exclusion": []}
        self.variant: dict[str, list[tuple[str, str]]] = {}


def _criterion_items(make: Objects, program: Program, plan: Plan) -> CriterionItems:
    criteria = CriterionItems()
    population = program.umbrella.population
    for category, prefix in (("inclusion", "IN"), ("exclusion", "EX")):
        statements: list[Statement] = getattr(population, category) if population else []
        for number, statement in enumerate(statements, start=1):
            criteria.master[category].append(_item(make, criteria, f"{prefix}{number}", statement.text,
                                                   statement.source))
    for item in plan.inside:
        variant = program.variants_by_id[item.variant]
        genotype = (f"At least one {variant.gene} allele {variant.hgvs_c}"
                    + (f" ({variant.hgvs_p})" if variant.hgvs_p else ""))
        ids = [_item(make, criteria, f"{item.variant}_GENOTYPE", genotype, variant.source)]
        ids += [_item(make, criteria, f"{item.variant}_IN{n}", s.text, s.source)
                for n, s in enumerate(variant.eligibility, start=1)]
        criteria.variant[item.variant] = ids
    return criteria


def _item(make: Objects, criteria: CriterionItems, key: str, text: str, source: str | None) -> tuple[str, str]:
    item_id = make.id("EligibilityCriterionItem", key)
    criteria.items.append(EligibilityCriterionItem(id=item_id, name=key, text=xhtml(text),
                                                   notes=make.source_notes(item_id, source)))
    return item_id, key


