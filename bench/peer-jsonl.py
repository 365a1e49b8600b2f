"""The import bench's Python peer (bench/import.js): what a responder's quick script does with
CloudTrail S3 logs — gunzip each file, parse it, write every record as one JSON line. With
--orjson it uses orjson (exit 3 when it is not installed, so the bench can say so).
Usage: python3 bench/peer-jsonl.py [--orjson] FILE.json.gz... > out.jsonl
"""
import gzip
import json
import sys

args = sys.argv[1:]
use_orjson = bool(args) and args[0] == "--orjson"
if use_orjson:
    args = args[1:]
    try:
        import orjson
    except ImportError:
        sys.exit(3)

out = sys.stdout.buffer
n = 0
for path in args:
    with gzip.open(path, "rb") as f:
        data = f.read()
    if use_orjson:
        records = orjson.loads(data)["Records"]
        for r in records:
            out.write(orjson.dumps(r) + b"\n")
    else:
        records = json.loads(data)["Records"]
        for r in records:
            out.write((json.dumps(r, separators=(",", ":")) + "\n").encode())
    n += len(records)
out.flush()
sys.stderr.write(f"{n}\n")
