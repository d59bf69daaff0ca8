"""A trial's baskets and enrolment scenarios, as the design functions take them."""

from __future__ import annotations

from dataclasses import dataclass

from .control import ExternalControl
from .errors import StatsInputError, require_count, require_positive

__all__ = ["Scenario", "SimBasket"]


@dataclass(frozen=True)
class SimBasket:
    """A disease basket as the design needs it (rates per patient-year).

    The control is a rate (``control_rate``; counts gamma-Poisson with ``shape``
    when given; the rate uncertain with standard error ``rate_se`` when given) or
    an observed cohort, ``control_events`` over ``control_exposure`` (then
    ``control_rate`` is the true rate the simulation draws the cohort from).
    """

    name: str
    control_rate: float
    rate_ratio: float
    shape: float | None = None
    control_events: int | None = None
    control_exposure: float | None = None
    rate_se: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise StatsInputError("name", "must be a non-empty string")
        require_positive("control_rate", self.control_rate)
        require_positive("rate_ratio", self.rate_ratio)
        if self.shape is not None:
            require_positive("shape", self.shape)
        if (self.control_events is None) != (self.control_exposure is None):
            raise StatsInputError("control_events", "give control_events and control_exposure together")
        if self.control_events is not None:
            require_count("control_events", self.control_events)
            require_positive("control_exposure", self.control_exposure)
            if self.shape is not None or self.rate_se is not None:
                raise StatsInputError("shape", "shape and rate_se are not supported with an observed control "
                                               "(control_events)")
        if self.rate_se is not None:
            require_positive("rate_se", self.rate_se)

    @property
    def estimated_control(self) -> bool:
        return self.control_events is not None

    @property
    def control(self) -> ExternalControl:
        """The control's null model of counts (a rate; for an observed control see ``control_events``)."""
        return ExternalControl(self.control_rate, self.shape, self.rate_se)


@dataclass(frozen=True)
class Scenario:
    """An enrolment scenario: patients per basket and follow-up per patient."""

    n_per_basket: int
    followup_years: float

    def __post_init__(self) -> None:
        if require_count("n_per_basket", self.n_per_basket) < 1:
            raise StatsInputError("n_per_basket", "must be >= 1")
        require_positive("followup_years", self.followup_years)

    @property
    def exposure(self) -> float:
        return self.n_per_basket * self.followup_years


