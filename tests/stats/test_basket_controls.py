"""From a natural-history measure to the control a basket is tested against (the program bridge)."""

import math

import pytest

from basket.program.model import Measure, NaturalHistory
from basket.stats.basket_controls import control_model


def measure(**fields):
    return Measure(name="rate", definition="events per patient-year", value=2.4, unit="events per patient-year",
                   source="test", **fields)


def history(n=None):
    return NaturalHistory(id="NH", source="test", population="test", n=n)


def test_declared_dispersion_and_interval():
    c = control_model(measure(dispersion=1.5, interval=(1.8, 3.2)), history(40))
    assert (c.shape, c.shape_source) == (1.5, "declared")
    z = 1.959963984540054
    assert c.rate_se == pytest.approx(2.4 * math.log(3.2 / 1.8) / (2 * z), rel=1e-9)
    assert not any("cohort's n" in note for note in c.notes)  # n is not needed


def test_range_makes_overdispersion_the_default():
    c = control_model(measure(range=(0, 20), observation_years=1.5), history(63))
    assert c.shape_source == "range" and c.shape == pytest.approx(0.82, abs=0.01)
    assert c.rate_se == pytest.approx(math.sqrt((3.6 + 3.6 ** 2 / c.shape) / 63) / 1.5)
    assert any("incompatible with Poisson" in note for note in c.notes)
    assert any("the cohort's n = 63" in note for note in c.notes)


def test_the_measures_own_patients_come_first():
    c = control_model(measure(range=(0, 20), observation_years=1.5, patients=30), history(63))
    assert not any("cohort's n" in note for note in c.notes)
    assert c.rate_se == pytest.approx(math.sqrt((3.6 + 3.6 ** 2 / c.shape) / 30) / 1.5)


def test_missing_figures_leave_poisson_and_a_known_rate_and_say_so():
    c = control_model(measure(range=(0, 20)), history())
    assert c.shape is None and c.rate_se is None
    assert any("cannot be used without observation_years and patients" in note for note in c.notes)
    assert any("the rate is taken as known" in note for note in c.notes)
    bare = control_model(measure(), history(10))
    assert any("over-dispersion cannot be checked" in note for note in bare.notes)
    assert any("without observation_years" in note for note in bare.notes)


def test_uncertainty_can_be_switched_off():
    c = control_model(measure(range=(0, 20), observation_years=1.5), history(63), propagate_uncertainty=False)
    assert c.rate_se is None and c.shape is not None
    assert any("control_uncertainty is false" in note for note in c.notes)
