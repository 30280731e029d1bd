#!/usr/bin/env python3
"""The Python peer of Shipdeck's signing scan: every certificate (DER, or PEM with its key)
parsed with `cryptography`, SHA-1 and dates read; every profile's CMS unwrapped with
`asn1crypto` and its plist read with plistlib, its certificates fingerprinted."""
import hashlib, os, plistlib, re, sys
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import serialization

d = sys.argv[1]
ids = profiles = 0
for name in sorted(os.listdir(d)):
    path = os.path.join(d, name)
    data = open(path, "rb").read()
    if name.endswith((".cer", ".der")):
        c = x509.load_der_x509_certificate(data)
        hashlib.sha1(data).hexdigest(); c.subject; c.not_valid_after_utc
        ids += 1
    elif name.endswith(".pem"):
        for m in re.finditer(rb"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", data, re.S):
            if m.group(1) == b"CERTIFICATE":
                c = x509.load_pem_x509_certificate(m.group(0))
                c.subject; c.not_valid_after_utc
                hashlib.sha1(c.public_bytes(serialization.Encoding.DER)).hexdigest()
                ids += 1
            else:
                serialization.load_pem_private_key(m.group(0), None)
    elif name.endswith((".mobileprovision", ".provisionprofile")):
        info = cms.ContentInfo.load(data)
        content = info["content"]["encap_content_info"]["content"].native
        p = plistlib.loads(content)
        [hashlib.sha1(c).hexdigest() for c in p.get("DeveloperCertificates", [])]
        p["ExpirationDate"]; p.get("Entitlements", {})
        profiles += 1
print(f"{ids} certificates, {profiles} profiles")
