"""What an intervention-specific appendix states where a variant may differ from the master
protocol: its own regimen and schedule when it gives them, else the umbrella's; and the
long-term follow-up stated when the program sets none.

Read by the documents (the appendix's sections 6 and 7) and by the USDM export (each appendix's
study design), so both say the same.
"""

from __future__ import annotations

from basket.program.model import Dosing, Umbrella, Variant, Visit

# The FDA's long-term follow-up guidance recommends up to 15 years of observation after
# genome-editing products; shown when a program does not set `safety.follow_up_years`.
LTFU_GUIDANCE = (
    "FDA Guidance for Industry, Long Term Follow-up After Administration of Human Gene Therapy Products "
    "(January 2020): up to 15 years of follow-up for products that use genome editing"
)
LTFU_GUIDANCE_YEARS = 15


def appendix_dosing(variant: Variant, master: Dosing | None) -> Dosing | None:
    """The variant's own regimen where it has one; the master protocol's dosing rules and
    concomitant therapy apply unless the variant states its own."""
    if variant.dosing is None or master is None:
        return variant.dosing or master
    inherited = {name: getattr(master, name) for name in ("rules", "concomitant") if not getattr(variant.dosing, name)}
    return variant.dosing.model_copy(update=inherited) if inherited else variant.dosing


def appendix_schedule(variant: Variant, umbrella: Umbrella) -> list[Visit]:
    """The variant's own schedule replaces the umbrella's as a whole."""
    return variant.schedule or umbrella.schedule
