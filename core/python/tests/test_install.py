"""install_pth.py: `import drover` in any Debian Python of the user, without pip."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def python(code: str, userbase: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONUSERBASE": userbase},
                          cwd="/", capture_output=True, text=True, timeout=60)


class InstallPth(unittest.TestCase):
    def test_the_pth_file_makes_drover_importable_from_anywhere_and_can_be_removed(self) -> None:
        with tempfile.TemporaryDirectory() as userbase:
            self.assertNotEqual(python("import drover", userbase).returncode, 0)
            script = [sys.executable, str(HERE / "install_pth.py")]
            env = {**os.environ, "PYTHONUSERBASE": userbase}
            first = subprocess.run(script, env=env, capture_output=True, text=True, check=True)
            again = subprocess.run(script, env=env, capture_output=True, text=True, check=True)
            self.assertEqual(first.stdout, again.stdout)
            self.assertIn(f"-> {HERE}", first.stdout)
            found = python("import drover; print(drover.__file__)", userbase)
            self.assertEqual(found.stdout.strip(), str(HERE / "drover" / "__init__.py"), found.stderr)
            subprocess.run(script + ["--uninstall"], env=env, capture_output=True, check=True)
            self.assertNotEqual(python("import drover", userbase).returncode, 0)


if __name__ == "__main__":
    unittest.main()
