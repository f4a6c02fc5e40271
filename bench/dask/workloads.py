#!/usr/bin/python3
"""The Dask half of Drover's side-by-side benchmarks.

Run with Debian's interpreter, which has dask/distributed 2022.12 and psutil:

    /usr/bin/python3 bench/dask/workloads.py --runs 3 --out results.json [--only name,...]

Workloads (names shared with the Drover half, see shared/research/dask-protocol-and-baseline.md §3):
  start    LocalCluster start until client.wait_for_workers(2) returns
  map10k   client.map(noop, range(10000), pure=False) + gather
  tree10k  binary sum tree, 5,000 leaves + 4,999 adds; only the compute is timed
  chain1k  1,000-step dependent chain through client.get on a raw graph
  sleep1k  client.map(a task of exactly 10 ms, range(1000), pure=False) + gather; ideal 5.0 s on
           2 slots. The task sleeps, then spins its last 0.5 ms: this machine's timers overshoot
           a 10 ms sleep by 0.2-0.3 ms, which is not the engine's doing.
  sleep1k-timer  the same with a plain time.sleep(0.01)
  mem100k  scheduler memory for 100,000 pending tasks, scheduler and workers as separate CLI
           processes; only run when named in --only

Each run of the first five starts a fresh LocalCluster(n_workers=2, threads_per_worker=1,
processes=True), warms it up with 200 tasks and waits for the scheduler to forget every task
between workloads. Progress goes to stderr; the JSON result goes to --out.

--started-by drover runs the same workloads on Dask clusters that Drover starts (drover.LocalCluster
through a `drover serve` this script runs), and --started-by both alternates the two, run by run, and
reports the ratio of medians (Drover-started / Python-started): what Drover's starting and watching
cost Dask's own throughput.
"""

import argparse
import json
import logging
import os
import platform
import signal
import statistics
import sys
import subprocess
import tempfile
import threading
import time

import dask
import distributed
import psutil
from distributed import Client, LocalCluster

CLUSTER_WORKLOADS = ["start", "map10k", "tree10k", "chain1k", "sleep1k", "sleep1k-timer"]
ALL_WORKLOADS = CLUSTER_WORKLOADS + ["mem100k"]
WARMUP_TASKS = 200
FORGET_TIMEOUT_S = 120


def log(message):
    print(f"[dask-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# Task bodies. They live in __main__, so cloudpickle ships them by value to the spawned workers.
def noop(x):
    return x


def add(a, b):
    return a + b


def inc(x):
    return x + 1


def sleep10ms(x):
    time.sleep(0.01)
    return x


def exact10ms(x):
    """Takes 10 ms to within a few microseconds: a sleep, then a spin (the timers overshoot)."""
    until = time.perf_counter() + 0.01
    time.sleep(0.0095)
    while time.perf_counter() < until:
        pass
    return x


def scheduler_task_count(dask_scheduler):
    return len(dask_scheduler.tasks)


def wait_until_forgotten(client):
    """Blocks until the scheduler holds no task, so one workload's cleanup is not timed in the next."""
    deadline = time.monotonic() + FORGET_TIMEOUT_S
    while client.run_on_scheduler(scheduler_task_count) > 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the scheduler still holds tasks after {FORGET_TIMEOUT_S} s")
        time.sleep(0.05)


def build_tree(leaves):
    """A delayed binary sum tree over range(leaves): leaves + (leaves - 1) tasks."""
    layer = [dask.delayed(noop, pure=True)(i, dask_key_name=f"leaf-{i}") for i in range(leaves)]
    level = 0
    while len(layer) > 1:
        level += 1
        pairs = [
            dask.delayed(add, pure=True)(layer[i], layer[i + 1], dask_key_name=f"add-{level}-{i}")
            for i in range(0, len(layer) - 1, 2)
        ]
        if len(layer) % 2:
            pairs.append(layer[-1])
        layer = pairs
    return layer[0]


def python_cluster(scratch):
    return LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
        local_directory=scratch,
    )


def drover_cluster(_scratch):
    import drover

    return drover.LocalCluster(n_workers=2, threads_per_worker=1)


