"""Small inline SVG icons: they render the same everywhere, unlike symbol characters (an
hourglass or a check mark is an empty box where the fonts lack the glyph)."""

from __future__ import annotations

_PATHS = {
    # a tick, a cross, an open circle, a clock face
    "check": '<path d="M3 8.5l3.2 3.2L13 5" fill="none" stroke="{color}" stroke-width="2" '
             'stroke-linecap="round" stroke-linejoin="round"/>',
    "cross": '<path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="{color}" stroke-width="2" '
             'stroke-linecap="round"/>',
    "todo": '<circle cx="8" cy="8" r="5.5" fill="none" stroke="{color}" stroke-width="1.6"/>',
    "wait": '<circle cx="8" cy="8" r="6" fill="none" stroke="{color}" stroke-width="1.6"/>'
            '<path d="M8 4.5V8l2.5 1.8" fill="none" stroke="{color}" stroke-width="1.6" '
            'stroke-linecap="round"/>',
}
COLORS = {"check": "#1a7f37", "cross": "#c62828", "todo": "#8a8f98", "wait": "#b7791f"}


def icon(name: str, title: str = "") -> str:
    """An inline 1em SVG icon in its colour; `title` names it for screen readers."""
    label = f'role="img" aria-label="{title}"' if title else 'aria-hidden="true"'
    return (f'<svg class="coach-icon" {label} viewBox="0 0 16 16" width="1em" height="1em">'
            f"{_PATHS[name].format(color=COLORS[name])}</svg>")
