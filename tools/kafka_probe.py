#!/usr/bin/env python3
"""Check that HOST:PORT speaks the Kafka protocol: send ApiVersions v0 and Metadata v1, print what came back.

Standard library only, so it runs before any client is installed (`make broker-probe`). Exit 0 when the broker
answers both with error code 0, 1 otherwise.
"""
import socket
import struct
import sys

API_VERSIONS, METADATA = 18, 3


def request(sock, api_key, version, correlation_id, body=b""):
    client_id = b"news-enricher-probe"
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    data = recv_exact(sock, size)
    if struct.unpack(">i", data[:4])[0] != correlation_id:
        raise ValueError("correlation id mismatch")
    return data[4:]


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        buf += chunk
    return buf


def main():
    host, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9092").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        body = request(sock, API_VERSIONS, 0, 1)
        error, count = struct.unpack(">hi", body[:6])
        if error != 0:
            print(f"probe: ApiVersions error code {error}", file=sys.stderr)
            return 1
        keys = {struct.unpack(">hhh", body[6 + 6 * i : 12 + 6 * i])[0] for i in range(count)}
        missing = {0, 1, 2, 3, 8, 9, 10, 11, 12, 14} - keys  # produce/fetch/offsets/metadata/groups
        # Metadata v1 with a null topic array asks for every topic; the reply must name at least one broker.
        meta = request(sock, METADATA, 1, 2, struct.pack(">i", -1))
        brokers = struct.unpack(">i", meta[:4])[0]
    print(f"probe: {host}:{port} speaks Kafka: {count} API keys, {brokers} broker(s) in metadata")
    if missing:
        print(f"probe: missing API keys {sorted(missing)}", file=sys.stderr)
        return 1
    return 0 if brokers > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
