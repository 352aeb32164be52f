"""The built sample site for the link and browser tests: `gapkb build` run in-process."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gapkb.cli import cli
from tests.conftest import AS_OF, SAMPLE


def build_sample_site(folder: Path) -> Path:
    """Run `gapkb build --root tests/sample --as-of 2026-12-01 --out <folder>/public`.

    The command writes its Markdown pages to build/docs under the working directory, so it runs
    inside `folder`; the network is switched off while it runs. Returns the output folder.
    """

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the build tried to reach the network: {args!r}")

    out = folder / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name in ("connect", "connect_ex"):
            patch.setattr(socket.socket, name, refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        args = ["build", "--root", str(SAMPLE), "--as-of", AS_OF, "--out", str(out)]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file(), result.output
    return out
