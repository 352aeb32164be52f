"""The wheel carries copies of ontology/ and shapes/ as gapkb/data/, so that a knowledge base
in another repository (the published pre-commit hook) is checked by the same model. They are
copied when the package is built, not linked from src/: a symbolic link does not survive
every checkout (Git for Windows writes it as a text file unless core.symlinks is on)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
MODEL_FOLDERS = ("ontology", "shapes")


class BuildWithModel(build_py):
    """build_py, then the model's Turtle files into gapkb/data/<folder>/."""

    def run(self) -> None:
        super().run()
        for folder in MODEL_FOLDERS:
            files = sorted((ROOT / folder).glob("*.ttl"))
            if not files:
                raise SystemExit(f"{ROOT / folder}: no .ttl files to package")
            target = Path(self.build_lib) / "gapkb" / "data" / folder
            target.mkdir(parents=True, exist_ok=True)
            for ttl in files:
                shutil.copyfile(ttl, target / ttl.name)


setup(cmdclass={"build_py": BuildWithModel})
