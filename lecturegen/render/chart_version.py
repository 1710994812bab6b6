"""Render layer: the chart renderer's version, in a module of its own so that a cache key needs no matplotlib."""

# Bump when drawing changes, so cached PNGs from an older renderer are not reused.
RENDERER_VERSION = "6"
