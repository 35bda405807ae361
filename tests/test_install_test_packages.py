"""`make test`'s first step, scripts/install-test-packages, run against stand-ins for the
system's package tools (apt-get, dpkg-query, id, sudo) that record what they were asked."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "install-test-packages"

STUBS = {
    # Installed packages are listed, one per line, in $STUB_INSTALLED.
    "dpkg-query": 'pkg="$3"; grep -qx "$pkg" "$STUB_INSTALLED" && echo "install ok installed" && exit 0; exit 1',
    "id": 'echo "$STUB_UID"',
    "apt-get": 'echo "apt-get $*" >> "$STUB_LOG"; [ -n "${DEBIAN_FRONTEND:-}" ] && echo "  DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "$STUB_LOG"; exit 0',
    # `sudo -n true` succeeds only where $STUB_SUDO is "yes"; `sudo -n CMD...` runs CMD.
    "sudo": '[ "$STUB_SUDO" = yes ] || exit 1; shift; [ "$1" = true ] || echo "sudo:" >> "$STUB_LOG"; exec "$@"',
}


def run(tmp_path: Path, *, uid: str, installed: list[str], sudo: bool = False):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STUBS.items():
        stub = bin_dir / name
        stub.write_text("#!/bin/sh\n" + body + "\n")
        stub.chmod(0o755)
    (tmp_path / "installed").write_text("".join(p + "\n" for p in installed))
    log = tmp_path / "log"
    log.touch()
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "STUB_INSTALLED": str(tmp_path / "installed"),
           "STUB_UID": uid, "STUB_SUDO": "yes" if sudo else "no", "STUB_LOG": str(log)}
    result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
    return result, log.read_text()


def test_as_root_it_installs_only_what_is_missing_after_an_update(tmp_path):
    result, log = run(tmp_path, uid="0", installed=["fonts-noto-cjk", "gettext", "postgresql"])
    assert result.returncode == 0, result.stderr
    assert log.splitlines() == ["apt-get update", "apt-get install -y chromium",
                                "  DEBIAN_FRONTEND=noninteractive"]


def test_with_passwordless_sudo_it_installs_through_sudo(tmp_path):
    result, log = run(tmp_path, uid="1000", installed=[], sudo=True)
    assert result.returncode == 0, result.stderr
    assert log.splitlines() == ["sudo:", "apt-get update", "sudo:",
                                "apt-get install -y chromium fonts-noto-cjk gettext postgresql", "  DEBIAN_FRONTEND=noninteractive"]


def test_without_root_or_sudo_it_stops_with_the_exact_commands(tmp_path):
    result, log = run(tmp_path, uid="1000", installed=["chromium"], sudo=False)
    assert result.returncode == 2
    assert "sudo apt-get update && sudo apt-get install -y fonts-noto-cjk gettext postgresql" in result.stdout
    assert log == ""


@pytest.mark.parametrize("uid", ["0", "1000"])
def test_nothing_is_done_when_everything_is_installed(tmp_path, uid):
    result, log = run(tmp_path, uid=uid, installed=["chromium", "fonts-noto-cjk", "gettext", "postgresql"])
    assert result.returncode == 0 and result.stdout == "" and log == ""
