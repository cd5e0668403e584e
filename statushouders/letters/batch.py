"""Produce one letter type for many statushouders at once, on every core.

The parent process does all database work (build contexts, store letters, audit) in
order, so the audit chain stays serial; worker processes only render. A failure of one
letter (no data, missing glyph, bad option) is recorded with its reason and the batch
goes on. The summary says what was produced and what failed and why.
"""

from __future__ import annotations

import secrets
from collections import Counter
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..models import Person
from ..policy import AccessDenied, Actor
from . import archive, pool
from .render import LetterError


@dataclass
class BatchReport:
    batch: str
    letter_type: str
    produced: list[tuple[int, str]] = field(default_factory=list)  # (person id, reference)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (person id, reason)

    def summary(self) -> str:
        lines = [f"Batch {self.batch} ({self.letter_type}): {len(self.produced)} gemaakt, {len(self.failed)} mislukt."]
        reasons = Counter(reason for _pid, reason in self.failed)
        for reason, count in reasons.most_common():
            lines.append(f"  {count} x {reason}")
        for pid, reason in self.failed[:20]:
            lines.append(f"  persoon {pid}: {reason}")
        return "\n".join(lines)


def persons_for(session: Session, actor: Actor, today: date, person_ids: list[int] | None = None) -> list[int]:
    """Persons the actor may open (optionally only the given ones), in id order."""
    query = select(Person.id).where(policy.person_filter(actor, today)).order_by(Person.id)
    if person_ids:
        query = query.where(Person.id.in_(person_ids))
    return list(session.scalars(query))


def run(session_factory, actor: Actor, letter_type: str, options: dict, today: date,
        person_ids: list[int] | None = None, workers: int | None = None, progress: bool = True,
        commit_every: int = 50) -> BatchReport:
    """Build, render (in a process pool) and archive the letters; never stops on one failure."""
    from tqdm import tqdm

    report = BatchReport(batch=f"B-{today:%Y%m%d}-{secrets.token_hex(3).upper()}", letter_type=letter_type)
    session: Session = session_factory()
    try:
        ids = persons_for(session, actor, today, person_ids)
        if person_ids:
            for missing in sorted(set(person_ids) - set(ids)):
                report.failed.append((missing, "geen toegang tot dit dossier of het bestaat niet"))
        contexts = {}
        for pid in ids:
            try:
                contexts[pid] = archive.prepare(session, actor, pid, letter_type, options, today)
            except (LetterError, AccessDenied) as exc:
                report.failed.append((pid, str(exc)))
            except ValueError as exc:  # OptionErrors and other bad input
                report.failed.append((pid, str(exc)))
        session.commit()
        bar = tqdm(total=len(ids), desc=f"brieven {letter_type}", unit="brief", disable=not progress)
        bar.update(len(ids) - len(contexts))
        with pool.new_pool(workers) as executor:
            futures = {executor.submit(pool.render_one, ctx): pid for pid, ctx in contexts.items()}
            done = 0
            for future in as_completed(futures):
                pid = futures[future]
                try:
                    rendered = future.result()
                    with session.begin_nested():  # a failed store rolls back only this letter
                        archive.store(session, actor, pid, rendered, contexts[pid], batch=report.batch)
                    report.produced.append((pid, contexts[pid].reference))
                except Exception as exc:  # one bad letter must not stop the batch
                    report.failed.append((pid, f"{type(exc).__name__}: {exc}" if not isinstance(exc, LetterError) else str(exc)))
                done += 1
                if done % commit_every == 0:
                    session.commit()
                bar.update(1)
        session.commit()
        bar.close()
    finally:
        session.close()
    report.produced.sort()
    report.failed.sort()
    return report
