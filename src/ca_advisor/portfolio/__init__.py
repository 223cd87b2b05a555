"""The portfolio view: every package in play at a date, checked as a whole.

A portfolio is a set of proposals, each in play from its ``date`` for its
``duration_years`` (``package.DEFAULT_DURATION_YEARS``, one year, when absent; always
in play when it has no date).  ``package.py`` keeps what the portfolio needs of each
checked proposal (small, so 2,000 proposals stay cheap to hold), ``schema.py``
declares the portfolio fact types rules read (``for_each: portfolio_recipient`` ...),
``facts.py`` builds them, and ``check.py`` runs them through the same compiled engine
as every other rule and turns matches into findings that name their contributors.
"""
