"""Statistics for a platform gene-editing umbrella trial with natural-history controls.

The engine is pure functions on frozen dataclasses (no dependency on the program model):

* :mod:`.exact` -- exact Poisson / negative binomial / conditional binomial
  tests, Garwood and Clopper-Pearson intervals, critical values and exact power.
* :mod:`.hierarchical` -- EX and EXNEX borrowing across baskets, deterministic
  grid integration with exact likelihoods.
* :mod:`.nested` -- two levels: variants within baskets within the platform.
* :mod:`.control` -- the external control's null law (Poisson / gamma-Poisson
  counts, a known or uncertain rate) and the tests against it.
* :mod:`.family_design` -- exact operating characteristics of the prespecified
  analysis (each basket's test, Holm across baskets).
* :mod:`.overdispersion` -- what a source's range says about over-dispersion;
  the standard error of a cohort's rate.
* :mod:`.robustness` -- tipping points and type I error when the control is wrong.
* :mod:`.simulate` -- seeded, vectorised operating characteristics.
* :mod:`.operating_characteristics` -- the design table (basket × scenario) and its CSV.
* :mod:`.plot` -- power against patients per basket (PNG + SVG).
* :mod:`.outcomes_io` -- outcomes / biomarker CSV readers.
* :mod:`.effect_estimates` -- observed effects vs natural history with multiplicity.
* :mod:`.multiplicity` -- Holm and Bonferroni.

Bridge modules bring a program to the engine (and are the only ones that import `basket.program`):

* :mod:`.basket_controls` -- each basket's control from its natural-history measure.
* :mod:`.basket_design` -- each disease basket's natural-history baseline and the program's design.
* :mod:`.program_outcomes` -- `basket analyze`: a program's outcomes CSV against its baselines.

May import: `basket.program`, `basket.foundation` (the bridge modules only). Must not import:
plan, graph, evidence, changes, documents, api, cli.
"""

import importlib

# Where each name of the engine lives. Imported on first use (PEP 562): the bridge modules, which
# `basket validate` and the documents import, need none of scipy or matplotlib, whose import costs a second.
_HOMES = {
    "ExternalControl": "control",
    "control_test": "control",
    "pooled_test": "control",
    "AnalysisResult": "effect_estimates",
    "BiomarkerChange": "effect_estimates",
    "BiomarkerSummary": "effect_estimates",
    "NaturalHistory": "effect_estimates",
    "PatientDose": "effect_estimates",
    "RateComparison": "effect_estimates",
    "WithinPatient": "effect_estimates",
    "analyze_outcomes": "effect_estimates",
    "StatsInputError": "errors",
    "ExactDesign": "exact",
    "Interval": "exact",
    "RateTest": "exact",
    "clopper_pearson_interval": "exact",
    "conditional_design": "exact",
    "conditional_rate_ratio_test": "exact",
    "garwood_interval": "exact",
    "negbin_design": "exact",
    "negbin_test_known_rate": "exact",
    "poisson_design": "exact",
    "poisson_rate_interval": "exact",
    "poisson_test_known_rate": "exact",
    "BasketOC": "family_design",
    "FamilyOC": "family_design",
    "family_oc": "family_design",
    "BasketPosterior": "hierarchical",
    "ExNexPrior": "hierarchical",
    "GridSpec": "hierarchical",
    "HierarchicalResult": "hierarchical",
    "NormalData": "hierarchical",
    "RateData": "hierarchical",
    "ResponseData": "hierarchical",
    "TwoRateData": "hierarchical",
    "fit_exnex": "hierarchical",
    "Multiplicity": "multiplicity",
    "adjust": "multiplicity",
    "NestedResult": "nested",
    "fit_nested": "nested",
    "DesignRow": "operating_characteristics",
    "DesignTable": "operating_characteristics",
    "design_table": "operating_characteristics",
    "design_table_csv": "operating_characteristics",
    "exact_design": "operating_characteristics",
    "BiomarkerRecord": "outcomes_io",
    "OutcomesFormatError": "outcomes_io",
    "PeriodRecord": "outcomes_io",
    "read_biomarkers": "outcomes_io",
    "read_outcomes": "outcomes_io",
    "plot_power": "plot",
    "BayesRule": "simulate",
    "SimulationResult": "simulate",
    "simulate_trials": "simulate",
    "Scenario": "trial",
    "SimBasket": "trial",
}

__all__ = [
    "AnalysisResult",
    "BasketOC",
    "BasketPosterior",
    "BayesRule",
    "BiomarkerChange",
    "BiomarkerRecord",
    "BiomarkerSummary",
    "DesignRow",
    "DesignTable",
    "ExNexPrior",
    "ExactDesign",
    "ExternalControl",
    "FamilyOC",
    "GridSpec",
    "HierarchicalResult",
    "Interval",
    "Multiplicity",
    "NaturalHistory",
    "NestedResult",
    "NormalData",
    "OutcomesFormatError",
    "PatientDose",
    "PeriodRecord",
    "RateComparison",
    "RateData",
    "RateTest",
    "ResponseData",
    "Scenario",
    "SimBasket",
    "SimulationResult",
    "StatsInputError",
    "TwoRateData",
    "WithinPatient",
    "adjust",
    "analyze_outcomes",
    "clopper_pearson_interval",
    "conditional_design",
    "conditional_rate_ratio_test",
    "control_test",
    "design_table",
    "design_table_csv",
    "exact_design",
    "family_oc",
    "fit_exnex",
    "fit_nested",
    "garwood_interval",
    "negbin_design",
    "negbin_test_known_rate",
    "plot_power",
    "poisson_design",
    "poisson_rate_interval",
    "poisson_test_known_rate",
    "pooled_test",
    "read_biomarkers",
    "read_outcomes",
    "simulate_trials",
]


def __getattr__(name: str):
    """The engine's name `name`, its module imported the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # asked again, found without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
