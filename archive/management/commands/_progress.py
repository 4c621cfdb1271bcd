"""The import commands' progress: a bar redrawn in place on a terminal, a plain line every
tenth of the way in a log."""

import sys
import time


class Progress:
    def __init__(self, stream, label):
        self.stream, self.label = stream, label
        self.terminal = hasattr(stream, "isatty") and stream.isatty()
        self.said, self.started = -1, time.monotonic()

    def __call__(self, done, total):
        total = max(total, 1)
        if self.terminal:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = 10 * done // total
        if tenth != self.said:
            self.said = tenth
            seconds = time.monotonic() - self.started
            self.stream.write(f"{self.label}: {done}/{total} ({seconds:.0f} s)\n")


def stream_of(command):
    return getattr(command.stdout, "_out", sys.stdout)
