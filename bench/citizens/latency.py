#!/usr/bin/env python3
"""Latency of the citizen list pages of a running `teilhabe serve` (bench/citizens/run.sh).

    bench/citizens/latency.py BASE_URL API_KEY [--requests N] [--warmup N] [--pages N]
                              [--admin-email E --admin-password P] [--json FILE]

One keep-alive connection, one request at a time: each figure is what one user waits for,
measured from sending the request to the last byte of the answer (the client's own parsing is
outside the timing). Every case first runs --warmup requests that are not counted. A case is
a fixed URL requested --requests times, or ("deep") a filter whose next_cursor is followed
--pages pages into the list, each page timed. Prints one line per case and, with --json,
writes the figures for the report.
"""
import argparse
import http.client
import json
import re
import statistics
import sys
import time
import urllib.parse


def percentile(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    k = (len(sorted_ms) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_ms) - 1)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


class Client:
    def __init__(self, base, headers):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.headers = dict(headers)
        self.cookies = {}

    def request(self, method, path, body=None, extra=None):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if extra:
            headers.update(extra)
        path = urllib.parse.quote(path, safe="/?&=%.,+-_")
        t0 = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        ms = (time.perf_counter() - t0) * 1000
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";")[0].partition("=")
                self.cookies[k.strip()] = v.strip()
        return resp.status, data, ms


def summary(name, url, times, extra=None):
    s = sorted(times)
    out = {"case": name, "url": url, "n": len(s), "p50": percentile(s, 50),
           "p95": percentile(s, 95), "p99": percentile(s, 99), "max": s[-1] if s else None,
           "mean": statistics.fmean(s) if s else None}
    if extra:
        out.update(extra)
    return out


def fixed(client, name, path, warmup, n, expect_items=True):
    items = None
    for _ in range(warmup):
        status, data, _ = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"{name}: {path} answered {status}: {data[:300]!r}")
        if expect_items:
            items = len(json.loads(data)["items"])
    times = []
    for _ in range(n):
        status, _, ms = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"{name}: {path} answered {status}")
        times.append(ms)
    return summary(name, path, times, {"items": items} if expect_items else None)


def deep(client, name, path, warmup, pages):
    """Follows next_cursor `pages` pages deep; the warm-up walks the same pages first."""
    def walk(timed):
        times, cursor, people = [], None, 0
        for _ in range(pages):
            p = path + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            status, data, ms = client.request("GET", p)
            if status != 200:
                raise SystemExit(f"{name}: {p} answered {status}: {data[:300]!r}")
            body = json.loads(data)
            times.append(ms)
            people += len(body["items"])
            cursor = body["next_cursor"]
            if not cursor:
                break
        return times, people
    for _ in range(max(1, warmup // max(1, pages))):
        walk(False)
    times, people = walk(True)
    return summary(name, path + " (next_cursor followed)", times,
                   {"pages": len(times), "people": people})


def admin_login(base, email, password):
    c = Client(base, {"User-Agent": "teilhabe-bench"})
    status, data, _ = c.request("GET", "/admin/login")
    m = re.search(rb'name="csrf" value="([^"]+)"', data)
    if status != 200 or not m:
        raise SystemExit(f"admin log-in form: {status}")
    form = urllib.parse.urlencode({"csrf": m.group(1).decode(), "email": email,
                                   "password": password, "next": "/admin"})
    status, data, _ = c.request("POST", "/admin/login", form,
                                {"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (302, 303):
        raise SystemExit(f"admin log-in: {status}: {data[:300]!r}")
    return c


CASES = [
    # name, path: the filtered, paginated list of the target
    ("list district+tag", "/api/v1/citizens?district=Nord&tag=ehrenamt&limit=50"),
    ("list district", "/api/v1/citizens?district=Altstadt&limit=50"),
    ("list tag+interest", "/api/v1/citizens?tag=sport&interest=kultur&limit=50"),
    ("list field+district", "/api/v1/citizens?field.housing=Eigentum&district=Süd&limit=50"),
    ("list rare district+common tag", "/api/v1/citizens?district=Rosenau&tag=newsletter&limit=50"),
    ("list rare tag+rare district", "/api/v1/citizens?tag=vip&district=Talmühle&limit=50"),
    ("list restricted", "/api/v1/citizens?restricted=true&limit=50"),
    ("list unfiltered", "/api/v1/citizens?limit=50"),
    # name prefix search
    ("search q=Mül", "/api/v1/citizens?q=M%C3%BCl&limit=50"),
    ("search q=Sch", "/api/v1/citizens?q=Sch&limit=50"),
    ("search q=Zimmerm", "/api/v1/citizens?q=Zimmerm&limit=50"),
    ("search q=Xyl", "/api/v1/citizens?q=Xyl&limit=50"),
    ("search q=anna", "/api/v1/citizens?q=anna&limit=50"),
    ("search q=Schmidtke (nobody)", "/api/v1/citizens?q=Schmidtke&limit=50"),
    ("search q=Mül+district", "/api/v1/citizens?q=M%C3%BCl&district=Nord&limit=50"),
]
DEEP = [
    ("deep district+tag", "/api/v1/citizens?district=Nord&tag=ehrenamt&limit=50"),
    ("deep district", "/api/v1/citizens?district=Altstadt&limit=50"),
    ("deep search q=Mül", "/api/v1/citizens?q=M%C3%BCl&limit=50"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("key")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--admin-email")
    ap.add_argument("--admin-password")
    ap.add_argument("--only", help="run only cases whose name contains this text")
    ap.add_argument("--json")
    args = ap.parse_args()
    client = Client(args.base, {"Authorization": f"Bearer {args.key}",
                                "User-Agent": "teilhabe-bench"})
    results = []

    def report(r):
        results.append(r)
        more = "".join(f"  {k}={r[k]}" for k in ("items", "pages", "people") if k in r)
        print(f"{r['case']:<32} n={r['n']:<4} p50={r['p50']:7.2f} ms  p95={r['p95']:7.2f} ms  "
              f"p99={r['p99']:7.2f} ms  max={r['max']:7.2f} ms{more}", flush=True)

    for name, path in CASES:
        if not args.only or args.only in name:
            report(fixed(client, name, path, args.warmup, args.requests))
    for name, path in DEEP:
        if not args.only or args.only in name:
            report(deep(client, name, path, args.warmup, args.pages))
    if args.admin_email and (not args.only or args.only in "admin"):
        admin = admin_login(args.base, args.admin_email, args.admin_password)
        for name, path in [("admin list district+tag",
                            "/admin/citizens?district=Nord&tag=ehrenamt"),
                           ("admin search q=Mül", "/admin/citizens?q=M%C3%BCl")]:
            report(fixed(admin, name, path, args.warmup, args.requests, expect_items=False))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
