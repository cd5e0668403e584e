"""Run every persona through the real chain flow (scratch databases) and time it.

Last line: ``personas=<n> seconds=<s>`` (target: all personas <= 60 s on the shared 2-core machine).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from statushouders.personas import cli, runner  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    journeys = runner.run_all()
    seconds = time.perf_counter() - started
    print("\n".join(cli.summary(journeys)))
    for j in journeys:
        print(f"{j.persona_id:<10} {j.seconds:5.1f} s  {len(j.steps)} stappen, {len(j.letters)} brieven")
    print(f"personas={len(journeys)} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
