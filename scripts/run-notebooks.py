#!/usr/bin/python3
"""Execute every .ipynb under the given files/folders headless; exit 1 if any cell fails.

usage: /usr/bin/python3 scripts/run-notebooks.py [--timeout S] [--grace S] [--kernel NAME] [--out DIR] PATH...

Needs Debian's python3-nbclient (nbclient 0.7.2, jupyter_client 7.4) and a kernel per notebook
(python3 from python3-ipykernel; deno from scripts/install-deno-kernel.mjs). Each notebook's kernel
runs in the notebook's own folder, so a package.json/deno.json there (or above) applies. Ends with a
"N passed, N failed" line; --json PATH also writes the counts.
"""
import argparse
import json
import pathlib
import queue
import sys
import time
import traceback

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async


class Client(NotebookClient):
    """nbclient with the two fixes Deno's kernel needs."""

    grace = 0.25  # seconds to keep reading a cell's IOPub after status=idle

    def process_message(self, msg, cell, cell_index):
        # Deno <= 2.8.0 sends "transient": null; nbclient 0.7 crashes on it (AttributeError)
        content = msg.get("content")
        if isinstance(content, dict) and "transient" in content and content["transient"] is None:
            content["transient"] = {}
        return super().process_message(msg, cell, cell_index)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        # nbclient stops at status=idle; some Deno versions publish outputs just after it
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while self.grace > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.grace))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id and msg["msg_type"] != "status":
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


def notebooks(paths):
    for p in map(pathlib.Path, paths):
        for nb in [p] if p.is_file() else sorted(p.rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in nb.parts:
                yield nb.resolve()


def report_failure(nb):
    for cell in nb.cells:  # some kernels leave the reply without ename/evalue
        for o in cell.get("outputs", []):
            if o.get("name") == "stderr":
                print("  stderr:", o.get("text", "").rstrip())
            elif o.get("output_type") == "error":
                print("  error:", o.get("ename"), o.get("evalue"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--timeout", type=int, default=120, help="per-cell limit, seconds")
    ap.add_argument("--startup-timeout", type=int, default=60)
    ap.add_argument("--grace", type=float, default=0.25)
    ap.add_argument("--kernel", default="", help="override the kernelspec name in the notebooks")
    ap.add_argument("--out", help="write executed copies here")
    ap.add_argument("--json", help="write {passed, failed, skipped} here")
    a = ap.parse_args()
    Client.grace = a.grace
    passed = failed = 0
    for path in notebooks(a.paths):
        nb = nbformat.read(path, as_version=4)
        client = Client(nb, timeout=a.timeout, startup_timeout=a.startup_timeout, kernel_name=a.kernel,
                        allow_errors=False, resources={"metadata": {"path": str(path.parent)}})
        t0 = time.perf_counter()
        try:
            client.execute()
            passed += 1
            print(f"PASS {path} ({time.perf_counter() - t0:.1f}s)")
        except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError, TimeoutError) as e:
            failed += 1
            print(f"FAIL {path} ({time.perf_counter() - t0:.1f}s)\n{e}")
            report_failure(nb)
        except Exception:
            failed += 1
            print(f"FAIL {path}\n{traceback.format_exc()}")
        if a.out:
            out = pathlib.Path(a.out)
            out.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out / path.name)
    print(f"{passed} passed, {failed} failed")
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps({"passed": passed, "failed": failed, "skipped": 0}) + "\n")
    return 0 if passed and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
