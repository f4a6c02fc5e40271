"""A real ``drover serve`` for a test: private homes, port 0, a known token; stopped afterwards."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional

REPO = Path(__file__).resolve().parents[3]
DROVER = REPO / "core" / "bin" / "drover.mjs"


class Serve:
    """``node core/bin/drover.mjs serve --port 0`` with ``DROVER_TOKEN`` in its environment.

    Attributes
    ----------
    url, token, pid : the running manager.
    runtime_dir : its ``$XDG_RUNTIME_DIR``; the manager file is in ``runtime_dir/drover``.
    env : what a kernel of this user would have (``XDG_RUNTIME_DIR`` set).
    """

    def __init__(self) -> None:
        self.home = tempfile.TemporaryDirectory(prefix="drover-pytest-home-")
        base = Path(self.home.name)
        self.runtime_dir = base / "runtime"
        self.runtime_dir.mkdir(mode=0o700)
        self.token = "py-" + secrets.token_urlsafe(16)
        self.env: Dict[str, str] = {
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_STATE_HOME": str(base / "state"),
            "XDG_CONFIG_HOME": str(base / "config"),
        }
        self.process = subprocess.Popen(
            ["node", str(DROVER), "serve", "--port", "0", "--no-restore"],
            env={**os.environ, **self.env, "DROVER_TOKEN": self.token},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.pid = self.process.pid
        self.output: list = []
        self.url = self._wait_for_url()
        self.manager_file = self.runtime_dir / "drover" / f"serve-{self.pid}.json"
        deadline = time.monotonic() + 10
        while not self.manager_file.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"no manager file at {self.manager_file}")
            time.sleep(0.05)

    def _wait_for_url(self) -> str:
        found: Dict[str, str] = {}
        ready = threading.Event()

        def read() -> None:
            for line in self.process.stdout:  # type: ignore[union-attr]
                self.output.append(line)
                match = re.search(r"Drover dashboard: (http://127\.0\.0\.1:\d+)/\?token=", line)
                if match and not ready.is_set():
                    found["url"] = match.group(1)
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not ready.wait(60) or "url" not in found:
            self.process.kill()
            self.process.wait()
            raise RuntimeError("drover serve did not start:\n" + "".join(self.output))
        return found["url"]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One authenticated API call; the parsed answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def stop(self) -> None:
        """SIGTERM, then wait; the manager closes its clusters."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()
        self.home.cleanup()


class EnvPatch:
    """Sets environment variables for a block and restores them after."""

    def __init__(self, **values: Optional[str]) -> None:
        self.values = values
        self.saved: Dict[str, Optional[str]] = {}

    def __enter__(self) -> "EnvPatch":
        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        return self

    def __exit__(self, *exc: Any) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# Variables a kernel might have from the developer's own shell; tests set their own.
LOOKUP_VARIABLES = ("DROVER_MANAGER_FILE", "DROVER_MANAGER_URL", "DROVER_TOKEN", "DROVER_AUTOCONNECT")


def kernel_env(serve: Serve, **extra: Optional[str]) -> EnvPatch:
    """The environment of a kernel of the user who runs ``serve``, and nothing else Drover reads."""
    values: Dict[str, Optional[str]] = {k: None for k in LOOKUP_VARIABLES}
    values.update(serve.env)
    values.update(extra)
    return EnvPatch(**values)
