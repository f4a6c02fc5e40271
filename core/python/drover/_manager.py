"""Find the running Drover manager and call its HTTP API (standard library only)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from ._errors import DroverError

__all__ = ["ManagerLocation", "Manager", "manager_file_directory", "manager_file_path", "find_manager"]


@dataclass(frozen=True)
class ManagerLocation:
    """Where the manager answers, its token, and how it was found.

    Attributes
    ----------
    url : str
        Base URL of the manager's API, ``http://127.0.0.1:PORT``.
    token : str
        The bearer token the API requires.
    source : str
        The manager file's path, or ``"DROVER_MANAGER_URL"``.
    """

    url: str
    token: str
    source: str

    def __repr__(self) -> str:  # never show the token
        return f"ManagerLocation(url={self.url!r}, source={self.source!r})"


def manager_file_directory(env: Optional[Mapping[str, str]] = None) -> Path:
    """The directory ``drover serve`` writes its manager file into.

    ``$XDG_RUNTIME_DIR/drover``, else ``$XDG_STATE_HOME/drover/run``, else
    ``~/.local/state/drover/run``.
    """
    env = os.environ if env is None else env
    if env.get("XDG_RUNTIME_DIR"):
        return Path(env["XDG_RUNTIME_DIR"]) / "drover"
    state = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "state")
    return Path(state) / "drover" / "run"


def manager_file_path(pid: int, env: Optional[Mapping[str, str]] = None) -> Path:
    """The manager file of the ``drover serve`` process ``pid`` started with environment ``env``.

    A host that starts ``drover serve`` as its child (the Jupyter server extension) sets
    ``os.environ["DROVER_MANAGER_FILE"]`` to this, so the kernels it starts use that manager.
    """
    return manager_file_directory(env) / f"serve-{pid}.json"


def _read_manager_file(path: Path) -> Optional[dict]:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not (isinstance(value, dict) and isinstance(value.get("url"), str)
            and isinstance(value.get("token"), str) and isinstance(value.get("pid"), int)):
        return None
    return value


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process: it exists
    except OSError:
        return False
    return True


def find_manager(env: Optional[Mapping[str, str]] = None) -> ManagerLocation:
    """Find the manager a kernel should use.

    In this order: ``DROVER_MANAGER_FILE`` (a path to a manager file), ``DROVER_MANAGER_URL`` with
    ``DROVER_TOKEN``, else the newest manager file in :func:`manager_file_directory` whose process
    is alive.

    Raises
    ------
    DroverError
        When none is found; the message says what was looked at and how to start a manager.
    """
    env = os.environ if env is None else env
    if env.get("DROVER_MANAGER_FILE"):
        path = Path(env["DROVER_MANAGER_FILE"])
        found = _read_manager_file(path)
        if found is None:
            raise DroverError(
                f"DROVER_MANAGER_FILE names {path}, which is missing or not a Drover manager file; "
                "unset it, or point it at the serve-<pid>.json file of a running drover serve")
        return ManagerLocation(found["url"], found["token"], str(path))
    if env.get("DROVER_MANAGER_URL"):
        if not env.get("DROVER_TOKEN"):
            raise DroverError("DROVER_MANAGER_URL is set but DROVER_TOKEN is not; set both, or neither")
        return ManagerLocation(env["DROVER_MANAGER_URL"].rstrip("/"), env["DROVER_TOKEN"], "DROVER_MANAGER_URL")
    directory = manager_file_directory(env)
    candidates = []
    for path in sorted(directory.glob("serve-*.json")) if directory.is_dir() else []:
        found = _read_manager_file(path)
        if found is not None and _alive(found["pid"]):
            candidates.append((str(found.get("started", "")), path, found))
    if not candidates:
        raise DroverError(
            f"no running Drover manager found (no live serve-<pid>.json in {directory}); "
            "start one with `drover serve` (or open the Drover sidebar in JupyterLab), "
            "or set DROVER_MANAGER_URL and DROVER_TOKEN")
    _, path, found = max(candidates, key=lambda c: c[0])
    return ManagerLocation(found["url"], found["token"], str(path))


class Manager:
    """The manager's HTTP API, authenticated with its token.

    Parameters
    ----------
    location : ManagerLocation, optional
        Where the manager is; found with :func:`find_manager` when not given.
    timeout : float
        Seconds to wait for an answer (starting a cluster can take a while).
    """

    def __init__(self, location: Optional[ManagerLocation] = None, timeout: float = 120.0) -> None:
        self.location = location or find_manager()
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Send one request; return the parsed JSON answer (``None`` for an empty one).

        Raises
        ------
        DroverError
            With the manager's own message when it answers with an error, or a hint when it does
            not answer at all.
        """
        url = self.location.url + path
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self.location.token}",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                message = json.loads(text)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = text or error.reason
            raise DroverError(f"the Drover manager answered {error.code} to {method} {path}: {message}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise DroverError(
                f"the Drover manager at {self.location.url} (from {self.location.source}) does not answer: "
                f"{reason}; is drover serve still running?") from None
        return json.loads(text) if text else None

    def clusters(self) -> list:
        """Every cluster's model (``GET /api/clusters``)."""
        return self.request("GET", "/api/clusters")

    def connection(self, name: str) -> dict:
        """Address and security of one cluster (``GET /api/clusters/NAME/connection``)."""
        return self.request("GET", f"/api/clusters/{urllib.parse.quote(name, safe='')}/connection")

    def create(self, spec: dict) -> dict:
        """Start a cluster from a spec (``POST /api/clusters``); returns its model once it runs."""
        return self.request("POST", "/api/clusters", spec)

    def scale(self, name: str, n: int) -> dict:
        """Scale a cluster to ``n`` workers (local) or jobs (batch)."""
        return self.request("PATCH", f"/api/clusters/{urllib.parse.quote(name, safe='')}", {"scale": n})

    def close(self, name: str) -> None:
        """Close a cluster: its workers stop, its jobs are cancelled."""
        self.request("DELETE", f"/api/clusters/{urllib.parse.quote(name, safe='')}")
