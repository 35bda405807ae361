"""Name this process (/proc/<pid>/comm, what `ps`, `top` and bench/import_speed.py show), so
an import's processes can be told apart: `import-worker` (pipeline workers) and
`import-index` (the forked index writer). Linux only; elsewhere a no-op."""
from __future__ import annotations

import ctypes
import ctypes.util

PR_SET_NAME = 15


def name_process(name: str) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    except (OSError, AttributeError):
        pass
