"""API submissions against a running stack: throughput, latency, and that every reference is unique
under concurrency (the per-agency sequence is one atomic upsert).

    PORT=8104 .venv/bin/python manage.py runstack          # in another terminal
    .venv/bin/python bench/registrations/bench_submit.py --base http://127.0.0.1:8104 --total 240 --concurrency 8
"""

import argparse
import random
import statistics
import sys
import threading
import time

import httpx

ANSWERS = {
    "us_citizen": True,
    "date_of_birth": "1990-03-27",
    "lives_in_city": True,
    "full_name": "Bench Applicant",
    "id_type": "ssn",
    "ssn": "123-45-6789",
    "home_address": {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701"},
    "registered_elsewhere": False,
    "ballot_language": "en",
    "email": "bench@example.com",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8104")
    parser.add_argument("--agency", default="springfield")
    parser.add_argument("--form", default="voter-registration")
    parser.add_argument("--total", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    url = f"{args.base}/api/v1/a/{args.agency}/forms/{args.form}/submissions/"
    per_worker = args.total // args.concurrency
    run = random.randint(0, 255)
    latencies: list[float] = []
    references: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        # Each worker looks like its own client: the anonymous throttle (30 submissions a minute) is per
        # address, and DRF takes the address from X-Forwarded-For (see RESULTS.md).
        headers = {"X-Forwarded-For": f"10.{run}.{index // 250}.{index % 250}"}
        with httpx.Client(timeout=30) as client:
            for _ in range(per_worker):
                start = time.perf_counter()
                response = client.post(url, json={"answers": ANSWERS}, headers=headers)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if response.status_code == 201:
                        references.append(response.json()["reference"])
                    else:
                        failures.append(f"{response.status_code} {response.text[:120]}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    print(f"submissions: {len(references)} ok, {len(failures)} failed, concurrency {args.concurrency}")
    print(f"throughput: {len(latencies) / wall:.1f} req/s over {wall:.1f} s")
    print(
        f"latency: p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(f"unique references: {len(set(references))} of {len(references)}")
    for failure in failures[:5]:
        print("  failure:", failure)
    return 0 if not failures and len(set(references)) == len(references) else 1


if __name__ == "__main__":
    sys.exit(main())