def run_cluster_workloads(selected, runs, start_cluster=python_cluster):
    """Runs the LocalCluster workloads `runs` times, each time on a fresh cluster."""
    times = {name: [] for name in selected}
    # Workers keep their spill files here instead of leaving /tmp/dask-worker-space behind.
    scratch = tempfile.TemporaryDirectory(prefix="drover-dask-bench-")
    for run in range(1, runs + 1):
        log(f"run {run}/{runs}: starting {start_cluster.__name__}")
        started = time.perf_counter()
        cluster = start_cluster(scratch.name)
        try:
            with Client(cluster) as client:
                client.wait_for_workers(2)
                startup = time.perf_counter() - started
                if "start" in times:
                    times["start"].append(startup)
                log(f"run {run}: cluster up in {startup:.2f} s; warming up")
                client.gather(client.map(noop, range(WARMUP_TASKS), pure=False))
                wait_until_forgotten(client)
                for name in selected:
                    if name == "start":
                        continue
                    seconds = WORKLOADS[name](client, run)
                    times[name].append(seconds)
                    log(f"run {run}: {name} {seconds:.2f} s")
                    wait_until_forgotten(client)
        finally:
            cluster.close()
    scratch.cleanup()
    return times


def time_map10k(client, _run):
    started = time.perf_counter()
    futures = client.map(noop, range(10_000), pure=False)
    results = client.gather(futures)
    seconds = time.perf_counter() - started
    assert results == list(range(10_000)), "map10k returned wrong results"
    del futures
    return seconds


TREE_LEAVES = 5_000


def time_tree10k(client, _run):
    total = build_tree(TREE_LEAVES)  # graph construction is not timed
    started = time.perf_counter()
    future = client.compute(total)
    result = future.result()
    seconds = time.perf_counter() - started
    assert result == sum(range(TREE_LEAVES)), f"tree10k returned {result}"
    del future
    return seconds


CHAIN_STEPS = 1_000


def time_chain1k(client, run):
    prefix = f"chain-{run}"
    graph = {(prefix, 0): (inc, 0)}
    for i in range(1, CHAIN_STEPS):
        graph[(prefix, i)] = (inc, (prefix, i - 1))
    started = time.perf_counter()
    result = client.get(graph, (prefix, CHAIN_STEPS - 1))
    seconds = time.perf_counter() - started
    assert result == CHAIN_STEPS, f"chain1k returned {result}"
    return seconds


SLEEP_TASKS = 1_000
SLEEP_IDEAL_S = SLEEP_TASKS * 0.01 / 2  # two single-thread workers


def timed_sleeps(task):
    def run(client, _run):
        started = time.perf_counter()
        futures = client.map(task, range(SLEEP_TASKS), pure=False)
        results = client.gather(futures)
        seconds = time.perf_counter() - started
        assert results == list(range(SLEEP_TASKS)), f"{task.__name__} returned wrong results"
        del futures
        return seconds

    return run


WORKLOADS = {
    "map10k": time_map10k,
    "tree10k": time_tree10k,
    "chain1k": time_chain1k,
    "sleep1k": timed_sleeps(exact10ms),
    "sleep1k-timer": timed_sleeps(sleep10ms),
}


# ---------------------------------------------------------------------------------------------------
# mem100k: the scheduler as its own process, so its RSS is the scheduler's alone.
#
# Fairness: the 100,000 tasks must be measured as pending tasks, not as a moving mix of pending,
# running and finished ones, and the run must stay short (executing them all takes ~3 min here).
# So both workers start, warm up (200 tasks) and the idle RSS is taken with them connected; then
# they are paused, which is the state Dask itself puts a worker in when it passes its memory pause
# threshold. A paused worker gets no new task, so all 100,000 stay queued in the scheduler while
# "queued" RSS is taken. The workers run with the memory monitor's pause switched off
# (DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE=False) only so it does not resume them. Then the futures
# are cancelled and RSS is taken again once the scheduler has forgotten every task.

MEM_TASKS = 100_000
SAMPLE_INTERVAL_S = 0.05
PROCESS_START_TIMEOUT_S = 60
CLI = "/usr/bin/python3"


