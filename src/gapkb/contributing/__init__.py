"""What a contributor meets around the check: `gapkb new`, annotations, the gap diff.

- `scaffold`: `gapkb new` — a template entry with every field and placeholders to fill.
- `annotations`: findings as GitHub workflow annotations and a job summary.
- `diff`: `gapkb diff` — entries, links and gaps a change adds or removes.
- `schema`: `gapkb schema` — JSON Schemas of the entries, for editor completion.
- `subset`: `gapkb check FILES` — findings of the named files only.

The entry-format rules and their messages are in gapkb.entry_rules (the loader needs them
too); this package depends on the pipeline, never the reverse.
"""
