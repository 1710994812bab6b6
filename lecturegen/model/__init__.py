"""Model layer: frozen dataclasses describing a compiled deck."""

from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.model.deck import Column, Deck, Picture, Slide, Table
from lecturegen.model.text import Citation, CitationItem, Inline, Paragraph, Run

__all__ = ["Chart", "ChartSeries", "Citation", "CitationItem", "Column", "Deck", "Inline", "Paragraph", "Picture", "Run",
           "Slide", "Table"]
