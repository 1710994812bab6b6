"""Model layer: frozen dataclasses describing a compiled deck."""

from lecturegen.model.deck import (  # noqa: F401
    Chart,
    ChartSeries,
    Citation,
    CitationItem,
    Column,
    Deck,
    Inline,
    Paragraph,
    Picture,
    Run,
    Slide,
    Table,
)
