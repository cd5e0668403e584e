"""One run of every persona file per test session: the flows take seconds each."""

from __future__ import annotations

import pytest

from statushouders.personas import runner


@pytest.fixture(scope="session")
def journeys() -> dict[str, runner.Journey]:
    return {j.persona_id: j for j in runner.run_all()}
