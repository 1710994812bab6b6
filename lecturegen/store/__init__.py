"""Store layer: every cache lecturegen keeps (in build/.cache/) and the one atomic writer for output files."""
