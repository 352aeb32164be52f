"""Releases of the knowledge base as a citable dataset: dumps, checksums, snapshots, changelog,
gap history, the DCAT/VoID and schema.org descriptions, licences and the w3id.org redirects.

    from gapkb.release import make_release
    make_release(".", "build", "0.2.0", previous=Path("build/releases/0.1.0/snapshot.json"))
"""

from gapkb.release.changelog import changelog
from gapkb.release.describe import dataset_description, graph_stats, schema_org_dataset
from gapkb.release.history import gap_history
from gapkb.release.make import Release, make_release
from gapkb.release.snapshot import load_history, load_snapshot, snapshot
from gapkb.release.w3id import htaccess

__all__ = [
    "Release",
    "changelog",
    "dataset_description",
    "gap_history",
    "graph_stats",
    "htaccess",
    "load_history",
    "load_snapshot",
    "make_release",
    "schema_org_dataset",
    "snapshot",
]
