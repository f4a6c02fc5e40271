"""The smoke notebooks, executed headless (scripts/run-notebooks.py, Debian's nbclient) in real
kernels — Python (ipykernel) and TypeScript (Deno 2.7.14) — against a real drover serve."""

import os
import subprocess
import sys
import tempfile
import unittest

from .serve import REPO, Serve

NOTEBOOKS = REPO / "test" / "notebooks"
ARTIFACTS = REPO / "test-artifacts" / "notebooks"


class SmokeNotebooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.serve = Serve()
        cls.serve.call("POST", "/api/clusters", {"kind": "local", "name": "nb-ts", "scale": 1})
        cls.data_home = tempfile.TemporaryDirectory(prefix="drover-jupyter-data-")
        env = {**os.environ, "XDG_DATA_HOME": cls.data_home.name}
        subprocess.run(["node", str(REPO / "scripts" / "install-deno-kernel.mjs")], env=env, check=True,
                       capture_output=True, text=True)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.serve.stop()
        cls.data_home.cleanup()

    def run_notebook(self, name: str) -> None:
        # What a kernel started by Jupyter with the Drover server extension inherits.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DROVER_")}
        env.update(XDG_DATA_HOME=self.data_home.name, DROVER_MANAGER_FILE=str(self.serve.manager_file),
                   PYTHONPATH=str(REPO / "core" / "python"), NO_COLOR="1")
        run = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "run-notebooks.py"), "--timeout", "120", "--grace", "0",
             "--out", str(ARTIFACTS), str(NOTEBOOKS / name)],
            env=env, capture_output=True, text=True, timeout=600)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("1 passed, 0 failed", run.stdout)

    def test_the_typescript_notebook_connects_to_the_drover_engine_cluster_and_computes(self) -> None:
        self.run_notebook("smoke-deno.ipynb")
        executed = (ARTIFACTS / "smoke-deno.ipynb").read_text()
        connection = self.serve.call("GET", "/api/clusters/nb-ts/connection")
        # The client shows itself by its address; neither token appears anywhere in the notebook.
        self.assertIn(f"Client({connection['address']}, connected)", executed)
        self.assertNotIn(connection["token"], executed)
        self.assertNotIn(self.serve.token, executed)

    def test_the_python_notebook_lists_the_clusters_and_shows_progress(self) -> None:
        self.run_notebook("smoke-python.ipynb")


if __name__ == "__main__":
    unittest.main()
