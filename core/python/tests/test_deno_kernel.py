"""scripts/install-deno-kernel.mjs: the kernelspec under $XDG_DATA_HOME, idempotent, and the deno.json
that makes @drover/core importable from a notebook folder outside the repository."""

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from .serve import REPO

SCRIPT = REPO / "scripts" / "install-deno-kernel.mjs"


def install(*args: str, data_home: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(SCRIPT), *args], env={**os.environ, "XDG_DATA_HOME": data_home},
                          capture_output=True, text=True, timeout=120)


class DenoKernel(unittest.TestCase):
    def test_the_kernelspec_runs_the_pinned_deno_and_a_second_run_changes_nothing(self) -> None:
        with tempfile.TemporaryDirectory() as data_home:
            first = install(data_home=data_home)
            self.assertEqual(first.returncode, 0, first.stderr)
            path = Path(data_home) / "jupyter" / "kernels" / "deno" / "kernel.json"
            self.assertIn(f"wrote {path}", first.stdout)
            spec = json.loads(path.read_text())
            deno = spec["argv"][0]
            self.assertEqual(spec["argv"][1:], ["jupyter", "--kernel", "--conn", "{connection_file}"])
            self.assertEqual(spec["language"], "typescript")
            version = subprocess.run([deno, "--version"], capture_output=True, text=True, check=True).stdout
            self.assertTrue(version.startswith("deno 2.7.14 "), version)
            second = install(data_home=data_home)
            self.assertIn(f"unchanged {path}", second.stdout)
            named = install("--name", "deno-drover", data_home=data_home)
            self.assertIn("kernels/deno-drover/kernel.json", named.stdout)
            bad = install("--name", "../x", data_home=data_home)
            self.assertEqual(bad.returncode, 2)
            self.assertIn("--name: a kernelspec name is letters", bad.stderr)

    def test_a_notebook_folder_outside_the_repository_imports_drover_with_no_registry(self) -> None:
        with tempfile.TemporaryDirectory() as data_home, tempfile.TemporaryDirectory() as folder:
            done = install("--notebook-dir", folder, data_home=data_home)
            self.assertEqual(done.returncode, 0, done.stderr)
            script = Path(folder) / "check.ts"
            script.write_text('import { connect, capture } from "@drover/core/notebook";\n'
                              'import { Client } from "@drover/core";\n'
                              'console.log(typeof connect, typeof capture, typeof Client.connect);\n')
            deno = json.loads((Path(data_home) / "jupyter" / "kernels" / "deno" / "kernel.json").read_text())["argv"][0]
            # A dead registry proves nothing is fetched.
            run = subprocess.run([deno, "run", "-A", "check.ts"], cwd=folder, capture_output=True, text=True,
                                 timeout=120, env={**os.environ, "NPM_CONFIG_REGISTRY": "http://127.0.0.1:9/",
                                                   "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "1",
                                                   "DENO_DIR": str(Path(folder) / ".deno")})
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.strip(), "function function function")


if __name__ == "__main__":
    unittest.main()
