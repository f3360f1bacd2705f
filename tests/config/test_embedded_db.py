"""The embedded PostgreSQL of `make run` stops with the last process using it, also after an earlier
run was killed (a closed terminal) and could not say it had stopped using it."""

import json
import subprocess
import sys

from config.embedded_db import forget_killed_users


def test_a_killed_process_no_longer_keeps_the_embedded_server_running(tmp_path):
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    killed.kill()
    killed.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        users = tmp_path / ".handle_pids.json"
        users.write_text(json.dumps([killed.pid, running.pid]))
        assert forget_killed_users(tmp_path) == [running.pid]
        assert json.loads(users.read_text()) == [running.pid]
    finally:
        running.kill()
        running.wait()


def test_no_list_yet_is_an_empty_one(tmp_path):
    assert forget_killed_users(tmp_path) == []
    assert not (tmp_path / ".handle_pids.json").exists()
