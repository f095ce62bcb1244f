"""Runs a command on a pseudo-terminal as a person at a keyboard would: waits for each prompt, then
types its answer and Enter. Prints what the terminal showed (base64 of the raw bytes) and exits
with the command's status.

Usage: tty_run.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND [ARG ...]"""
import base64
import os
import pty
import select
import sys
import time

split = sys.argv.index("--")
steps = sys.argv[1:split]
command = sys.argv[split + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

screen = b""
# Only for a command that hangs: each wait below ends as soon as its prompt shows or the terminal
# closes. Below the 90 s the suite gives spawnSync, so that a hang still shows what was on screen.
deadline = time.time() + 80


def read_more():
    """Reads what the command wrote within half a second; False once the terminal is closed."""
    global screen
    ready, _, _ = select.select([fd], [], [], 0.5)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    screen += chunk
    return bool(chunk)


position = 0
for prompt, answer in zip(steps[::2], steps[1::2]):
    while prompt.encode() not in screen[position:] and time.time() < deadline and read_more():
        pass
    position = len(screen)
    # What a terminal sends: the characters, then Enter as a carriage return.
    os.write(fd, answer.encode() + b"\r")

while time.time() < deadline and read_more():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(base64.b64encode(screen).decode())
sys.exit(os.waitstatus_to_exitcode(status))
