"""Recomputes an S3 SigV4 presigned URL's signature with botocore (an independent implementation).

Usage: python3 s3_verify.py URL ACCESS_KEY SECRET_KEY REGION [HEADER:VALUE ...]
Prints "ok" when botocore computes the same signature for the same request, time and expiry;
otherwise prints both signatures and exits 1.
"""
import sys
import urllib.parse as up

from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url, access_key, secret_key, region, *header_args = sys.argv[1:]
parts = up.urlsplit(url)
query = dict(up.parse_qsl(parts.query))
headers = dict(h.split(":", 1) for h in header_args)

auth = S3SigV4QueryAuth(Credentials(access_key, secret_key), "s3", region, expires=int(query["X-Amz-Expires"]))
request = AWSRequest(method="PUT", url=f"{parts.scheme}://{parts.netloc}{parts.path}", headers=headers)
request.context["timestamp"] = query["X-Amz-Date"]
auth._modify_request_before_signing(request)
canonical = auth.canonical_request(request)
signature = auth.signature(auth.string_to_sign(request, canonical), request)
if signature == query["X-Amz-Signature"]:
    print("ok")
else:
    print(f"mismatch: botocore {signature} vs url {query['X-Amz-Signature']}\n{canonical}")
    sys.exit(1)
