"""A :class:`~showclear.reports.document.Document` drawn as HTML by one Django template.

``reports/_document.html`` draws the document's body (the same sections, blocks, tones and chart
layouts as the PDF); the web app puts it inside its own page (``reports/page.html``) and the CLI
writes it as one self-contained file with its stylesheet inlined (``reports/standalone.html``),
which a browser prints as it shows it. Django must be set up (the CLI does it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showclear.reports.charts import Layout, layout
from showclear.reports.document import Block, Chart, Document

STYLESHEET = Path(__file__).resolve().parent.parent / "web" / "static" / "showclear" / "reports.css"


@dataclass(frozen=True)
class Drawn:
    """A block with what its template needs (a chart's layout)."""

    block: Block
    layout: Layout | None = None

    @property
    def kind(self) -> str:
        return self.block.kind


def context(document: Document) -> dict[str, Any]:
    """The template context of ``document``."""
    sections = [
        {
            "heading": section.heading,
            "blocks": [
                Drawn(block, layout(block) if isinstance(block, Chart) else None)
                for block in section.blocks
            ],
        }
        for section in document.sections
    ]
    return {"document": document, "sections": sections}


def render_html(document: Document) -> str:
    """A whole, self-contained HTML file of ``document`` (the stylesheet inlined)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "reports/standalone.html",
        {**context(document), "stylesheet": STYLESHEET.read_text(encoding="utf-8")},
    )
