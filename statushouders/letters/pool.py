"""Render letters in worker processes, never on the web server's event loop.

Each worker builds its ``Renderer`` (one FontConfiguration + one parsed stylesheet) once
in the pool initializer, so every letter after the first is a warm render. Workers are
started with ``spawn``: a fresh interpreter, no inherited sockets or database engines.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .contexts import LetterBase
from .render import RenderedLetter

_executor: ProcessPoolExecutor | None = None


def _warm() -> None:
    from . import render

    render.renderer()


def render_one(context: LetterBase) -> RenderedLetter:
    """Runs in a worker: the renderer is this process's, created once."""
    from .render import render_letter

    return render_letter(context)


def new_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of warmed renderers (default: one per CPU core)."""
    workers = workers or os.cpu_count() or 1
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm)


def executor() -> ProcessPoolExecutor:
    """The web app's shared pool (``STATUSHOUDERS_LETTER_WORKERS``, default 1 process)."""
    global _executor
    if _executor is None:
        _executor = new_pool(int(os.environ.get("STATUSHOUDERS_LETTER_WORKERS", "1")))
    return _executor


def _noop() -> None:
    return None


def prestart() -> None:
    """Start (and warm) the web app's workers in the background, so the first letter is not slow."""
    executor().submit(_noop)


async def render_async(context: LetterBase) -> RenderedLetter:
    """Render in the pool and await the result without blocking the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(), render_one, context)
