"""Model layer: frozen dataclasses describing a compiled deck."""

from lecturegen.model.deck import (
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

__all__ = ["Chart", "ChartSeries", "Citation", "CitationItem", "Column", "Deck", "Inline", "Paragraph", "Picture", "Run",
           "Slide", "Table"]
