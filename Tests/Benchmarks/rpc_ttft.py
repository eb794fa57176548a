#!/usr/bin/env python3
"""Time to first token through Aid's JSON-RPC socket (models/complete, streamed) against the
same streamed request sent straight to the upstream, alternating, one connection each.

  rpc_ttft.py --socket PATH --direct http://127.0.0.1:18080 --n 500
"""
import argparse
import http.client
import json
import socket
import statistics
import time
from urllib.parse import urlparse

now = time.perf_counter
MESSAGES = [{"role": "user", "content": "Say something."}]


class RPC:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 0

    def send(self, method, params):
        self.next_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.next_id

    def read(self):
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = int(self.buffer[:end].split(b":")[1])
                if len(self.buffer) >= end + 4 + length:
                    body = self.buffer[end + 4:end + 4 + length]
                    self.buffer = self.buffer[end + 4 + length:]
                    return json.loads(body)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the daemon closed the connection")
            self.buffer += chunk

    def ttft(self):
        """Seconds to the first models/delta, and to the result."""
        start = now()
        request = self.send("models/complete", {"messages": MESSAGES, "maxTokens": 64})
        first = None
        while True:
            message = self.read()
            if message.get("method") == "models/delta" and first is None:
                first = now() - start
            elif message.get("id") == request:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return first, now() - start


def direct_ttft(conn, model):
    body = json.dumps({"model": model, "max_tokens": 64, "stream": True, "messages": MESSAGES}).encode()
    start = now()
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    first = None
    for line in response:
        if line.startswith(b"data:") and b"[DONE]" not in line and first is None and b'"content": ""' not in line and b'"content":""' not in line:
            first = now() - start
    return first, now() - start


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--direct", required=True)
    ap.add_argument("--model", default="mock-gpt")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--warmup", type=int, default=30)
    args = ap.parse_args()
    url = urlparse(args.direct)
    assert url.hostname in ("127.0.0.1", "localhost"), "loopback only"
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    rpc = RPC(args.socket)
    rpc.send("initialize", {"clientName": "rpc_ttft", "clientVersion": "1"})
    rpc.read()
    direct, via = [], []
    for i in range(args.warmup + args.n):
        d = direct_ttft(conn, args.model)[0]
        v = rpc.ttft()[0]
        if i >= args.warmup:
            direct.append(d * 1000)
            via.append(v * 1000)
    print(f"models/complete over the socket, time to first token, {args.n} requests (ms):")
    print(f"{'':8}{'p50':>8}{'p90':>8}{'p99':>8}")
    for name, values in (("direct", direct), ("aid rpc", via)):
        print(f"{name:8}" + "".join(f"{pct(values, p):8.3f}" for p in (50, 90, 99)))
    print(f"{'added':8}" + "".join(f"{pct(via, p) - pct(direct, p):8.3f}" for p in (50, 90, 99)))


if __name__ == "__main__":
    main()
