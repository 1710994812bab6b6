"""A small dataset for the tests of the kinds that show a chart (chart, finding)."""

DATA = {
    "content/data/sessions.csv": "year,sessions\n2005,12\n2010,20\n",
    "content/data/sessions.yaml": "title: Sessions a year\nsource: cooper2005\nwhere: made up for a test\n"
                                  "illustrative: true\ncolumns:\n  year: text\n  sessions: integer\n",
}
