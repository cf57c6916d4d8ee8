"""The statistics engine: pure numpy/scipy functions, one module per family.

``proportions`` (Wilson interval), ``ratios`` (RRI, Katz and reference rate-ratio
intervals), ``exact`` (vectorised binomial and Fisher tests), ``rri`` (RRI with its test, by
design), ``goodness`` (omnibus chi-square, seeded Monte Carlo), ``adjust`` (Holm,
Benjamini-Hochberg), ``bands`` (bands and confidence words), ``bounds`` (unknown-ethnicity
bounds), ``results`` (frozen result values), ``trend`` (change across periods). Formulas
and references: docs/methodology.md.
"""
