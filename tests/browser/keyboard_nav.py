"""Keyboard-only helpers for browser tests: move focus with Tab / Shift+Tab and check every stop on the way.

Every stop must show a focus ring (an outline or box shadow on the focused element); reaching the target
at all proves there is no keyboard trap before it.
"""

from __future__ import annotations

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 40);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: name, ring: ring};
}"""


def focused(page) -> dict | None:
    """What has keyboard focus now (None: the page itself)."""
    return page.evaluate(FOCUS)


def tab_to(page, selector: str, backwards: bool = False, limit: int = 150) -> list[dict]:
    """Press Tab (or Shift+Tab) until ``selector`` has focus; returns the stops passed on the way.

    Fails when the target is never reached (a trap, or not focusable) or a stop shows no focus ring.
    """
    stops = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now is None:
            continue
        stops.append(now)
        assert now["ring"], f"no visible focus on {now}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} not reached with {'Shift+Tab' if backwards else 'Tab'}; passed {stops[-5:]}")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type, like a person at a keyboard."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, selector: str, text: str) -> None:
    """Tab to a native select and pick an option by typing its first letters (type-ahead)."""
    tab_to(page, selector)
    page.keyboard.type(text)


def walk_around(page, limit: int = 400) -> list[dict]:
    """Tab from where focus is until it comes back to the same element: every stop has a ring, none traps."""
    start = focused(page)
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None:
            continue
        assert now["ring"], f"no visible focus on {now}"
        if stops and now == stops[-1] and now.get("tag") != "input":
            raise AssertionError(f"focus stuck on {now}")
        stops.append(now)
        if start is not None and now == start:
            return stops
    raise AssertionError(f"Tab never came back to {start}: a keyboard trap near {stops[-3:]}")
