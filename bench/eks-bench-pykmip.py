"""PyKMIP's own client doing the KMIP operations of Apply and Recover (run by bench/eks-bench.ts).

Usage: /usr/bin/python3 bench/eks-bench-pykmip.py HOST PORT CERT KEY CA ITERATIONS WARMUP
Per iteration, each timed from opening the connection to closing it, with ProxyKmipClient (KMIP 1.2):
  apply:   connect, Register (AES-256 Symmetric Key with a Name), Activate, Get
  recover: connect, Locate (by that Name), Get
Prints one JSON line: {"apply": [ms, ...], "recover": [ms, ...]} (warm-up iterations not included).
"""
import json
import logging
import os
import sys
import time
import uuid

from kmip.core import enums
from kmip.core.factories import attributes as attribute_factory
from kmip.pie import objects
from pykmip_client import connect


def apply_once(args, name):
    started = time.perf_counter()
    with connect(*args) as client:
        key = objects.SymmetricKey(enums.CryptographicAlgorithm.AES, 256, os.urandom(32), name=name)
        uid = client.register(key)
        client.activate(uid)
        client.get(uid)
    return (time.perf_counter() - started) * 1000


def recover_once(args, name):
    factory = attribute_factory.AttributeFactory()
    name_attribute = factory.create_attribute(enums.AttributeType.NAME, name)
    started = time.perf_counter()
    with connect(*args) as client:
        uids = client.locate(attributes=[name_attribute])
        client.get(uids[0])
    return (time.perf_counter() - started) * 1000


def main():
    host, port, cert, key, ca, iterations, warmup = sys.argv[1:8]
    # PyKMIP logs each request; logging would dominate the measurement.
    logging.disable(logging.CRITICAL)
    args = (host, port, cert, key, ca)
    results = {"apply": [], "recover": []}
    for i in range(int(warmup) + int(iterations)):
        name = "eks-bench-pykmip/%s" % uuid.uuid4()
        apply_ms = apply_once(args, name)
        recover_ms = recover_once(args, name)
        if i >= int(warmup):
            results["apply"].append(apply_ms)
            results["recover"].append(recover_ms)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
