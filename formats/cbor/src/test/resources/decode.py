# Decodes a vmstate cbor stream with python3-cbor2, an independent decoder (issue #4).
# Usage: python3 decode.py FILE
# Skips the binary envelope by its own length field (magic "VMST", version, be16 L: the body
# starts at 7 + L), then decodes the CBOR sequence (RFC 8742) item by item from the first byte
# after it (schema items, then the records; a device state is a compact array, read against the
# schema item it names), and prints one JSON document: {"body": N, "items": [{"offset": O, "end": E, "item": V}]}
# where V tags every value with its CBOR type, so nothing is lost on the way to JSON:
#   {"map": [[key, V], ...]} (keys in stream order), {"array": [V, ...]}, {"text": s},
#   {"bytes": hex}, {"int": decimal string}, {"float": 16 hex digits of the IEEE 754 bits},
#   {"bool": b}, {"null": true}, and {"other": repr} for anything else (tags, simple values).
import io
import json
import struct
import sys

import cbor2


def tagged(v):
    if isinstance(v, bool):
        return {"bool": v}
    if v is None:
        return {"null": True}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": "%016x" % struct.unpack(">Q", struct.pack(">d", v))[0]}
    if isinstance(v, str):
        return {"text": v}
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": bytes(v).hex()}
    if isinstance(v, list):
        return {"array": [tagged(x) for x in v]}
    if isinstance(v, dict):
        return {"map": [[k if isinstance(k, str) else {"other": repr(k)}, tagged(x)] for k, x in v.items()]}
    return {"other": repr(v)}


def main(path):
    data = open(path, "rb").read()
    if data[:4] != b"VMST":
        raise SystemExit("not a vmstate envelope")
    body = 7 + struct.unpack(">H", data[5:7])[0]
    f = io.BytesIO(data[body:])
    decoder = cbor2.CBORDecoder(f)
    items = []
    while f.tell() < len(data) - body:
        start = f.tell()
        value = decoder.decode()
        items.append({"offset": body + start, "end": body + f.tell(), "item": tagged(value)})
    print(json.dumps({"body": body, "items": items}))


if __name__ == "__main__":
    main(sys.argv[1])
