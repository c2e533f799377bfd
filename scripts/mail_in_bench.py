#!/usr/bin/env python3
"""Sends N new mails to a running `deskport serve --demo --smtp-listen` and reports mails/s and
the p95 time from the end of a message to the listener's 250 (given only after the ticket is
committed). The demo portal is switched to self-registration first, so each mail comes from a
new sender (one sender may send 30 an hour) and opens its own ticket.

    deskport serve --demo --data-dir /tmp/bench --listen 127.0.0.1:7878 --smtp-listen 127.0.0.1:2525 &
    python3 scripts/mail_in_bench.py --api http://127.0.0.1:7878/api/v1 --smtp 127.0.0.1:2525 -n 1000
"""

import argparse
import json
import smtplib
import statistics
import threading
import time
import urllib.request


def call(api, method, path, token=None, body=None, headers=None):
    request = urllib.request.Request(api + path, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data, timeout=30) as answer:
        return json.load(answer), answer.headers


def open_to_strangers(api):
    """Signs in as the demo admin, switches to self-registration, returns the reply domain."""
    login, _ = call(api, "POST", "/auth/login", body={"email": "ada@deskport.test", "password": "deskport-demo"})
    token = login["token"]
    portal, headers = call(api, "GET", "/portal", token)
    access = dict(portal["access"], mode="self_registration")
    call(api, "PATCH", "/portal", token, {"access": access}, {"if-match": headers["etag"]})
    return (portal.get("email") or {}).get("inbound_domain") or portal["domain"]


def sender(host, port, domain, numbers, times, run):
    client = smtplib.SMTP(host, port, timeout=60)
    client.ehlo("bench.test")
    for n in numbers:
        address = f"bench-{run}-{n}@bench.test"
        message = (
            f"From: Bench {n} <{address}>\r\nTo: support@{domain}\r\nSubject: bench mail {n}\r\n"
            f"Message-ID: <bench-{run}-{n}@bench.test>\r\n\r\nHello, this is mail {n}.\r\n"
        )
        client.mail(address)
        client.rcpt(f"support@{domain}")
        started = time.perf_counter()
        code, _ = client.data(message)
        times.append(time.perf_counter() - started)
        if code != 250:
            raise SystemExit(f"mail {n}: {code}")
    client.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", default="http://127.0.0.1:7878/api/v1")
    parser.add_argument("--smtp", default="127.0.0.1:2525")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    host, port = args.smtp.rsplit(":", 1)
    domain = open_to_strangers(args.api)
    run = int(time.time())
    times = []
    threads = [
        threading.Thread(
            target=sender,
            args=(host, int(port), domain, range(i, args.n, args.connections), times, run),
        )
        for i in range(args.connections)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if len(times) != args.n:
        raise SystemExit(f"only {len(times)} of {args.n} mails were taken")
    p95 = statistics.quantiles(times, n=100)[94]
    print(f"{args.n} mails over {args.connections} connections in {elapsed:.2f} s: "
          f"{args.n / elapsed:.0f} mails/s, end of message to 250 (ticket committed) "
          f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
