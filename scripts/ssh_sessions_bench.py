#!/usr/bin/env python3
"""Memory of SSH app sessions: starts `deskport serve --demo --ssh` (the debug binary unless
DESKPORT_BIN says otherwise) in a temporary dir, opens N customer sessions with the real
`ssh` client in pseudo-terminals (5 demo customers, at most 4 sessions each), waits until
each shows its ticket list, and prints the server's resident memory idle, with N sessions
open and after they close, for ROUNDS rounds; also sign-in to first frame. N is the first
argument (default 20, at most 20: the per-account seats), ROUNDS the second (default 2).
Keep N x ROUNDS at most 60: sign-ins from one address are rate limited (60 a minute).
Exits with status 1 when the level with all sessions closed grows by more than
MAX_GROWTH_MIB a round on average: closed sessions' memory must go back."""
import os, pty, re, select, signal, struct, subprocess, sys, tempfile, time, fcntl, termios

BIN = os.environ.get("DESKPORT_BIN", os.path.join(os.path.dirname(__file__), "..", "target", "debug", "deskport"))
MAX_GROWTH_MIB = 4
CUSTOMERS = ["carla@acme.test", "dan@acme.test", "gina@globex.test", "solo@example.test", "fran@example.test"]


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])


def start_server(d):
    log = open(f"{d}/serve.log", "w")
    env = {**os.environ, "RUST_LOG": "warn", "HOME": d}
    server = subprocess.Popen([BIN, "serve", "--demo", "--listen", "127.0.0.1:0", "--ssh", "127.0.0.1:0",
                               "--data-dir", f"{d}/server"], stderr=log, stdout=subprocess.DEVNULL, env=env)
    for _ in range(1200):
        m = re.search(r"serving the app over SSH on \S+:(\d+)", open(f"{d}/serve.log").read())
        if m:
            return server, m.group(1)
        time.sleep(0.1)
    sys.exit("the server did not start: " + open(f"{d}/serve.log").read())


def open_session(d, port, email):
    """An ssh client signed in as `email`; (pid, pty fd, seconds from password to first list)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("ssh", ["ssh", "-F", "/dev/null", "-p", port, "-o", "StrictHostKeyChecking=no",
                          "-o", f"UserKnownHostsFile={d}/known_hosts", "-o", "LogLevel=ERROR",
                          "-o", "PreferredAuthentications=keyboard-interactive", "customer@127.0.0.1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen, stage, started, typed = b"", 0, time.time(), 0.0
    while time.time() - started < 60:
        if select.select([fd], [], [], 0.5)[0]:
            seen += os.read(fd, 65536)
        if stage == 0 and b"Email:" in seen:
            os.write(fd, email.encode() + b"\r"); stage, seen = 1, b""
        elif stage == 1 and b"Password:" in seen:
            typed = time.time(); os.write(fd, b"deskport-demo\r"); stage, seen = 2, b""
        elif stage == 2 and b"Your tickets" in seen:
            return pid, fd, time.time() - typed
    sys.exit(f"no ticket list for {email}: {seen[-300:]!r}")


def drain(sessions):
    for _, fd, _ in sessions:
        try:
            while select.select([fd], [], [], 0)[0]:
                os.read(fd, 65536)
        except OSError:
            pass


def open_all(d, port, n):
    sessions = []
    for i in range(n):
        sessions.append(open_session(d, port, CUSTOMERS[i % len(CUSTOMERS)]))
        drain(sessions)
    for _ in range(6):
        drain(sessions); time.sleep(0.5)
    return sessions


def close_all(sessions):
    for pid, _, _ in sessions:
        os.kill(pid, signal.SIGTERM)
    time.sleep(3)


def main():
    n = min(int(sys.argv[1]) if len(sys.argv) > 1 else 20, 20)
    with tempfile.TemporaryDirectory() as d:
        server, port = start_server(d)
        try:
            time.sleep(2)
            idle = rss_kib(server.pid)
            print(f"server idle: {idle / 1024:.1f} MiB")
            sessions = open_all(d, port, n)
            full = rss_kib(server.pid)
            print(f"{n} sessions: {full / 1024:.1f} MiB, {(full - idle) / n / 1024:.1f} MiB a session")
            times = sorted(s[2] for s in sessions)
            print(f"password to ticket list: median {times[n // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
            close_all(sessions)
            left = len(os.listdir(f"{d}/server/ssh-sessions"))
            closed = [rss_kib(server.pid)]
            print(f"all closed: {closed[0] / 1024:.1f} MiB, session dirs left {left}")
            rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
            for round_no in range(2, rounds + 1):
                sessions = open_all(d, port, n)
                print(f"round {round_no}, {n} sessions: {rss_kib(server.pid) / 1024:.1f} MiB")
                close_all(sessions)
                closed.append(rss_kib(server.pid))
                print(f"all closed: {closed[-1] / 1024:.1f} MiB")
            if rounds > 1:
                growth = (closed[-1] - closed[0]) / (rounds - 1) / 1024
                print(f"all closed, growth a round: {growth:.1f} MiB")
                if growth > MAX_GROWTH_MIB:
                    sys.exit(f"closed sessions keep their memory: more than {MAX_GROWTH_MIB} MiB a round")
        finally:
            server.kill()


main()
