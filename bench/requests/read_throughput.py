"""`GET /open311/v2/requests/{id}.json` throughput against a bare Django JSON view, same server, same run.

    .venv/bin/python bench/requests/read_throughput.py [--web-workers 2] [--concurrency 16] [--requests 4000]

Both endpoints are served by the same uvicorn workers running the same ASGI application and
middleware (the bare view is added by bench/requests/urls.py). The two loads alternate three times
and the best round of each is compared, so a burst of noise from other processes on the machine
hurts neither side alone. Needs requests in the bench-la agency (run replay_open311.py first).
"""

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.requests.common import bench_env, django_setup, http_request, percentile, run_load, start_stack

SLUG = "bench-la"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = bench_env()
    django_setup(env)
    from requests_app.models import ServiceRequest
    from tenants.models import Agency

    agency = Agency.objects.get(slug=SLUG)
    references = list(ServiceRequest.objects.for_agency(agency).values_list("reference", flat=True)[:2000])
    if not references:
        raise SystemExit("No requests to read: run bench/requests/replay_open311.py first.")
    rng = random.Random(1)
    detail = [
        http_request("GET", f"/open311/v2/requests/{rng.choice(references)}.json?jurisdiction_id={SLUG}")
        for _ in range(args.requests)
    ]
    bare = [http_request("GET", "/bench/bare.json")] * args.requests
    stack = start_stack(env, web_workers=args.web_workers)
    try:
        sample = run_load(stack.port, detail[:1], 1)[0][0]
        assert sample.status == 200, sample
        print("sample record:", json.dumps(json.loads(sample.body)[0])[:300], "…")
        run_load(stack.port, detail[:300] + bare[:300], 8)  # warm up both
        best = {"detail": (0.0, None), "bare": (0.0, None)}
        cpu = {"detail": [], "bare": []}
        for round_number in range(1, args.rounds + 1):
            for name, load in (("bare", bare), ("detail", detail)):
                before = stack.cpu_seconds()
                results, elapsed = run_load(stack.port, load, args.concurrency)
                after = stack.cpu_seconds()
                web_ms = (after["web"] - before["web"]) / len(load) * 1000
                pg_ms = (after["postgres"] - before["postgres"]) / len(load) * 1000
                cpu[name].append(web_ms + pg_ms)
                ok = sum(r.status == 200 for r in results)
                rate = ok / elapsed
                latencies = [r.seconds * 1000 for r in results]
                print(
                    f"round {round_number} {name:6}: {ok}/{len(results)} OK, {rate:7.0f} req/s, "
                    f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms; "
                    f"CPU/request web {web_ms:.2f} ms + PostgreSQL {pg_ms:.2f} ms"
                )
                if rate > best[name][0]:
                    best[name] = (rate, latencies)
        ratio = best["detail"][0] / best["bare"][0]
        bare_cpu, detail_cpu = min(cpu["bare"]), min(cpu["detail"])
        print(
            f"CPU per request (web + PostgreSQL, best round): bare {bare_cpu:.2f} ms, detail {detail_cpu:.2f} ms "
            f"-> CPU-bound throughput ratio {bare_cpu / detail_cpu:.0%}"
        )
        print(
            f"best: requests/{{id}}.json {best['detail'][0]:.0f} req/s, bare JSON view {best['bare'][0]:.0f} req/s "
            f"-> {ratio:.0%} of the bare view (target >= 50%)"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
