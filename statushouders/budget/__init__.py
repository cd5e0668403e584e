"""Grip op geld: budget, ontzorgen, budget coach and SEPA payment runs (issue 5).

Plain rules (no database, no Reflex): config, money, norms, checks, ontzorgen, leefgeld, selection, sepa.
Database work as the signed-in actor: service (budget records), runs (payment runs), views (pages, letters).
For the letters engine: ``views.ontzorgen_summary`` and ``views.payment_overview``.
"""