class RssSampler(threading.Thread):
    """Samples a process's RSS every 50 ms and keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = self.process.memory_info().rss
        self.stopped = threading.Event()

    def current(self):
        rss = self.process.memory_info().rss
        self.peak = max(self.peak, rss)
        return rss

    def run(self):
        while not self.stopped.wait(SAMPLE_INTERVAL_S):
            try:
                self.current()
            except psutil.Error:
                return


def start_process(args, env=None):
    # A session of its own so the whole tree (a nanny and its worker) can be killed as one group.
    return subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def stop_processes(processes):
    """SIGTERM to each process group, SIGKILL to what is left after 5 s; never raises."""
    for proc in processes:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def wait_for_file(path, proc):
    deadline = time.monotonic() + PROCESS_START_TIMEOUT_S
    while not os.path.exists(path) or os.path.getsize(path) == 0:
        if proc.poll() is not None:
            raise RuntimeError(f"the dask scheduler exited with code {proc.returncode} before it started")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the dask scheduler did not write {path} within {PROCESS_START_TIMEOUT_S} s")
        time.sleep(0.05)
    time.sleep(0.1)  # the file may be mid-write


def set_worker_status(dask_worker, paused):
    from distributed.core import Status

    dask_worker.status = Status.paused if paused else Status.running


def task_states(dask_scheduler):
    counts = {}
    for ts in dask_scheduler.tasks.values():
        counts[ts.state] = counts.get(ts.state, 0) + 1
    return counts


def paused_worker_count(dask_scheduler):
    return sum(ws.status.name == "paused" for ws in dask_scheduler.workers.values())


def mem100k_once(run, log):
    processes = []
    with tempfile.TemporaryDirectory(prefix="drover-dask-mem-") as tmp:
        scheduler_file = os.path.join(tmp, "scheduler.json")
        try:
            # --port 0: the OS picks a free port, and the scheduler file says which, with no race.
            scheduler = start_process(
                [CLI, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", scheduler_file]
            )
            processes.append(scheduler)
            wait_for_file(scheduler_file, scheduler)
            worker_env = dict(os.environ, DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE="False")
            for i in range(2):
                processes.append(start_process(
                    [CLI, "-m", "distributed.cli.dask_worker", "--scheduler-file", scheduler_file,
                     "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", f"w{i}",
                     "--local-directory", tmp],
                    env=worker_env,
                ))
            sampler = RssSampler(scheduler.pid)
            with Client(scheduler_file=scheduler_file, timeout=PROCESS_START_TIMEOUT_S) as client:
                client.wait_for_workers(2, timeout=PROCESS_START_TIMEOUT_S)
                client.gather(client.map(noop, range(WARMUP_TASKS), pure=False))
                wait_until_forgotten(client)
                time.sleep(1)  # let the warm-up's garbage settle before the idle reading
                idle = sampler.current()
                sampler.start()
                client.run(set_worker_status, paused=True)
                while client.run_on_scheduler(paused_worker_count) < 2:
                    time.sleep(0.05)

                started = time.perf_counter()
                futures = client.map(noop, range(MEM_TASKS), pure=False)
                submit_s = time.perf_counter() - started
                while client.run_on_scheduler(scheduler_task_count) < MEM_TASKS:
                    time.sleep(0.05)
                known_s = time.perf_counter() - started
                queued = sampler.current()
                states = client.run_on_scheduler(task_states)  # after the reading: it allocates
                log(f"mem100k run {run}: all known after {known_s:.2f} s, scheduler RSS {queued / 2**20:.0f} MiB")

                client.cancel(futures)
                del futures
                wait_until_forgotten(client)
                time.sleep(1)
                released = sampler.current()
                sampler.stopped.set()
                client.run(set_worker_status, paused=False)
            return {
                "submit_s": submit_s,
                "known_s": known_s,
                "idle_rss": idle,
                "queued_rss": queued,
                "peak_rss": sampler.peak,
                "released_rss": released,
                "bytes_per_task": (queued - idle) / MEM_TASKS,
                "task_states_when_measured": states,
            }
        finally:
            stop_processes(processes)


def measure_mem100k(runs, log):
    per_run = []
    for run in range(1, runs + 1):
        log(f"mem100k run {run}/{runs}: starting scheduler and 2 workers")
        per_run.append(mem100k_once(run, log))
    mib = 2**20

    def median(key):
        return statistics.median(r[key] for r in per_run)

    return {
        "runs": [round(r["known_s"], 4) for r in per_run],
        "median": round(median("known_s"), 4),
        "tasks": MEM_TASKS,
        "measured": "seconds from client.map until the scheduler holds all tasks; RSS of the scheduler process",
        "submit_s": round(median("submit_s"), 4),
        "idle_rss_mib": round(median("idle_rss") / mib, 1),
        "queued_rss_mib": round(median("queued_rss") / mib, 1),
        "peak_rss_mib": round(median("peak_rss") / mib, 1),
        "released_rss_mib": round(median("released_rss") / mib, 1),
        "bytes_per_task": round(median("bytes_per_task")),
        "per_run": per_run,
    }


def summarize(name, runs):
    median = statistics.median(runs)
    entry = {"runs": [round(s, 4) for s in runs], "median": round(median, 4)}
    if name == "map10k":
        entry.update(tasks=10_000, tasks_per_s=round(10_000 / median, 1))
    elif name == "tree10k":
        tasks = 2 * TREE_LEAVES - 1
        entry.update(tasks=tasks, tasks_per_s=round(tasks / median, 1))
    elif name == "chain1k":
        entry.update(tasks=CHAIN_STEPS, ms_per_step=round(median / CHAIN_STEPS * 1000, 3))
    elif name in ("sleep1k", "sleep1k-timer"):
        entry.update(tasks=SLEEP_TASKS, ideal_s=SLEEP_IDEAL_S, efficiency=round(SLEEP_IDEAL_S / median, 3))
    return entry


class drover_manager:
    """A `drover serve` of this checkout for the run, found by the drover package through its file."""

    def __enter__(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        sys.path.insert(0, os.path.join(root, "core", "python"))
        self.home = tempfile.TemporaryDirectory(prefix="drover-bench-home-")
        runtime = os.path.join(self.home.name, "runtime")
        os.mkdir(runtime, 0o700)
        env = {**os.environ, "XDG_RUNTIME_DIR": runtime, "XDG_STATE_HOME": os.path.join(self.home.name, "state")}
        self.process = subprocess.Popen(["node", os.path.join(root, "core", "bin", "drover.mjs"), "serve", "--port", "0",
                                         "--no-restore", "--exit-with-stdin"], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        path = os.path.join(runtime, "drover", f"serve-{self.process.pid}.json")
        wait_for_file(path, self.process)
        os.environ["DROVER_MANAGER_FILE"] = path
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.home.cleanup()


def compare_starters(selected, runs, started_by):
    """Medians per starter and, for both, the ratio drover/python, alternating starters run by run."""
    starters = {"python": python_cluster, "drover": drover_cluster}
    chosen = ["python", "drover"] if started_by == "both" else [started_by]
    times = {who: {name: [] for name in selected} for who in chosen}
    for run in range(runs):
        for who in chosen:
            for name, seconds in run_cluster_workloads(selected, 1, starters[who]).items():
                times[who][name].extend(seconds)
    report = {who: {name: summarize(name, t) for name, t in per.items()} for who, per in times.items()}
    if started_by == "both":
        report["ratio_drover_over_python"] = {
            name: round(report["drover"][name]["median"] / report["python"][name]["median"], 3) for name in selected}
        log(f"drover-started / python-started (medians): {report['ratio_drover_over_python']}")
    return report


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="fresh clusters per workload (default 3)")
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--started-by", choices=["python", "drover", "both"], default="python",
                        help="who starts the Dask clusters (default python: distributed.LocalCluster)")
    parser.add_argument(
        "--only",
        default=",".join(CLUSTER_WORKLOADS),
        help=f"comma-separated workloads out of {','.join(ALL_WORKLOADS)} (default: all but mem100k)",
    )
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in args.only if name not in ALL_WORKLOADS]
    if unknown or not args.only:
        parser.error(f"--only: unknown workload(s) {unknown}; choose from {','.join(ALL_WORKLOADS)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    # A SIGTERM from the bench runner becomes SystemExit, so every finally below still stops its processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logging.getLogger("distributed").setLevel(logging.ERROR)
    load_before = os.getloadavg()
    result = {
        "engine": "dask",
        "version": distributed.__version__,
        "dask_version": dask.__version__,
        "python": platform.python_version(),
        "host": {"cpus": os.cpu_count(), "loadavg_before": [round(x, 2) for x in load_before]},
        "config": {"runs": args.runs, "workers": 2, "threads_per_worker": 1, "warmup_tasks": WARMUP_TASKS},
        "workloads": {},
    }
    selected = [name for name in CLUSTER_WORKLOADS if name in args.only]
    if selected and args.started_by == "python":
        for name, runs in run_cluster_workloads(selected, args.runs).items():
            result["workloads"][name] = summarize(name, runs)
    elif selected:
        with drover_manager():
            result["started_by"] = compare_starters(selected, args.runs, args.started_by)
    if "mem100k" in args.only:
        result["workloads"]["mem100k"] = measure_mem100k(args.runs, log)
    result["host"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
