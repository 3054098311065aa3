"""An OpenAI-compatible HTTP server on 127.0.0.1 that misbehaves on cue.

Tests script a queue of behaviours (a 429 with Retry-After, a 500, a slow reply, a stream
cut mid-way, malformed JSON, an empty answer, a success) and then check what the gateway
did and how many requests the server saw. Stdlib only: a threading `http.server`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Behaviour:
    """One scripted reaction to one request.

    kind: ok | status | slow | trickle | cut | malformed | empty
    """

    kind: str
    text: str = "Hello from the fault server."
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    delay_s: float = 0.0


def ok(text: str = "Hello from the fault server.") -> Behaviour:
    """A normal answer: JSON, or SSE chunks when the request asked for a stream."""
    return Behaviour("ok", text=text)


def rate_limited(retry_after: str | None = "0") -> Behaviour:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Behaviour("status", status=429, headers=headers,
                     body=_error("Rate limit reached, slow down.", "rate_limit_exceeded"))


def server_error(status: int = 500) -> Behaviour:
    return Behaviour("status", status=status, body=_error("The server had an error.", "server_error"))


def status(code: int, message: str, err_type: str = "invalid_request_error",
           code_name: str | None = None) -> Behaviour:
    return Behaviour("status", status=code, body=_error(message, err_type, code_name))


def slow(delay_s: float, text: str = "too late") -> Behaviour:
    """Answer, but only after `delay_s` (past the client's timeout)."""
    return Behaviour("slow", text=text, delay_s=delay_s)


def trickle(text: str, every_s: float = 0.05) -> Behaviour:
    """A streamed answer whose words arrive `every_s` apart, so a client can stop it half way."""
    return Behaviour("trickle", text=text, delay_s=every_s)


def cut(text: str = "This answer stops half way") -> Behaviour:
    """Start an SSE stream, send a few words, then drop the connection without finishing."""
    return Behaviour("cut", text=text)


def cut_early() -> Behaviour:
    """Start an SSE stream and drop the connection before any text."""
    return Behaviour("cut", text="")


def malformed() -> Behaviour:
    return Behaviour("malformed")


def empty() -> Behaviour:
    """A 200 whose message content is empty."""
    return Behaviour("empty", text="")


def _error(message: str, err_type: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": err_type, "param": None, "code": code}}


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FaultServer:
    """Serve scripted behaviours in order; when the queue is empty, serve `default`.

    Use as a context manager. `url` is the OpenAI-style base (ending in /v1); `requests`
    lists every chat request seen, `count` how many.
    """

    def __init__(self, *script: Behaviour, default: Behaviour | None = None, port: int = 0):
        self._queue: deque[Behaviour] = deque(script)
        self.default = default or ok()
        self.requests: list[SeenRequest] = []
        self.metrics: dict[str, float] = {"requests_processing": 0, "tokens_predicted_total": 0}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True, name="faultserver")

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes any slow handler still sleeping
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- script ------------------------------------------------------------------------------
    def enqueue(self, *behaviours: Behaviour) -> FaultServer:
        with self._lock:
            self._queue.extend(behaviours)
        return self

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def _next(self, seen: SeenRequest) -> Behaviour:
        with self._lock:
            self.requests.append(seen)
            return self._queue.popleft() if self._queue else self.default


def _completion_body(model: str, text: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 11, "completion_tokens": max(1, len(text.split())),
                  "total_tokens": 11 + max(1, len(text.split()))},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {"id": "chatcmpl-fault", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # /health, /v1/models and llama.cpp-style /metrics
            if self.path == "/metrics":
                text = "".join(f"llamacpp:{k} {v}\n" for k, v in server.metrics.items())
                self._raw(200, text.encode(), "text/plain")
                return
            self._json(200, {"status": "ok", "data": [{"id": "fault", "object": "model"}]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
            seen = SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            behaviour = server._next(seen)
            model = str(body.get("model", "fault"))
            streaming = bool(body.get("stream"))
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            kind = behaviour.kind
            if kind == "status":
                self._json(behaviour.status, behaviour.body or {}, behaviour.headers)
            elif kind == "slow":
                if server._stopping.wait(behaviour.delay_s):
                    return
                self._answer(model, behaviour.text, streaming, usage)
            elif kind == "trickle":
                try:
                    self._answer(model, behaviour.text, streaming, usage, behaviour.delay_s)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading
                    pass
            elif kind == "malformed":
                self._raw(200, b'{"id": "chatcmpl-fault", "choices": [{"mess', "application/json")
            elif kind == "cut":
                self._cut(model, behaviour.text)
            else:  # ok / empty
                self._answer(model, behaviour.text, streaming, usage)

        # -- writers -------------------------------------------------------------------------
        def _answer(self, model: str, text: str, streaming: bool, usage: bool = False,
                    gap_s: float = 0.0) -> None:
            if not streaming:
                self._json(200, _completion_body(model, text))
                return
            self._start_chunked()
            self._write_chunk(_chunk(model, {"role": "assistant", "content": ""}))
            for word in _words(text):
                if gap_s and server._stopping.wait(gap_s):
                    return
                self._write_chunk(_chunk(model, {"content": word}))
            self._write_chunk(_chunk(model, {}, "stop"))
            if usage:  # OpenAI sends usage in a last chunk with no choices
                last = {"id": "chatcmpl-fault", "object": "chat.completion.chunk", "created": 0,
                        "model": model, "choices": [],
                        "usage": _completion_body(model, text)["usage"]}
                self._write_chunk(f"data: {json.dumps(last)}\n\n".encode())
            self._write_chunk(b"data: [DONE]\n\n")
            self._end_chunked()

        def _cut(self, model: str, text: str) -> None:
            self._start_chunked()
            for word in _words(text)[:3] if text else []:
                self._write_chunk(_chunk(model, {"content": word}))
            self._write_chunk(_chunk(model, {"role": "assistant", "content": ""}))
            # Drop the connection without the closing chunk: the client sees a broken body.
            self.wfile.flush()
            self.close_connection = True
            try:
                import socket

                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _start_chunked(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()

        def _write_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _end_chunked(self) -> None:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _json(self, code: int, body: dict[str, Any], headers: dict[str, str] | None = None,
                  ) -> None:
            self._raw(code, json.dumps(body).encode(), "application/json", headers)

        def _raw(self, code: int, data: bytes, ctype: str,
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass

    return Handler


def _words(text: str) -> list[str]:
    parts = text.split(" ")
    return [p + (" " if i < len(parts) - 1 else "") for i, p in enumerate(parts)]


def main(argv: list[str] | None = None) -> int:
    """Stand in for `coach.llm.local_server` in tests: serve `ok` on --port until killed."""
    import argparse
    import signal

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args, _ = parser.parse_known_args(argv)  # the real server's other flags are ignored
    server = FaultServer(port=args.port)
    signal.signal(signal.SIGTERM, lambda *_: server._stopping.set())
    server.start()
    server._stopping.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
