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

from .control import ExternalControl, control_test, pooled_test
from .effect_estimates import (
    AnalysisResult,
    BiomarkerChange,
    BiomarkerSummary,
    NaturalHistory,
    PatientDose,
    RateComparison,
    WithinPatient,
    analyze_outcomes,
)
from .errors import StatsInputError
from .exact import (
    ExactDesign,
    Interval,
    RateTest,
    clopper_pearson_interval,
    conditional_design,
    conditional_rate_ratio_test,
    garwood_interval,
    negbin_design,
    negbin_test_known_rate,
    poisson_design,
    poisson_rate_interval,
    poisson_test_known_rate,
)
from .family_design import BasketOC, FamilyOC, family_oc
from .hierarchical import (
    BasketPosterior,
    ExNexPrior,
    GridSpec,
    HierarchicalResult,
    NormalData,
    RateData,
    ResponseData,
    TwoRateData,
    fit_exnex,
)
from .multiplicity import Multiplicity, adjust
from .nested import NestedResult, fit_nested
from .operating_characteristics import DesignRow, DesignTable, design_table, design_table_csv, exact_design
from .outcomes_io import (
    BiomarkerRecord,
    OutcomesFormatError,
    PeriodRecord,
    read_biomarkers,
    read_outcomes,
)
from .simulate import BayesRule, SimulationResult, simulate_trials
from .trial import Scenario, SimBasket

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
    """Import matplotlib only when the plot is asked for."""
    if name == "plot_power":
        from .plot import plot_power

        return plot_power
    raise AttributeError(name)
