"""Who may run personas from the app: the gemeente coordinator and regisseur, nobody else; runs are audited."""

import pytest
from sqlalchemy import select

from statushouders.models import AuditEntry
from statushouders.personas import runner
from statushouders.policy import AccessDenied


@pytest.mark.parametrize("who", ["coordinator", "regisseur"])
def test_gemeente_runs_a_persona_and_the_run_is_audited(session, chain, who):
    journeys = runner.run_as(session, chain[who], "olena")
    assert [j.persona_id for j in journeys] == ["olena"]
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert "olena" in entry.what and entry.person_id is None and entry.user_id == chain[who].user_id


@pytest.mark.parametrize("who", ["taalschool", "financien", "vwn", "budgetcoach"])
def test_partners_may_not_run_personas(session, chain, who):
    with pytest.raises(AccessDenied):
        runner.run_as(session, chain[who], "olena")
    assert session.scalars(select(AuditEntry)).first() is None
