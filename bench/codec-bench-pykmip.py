"""PyKMIP side of bench/codec-bench.ts: decode and encode ops/s of kmip.core.messages.ResponseMessage.

Reads {"seconds": float, "messages": {name: hex}} as JSON on stdin and prints {name: {"decode": ops/s,
"encode": ops/s, "roundTrip": bool}} as JSON on stdout. Run with /usr/bin/python3 (the Debian PyKMIP).
"""
import json
import sys
import time

from kmip.core import utils
from kmip.core.messages import messages


def ops_per_second(operation, seconds):
    for _ in range(20):  # warm-up
        operation()
    count = 0
    start = time.perf_counter()
    while True:
        for _ in range(50):
            operation()
        count += 50
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def measure(data, seconds):
    def decode():
        message = messages.ResponseMessage()
        message.read(utils.BytearrayStream(data))
        return message

    decoded = decode()

    def encode():
        stream = utils.BytearrayStream()
        decoded.write(stream)
        return bytes(stream.buffer)

    return {
        "decode": ops_per_second(decode, seconds),
        "encode": ops_per_second(encode, seconds),
        "roundTrip": encode() == data,
    }


def main():
    request = json.load(sys.stdin)
    seconds = float(request["seconds"])
    results = {name: measure(bytes.fromhex(hex_data), seconds) for name, hex_data in request["messages"].items()}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
