"""Analysis of observed outcomes against natural history."""

import math

import numpy as np
import pytest
from scipy import stats

from basket.stats import (
    BiomarkerRecord,
    NaturalHistory,
    PeriodRecord,
    StatsInputError,
    adjust,
    analyze_outcomes,
    conditional_rate_ratio_test,
    negbin_test_known_rate,
    poisson_test_known_rate,
)


def rec(patient, variant, period, events, years, basket=None):
    return PeriodRecord(patient, variant, period, events, years, basket)


RECORDS = [
    rec("P1", "CPS1-a", "pre", 4, 1.0, "CPS1"), rec("P1", "CPS1-a", "post", 0, 1.0, "CPS1"),
    rec("P2", "CPS1-b", "pre", 3, 0.5, "CPS1"), rec("P2", "CPS1-b", "post", 1, 1.5, "CPS1"),
    rec("P3", "OTC-a", "pre", 2, 1.0, "OTC"), rec("P3", "OTC-a", "post", 1, 2.0, "OTC"),
    rec("P4", "ASS1-a", "post", 0, 1.0, "ASS1"),
]
NH = [
    NaturalHistory("CPS1", rate=3.0),
    NaturalHistory("OTC", rate=1.5, shape=2.0),
    NaturalHistory("ASS1", events=20, exposure_years=10.0),
]


@pytest.fixture(scope="module")
def result():
    bio = [BiomarkerRecord("P1", "ammonia", d, v) for d, v in [(-20, 200.0), (-5, 150.0), (10, 60.0), (30, 40.0)]]
    return analyze_outcomes(RECORDS, NH, biomarkers=bio)


def by(result, level):
    return {c.name: c for c in result.comparisons if c.level == level}


def test_basket_tests_use_the_right_method(result):
    b = by(result, "basket")
    assert b["CPS1"].p_value == pytest.approx(poisson_test_known_rate(1, 2.5, 3.0).p_value)
    assert b["OTC"].p_value == pytest.approx(negbin_test_known_rate(1, [2.0], 1.5, 2.0).p_value)
    ass1 = conditional_rate_ratio_test(0, 1.0, 20, 10.0)
    assert b["ASS1"].p_value == pytest.approx(ass1.p_value)
    assert b["ASS1"].rate_ratio_interval == ass1.interval
    assert b["CPS1"].n_patients == 2 and b["CPS1"].events == 1


def test_holm_adjustment_within_basket_family(result):
    b = sorted(by(result, "basket").values(), key=lambda c: c.name)
    assert [c.p_adjusted for c in b] == pytest.approx(adjust([c.p_value for c in b], "holm"))
    assert all(c.p_adjusted >= c.p_value for c in b)


def test_variants_and_pooled(result):
    v = by(result, "variant")
    assert set(v) == {"CPS1-a", "CPS1-b", "OTC-a", "ASS1-a"}
    pooled = by(result, "pooled")["all baskets"]
    expected = 3.0 * 2.5 + 1.5 * 2.0 + 2.0 * 1.0
    assert pooled.expected_events == pytest.approx(expected)
    assert pooled.events == 2


def test_pooled_uses_each_baskets_count_model(result):
    """The null law of the pooled count is the convolution of the baskets' own laws:
    CPS1 Poisson(3.0 x 2.5); OTC one patient NB(shape 2, mean 1.5 x 2); ASS1's observed
    control 20 / 10 as a gamma rate, so its patient's count is NB(20, 10 / (10 + 1))."""
    support = np.arange(3)
    laws = [stats.poisson.pmf(support, 7.5), stats.nbinom.pmf(support, 2.0, 2.0 / (2.0 + 3.0)),
            stats.nbinom.pmf(support, 20, 10 / 11)]
    total = np.convolve(np.convolve(laws[0], laws[1]), laws[2])[:3]
    pooled = by(result, "pooled")["all baskets"]
    assert pooled.p_value == pytest.approx(total.sum(), rel=1e-9)


def test_pooled_with_overdispersion_is_not_the_poisson_test():
    """Issue 18, bug 1: with dispersion 0.8 the pooled row must use the negative binomial."""
    recs = [rec(f"P{i}", "V", "post", 0, 1.0, "B") for i in range(2)]
    out = analyze_outcomes(recs, [NaturalHistory("B", rate=2.4, shape=0.8)])
    pooled = by(out, "pooled")["all baskets"]
    # two patients, one year each: total ~ NB(2 x 0.8, mean 4.8)
    assert pooled.p_value == pytest.approx(stats.nbinom.pmf(0, 1.6, 1.6 / (1.6 + 4.8)), rel=1e-9)
    assert pooled.p_value > 10 * poisson_test_known_rate(0, 2.0, 2.4).p_value
    assert pooled.p_value == pytest.approx(by(out, "basket")["B"].p_value, rel=1e-9)


