"""PyKMIP's ProxyKmipClient as the benchmarks use it: TLS 1.2 with the test PKI, no config file."""
from kmip.pie.client import ProxyKmipClient


def connect(host, port, cert, key, ca):
    return ProxyKmipClient(
        hostname=host,
        port=int(port),
        cert=cert,
        key=key,
        ca=ca,
        ssl_version="PROTOCOL_TLSv1_2",
        config_file="/dev/null",
    )
