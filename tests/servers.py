"""Servers that misbehave, on loopback, for the failure tests."""

import socket
import threading


class HangingServer:
    """A server that accepts connections and never says a word."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        self.socket.settimeout(0.2)
        while not self.stop.is_set():
            try:
                self.accepted.append(self.socket.accept()[0])
            except OSError:
                continue

    def close(self):
        self.stop.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.socket.close()