def test_prespecified_family_counts_baskets_without_data():
    """Issue 18, bug 3: one basket in the data, three prespecified: Holm over three."""
    recs = [rec("P1", "V", "post", 0, 1.0, "A")]
    nh = [NaturalHistory(b, rate=2.4) for b in "ABC"]
    out = analyze_outcomes(recs, nh, primary_family=("A", "B", "C"))
    basket = by(out, "basket")["A"]
    assert basket.p_value == pytest.approx(math.exp(-2.4))
    assert basket.p_adjusted == pytest.approx(3 * math.exp(-2.4))
    primary = out.multiplicity[0]
    assert primary.n_comparisons == 3 and primary.without_data == ("B", "C")
    assert "without outcome data (counted as not significant): B, C" in primary.statement()
    with pytest.raises(StatsInputError) as err:
        analyze_outcomes(recs, nh, primary_family=("B", "C"))
    assert err.value.field == "primary_family"


def test_multiplicity_is_stated(result):
    fams = {m.family: m for m in result.multiplicity}
    primary = fams["baskets vs natural history (primary)"]
    assert primary.n_comparisons == 3 and primary.method == "holm"
    assert "3 comparisons, Holm step-down" in primary.statement()
    assert fams["variants vs natural history (supportive)"].n_comparisons == 4


def test_within_patient(result):
    w = {x.name: x for x in result.within_patient}
    assert set(w) == {"P1", "P2", "P3"}  # P4 has no pre period
    p2 = conditional_rate_ratio_test(1, 1.5, 3, 0.5)
    assert w["P2"].p_value == pytest.approx(p2.p_value)
    assert w["P2"].rate_ratio == pytest.approx((1 / 1.5) / (3 / 0.5))
    basket = {x.name: x for x in result.within_basket}["CPS1"]
    assert (basket.pre_events, basket.post_events) == (7, 1)


def test_biomarker_change(result):
    (change,) = result.biomarkers
    assert (change.median_pre, change.median_post) == (175.0, 50.0)
    assert change.change == -125.0 and change.relative_change == pytest.approx(-125 / 175)
    (summary,) = result.biomarker_summaries
    assert summary.basket == "CPS1" and summary.median_change == -125.0


def test_doses_listed_per_treated_patient(result):
    assert [(d.patient, d.basket) for d in result.doses] == [("P1", "CPS1"), ("P2", "CPS1"), ("P3", "OTC"), ("P4", "ASS1")]
    assert all(d.dose_mg_per_kg is None for d in result.doses)


def test_basket_from_mapping_and_errors():
    recs = [rec("P1", "V1", "post", 0, 1.0)]
    out = analyze_outcomes(recs, [NaturalHistory("B", rate=2.0)], basket_of={"V1": "B"})
    assert by(out, "basket")["B"].p_value == pytest.approx(math.exp(-2.0))
    with pytest.raises(StatsInputError) as err:
        analyze_outcomes(recs, [NaturalHistory("B", rate=2.0)])
    assert err.value.field == "basket_of"
    with pytest.raises(StatsInputError) as err:
        analyze_outcomes(recs, [NaturalHistory("X", rate=2.0)], basket_of={"V1": "B"})
    assert err.value.field == "natural_history"
    with pytest.raises(StatsInputError) as err:
        analyze_outcomes(recs, [NaturalHistory("B", rate=2.0)], basket_of={"V1": "B"}, adjustment="sidak")
    assert err.value.field == "method"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"rate": None}, "rate"),
        ({"rate": 1.0, "events": 3, "exposure_years": 2.0}, "rate"),
        ({"events": 3}, "events"),
        ({"rate": -1.0}, "rate"),
        ({"events": 3, "exposure_years": 2.0, "shape": 1.0}, "shape"),
    ],
)
def test_natural_history_validation(kwargs, field):
    with pytest.raises(StatsInputError) as err:
        NaturalHistory("B", **kwargs)
    assert err.value.field == field


def test_tipping_point_of_an_observed_basket():
    recs = [rec("P1", "V", "post", 0, 2.0, "B")]
    out = analyze_outcomes(recs, [NaturalHistory("B", rate=2.4)])
    (point,) = out.tipping
    # 0 events stay significant while exp(-f x 4.8) <= 0.025
    assert point.significant
    assert point.factor == pytest.approx(-math.log(0.025) / 4.8, rel=1e-5)


def test_within_patient_primary_family():
    out = analyze_outcomes(RECORDS, NH, primary="within_patient", primary_family=("CPS1", "OTC", "ASS1"))
    primary = out.multiplicity[0]
    assert primary.family.startswith("within-basket") and primary.family.endswith("(primary)")
    assert primary.n_comparisons == 3 and primary.without_data == ("ASS1",)  # P4 has no pre-dose row
    assert out.multiplicity[1].family == "baskets vs natural history (supportive)"
    cps1 = {w.name: w for w in out.within_basket}["CPS1"]
    # each patient splits their own events: P1 4 + 0 with post share 1/2, P2 3 + 1 with post share 3/4
    tail = sum(stats.binom.pmf(a, 4, 0.5) * stats.binom.pmf(b, 4, 0.75)
               for a in range(5) for b in range(5) if a + b <= 1)
    assert cps1.p_value == pytest.approx(tail, rel=1e-10)
    by_basket = sorted(out.within_basket, key=lambda w: w.name)
    # Holm over the three prespecified baskets (ASS1 counts as p = 1)
    assert [w.p_adjusted for w in by_basket] == pytest.approx(
        adjust([w.p_value for w in by_basket] + [1.0], "holm")[:2])
    with pytest.raises(StatsInputError) as err:
        analyze_outcomes(RECORDS, NH, primary="pooled")
    assert err.value.field == "primary"
