"""DSP-01 score, CPU and plan changes of the repeatable search at several work budgets, on calls
captured by ``bench.capture_solves``: python -m bench.solver_budget 2000,500,300 0 92 /tmp/speed/calls"""

import glob
import pickle
import sys
import time
from pathlib import Path

from guifan.optimize import pyvrp_dispatch
from guifan.optimize import solve as S

budgets = [int(x) for x in sys.argv[1].split(",")]
files = sorted(glob.glob(sys.argv[4] + "/*.pkl"))[int(sys.argv[2]) : int(sys.argv[3])]
tot = {b: [0, 0.0, 0, 0.0] for b in budgets}
diff = {b: 0 for b in budgets}
for f in files:
    problem, params, _tl, seed = pickle.loads(Path(f).read_bytes())["args"]
    todo = [j for j in problem.jobs if S.unreachable_reason(problem, j, params.timing) is None]
    if not todo or not problem.technicians:
        continue
    ref = None
    row = [f[-8:-4], len(todo)]
    for b in budgets:
        t = time.process_time()
        raw = pyvrp_dispatch.search(problem, todo, params, iterations=b, seed=seed)
        secs = time.process_time() - t
        p = S._plan(problem, todo, raw, params, [])
        w, negkm = S._score(p, problem, params)
        a = tot[b]
        a[0] += w
        a[1] += -negkm
        a[2] += len(p.unassigned)
        a[3] += secs
        routes = [(r.technician, [s.job for s in r.stops]) for r in p.routes]
        if ref is None:
            ref = routes
        elif routes != ref:
            diff[b] += 1
        row.append(f"{b}:{w},{-negkm:.1f},{secs:.2f}s")
    print(*row, flush=True)
for b, (w, km, un, secs) in tot.items():
    print(
        f"iterations {b}: weight {w}, km {km:.1f}, unassigned {un}, CPU s {secs:.1f}, plans differing from first budget {diff[b]}"
    )
