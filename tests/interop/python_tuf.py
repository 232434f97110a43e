#!/usr/bin/env python3
"""Interoperability with python-tuf, the TUF reference implementation.

Two commands, run by tests/tuf_interop.rs:

  rebuild <our-repo> <out-repo>
      Reads the targets of a repository our publisher wrote and builds a
      brand-new TUF repository holding exactly the same targets with
      python-tuf's Metadata API (its own keys, consistent snapshots). The
      kiosk must sync from it given only its root.json.

  fetch <our-repo-url> <trusted-root> <our-repo> <out-dir>
      Runs python-tuf's ngclient against a repository our publisher wrote:
      refresh the metadata from root.json, then download and verify every
      target. Prints "fetched <n> targets".
"""

import json
import os
import sys
from datetime import datetime, timedelta, timezone

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer
from tuf.ngclient import Updater


def our_targets(repo):
    """(name, bytes) of every target in our repository's newest targets.json."""
    with open(os.path.join(repo, "metadata", "timestamp.json")) as f:
        version = json.load(f)["signed"]["version"]
    with open(os.path.join(repo, "metadata", f"{version}.targets.json")) as f:
        listed = json.load(f)["signed"]["targets"]
    for name, info in sorted(listed.items()):
        folder, _, base = name.rpartition("/")
        stored = os.path.join(repo, "targets", folder, f"{info['hashes']['sha256']}.{base}")
        with open(stored, "rb") as f:
            yield name, f.read()


def write_json(metadata, path):
    metadata.to_file(path, JSONSerializer(compact=False))


def rebuild(source, out):
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    signers = {role: CryptoSigner.generate_ed25519() for role in ("root", "targets", "snapshot", "timestamp")}

    root = Root(expires=expires, consistent_snapshot=True)
    for role, signer in signers.items():
        root.add_key(signer.public_key, role)

    targets = Targets(version=1, expires=expires)
    os.makedirs(os.path.join(out, "metadata"), exist_ok=True)
    for name, data in our_targets(source):
        target = TargetFile.from_data(name, data, ["sha256"])
        targets.targets[name] = target
        folder, _, base = name.rpartition("/")
        stored_dir = os.path.join(out, "targets", folder)
        os.makedirs(stored_dir, exist_ok=True)
        with open(os.path.join(stored_dir, f"{target.hashes['sha256']}.{base}"), "wb") as f:
            f.write(data)

    snapshot = Snapshot(version=1, expires=expires, meta={"targets.json": MetaFile(version=1)})
    timestamp = Timestamp(version=1, expires=expires, snapshot_meta=MetaFile(version=1))

    for role, signed, filename in (
        ("root", root, "1.root.json"),
        ("targets", targets, "1.targets.json"),
        ("snapshot", snapshot, "1.snapshot.json"),
        ("timestamp", timestamp, "timestamp.json"),
    ):
        metadata = Metadata(signed)
        metadata.sign(signers[role])
        write_json(metadata, os.path.join(out, "metadata", filename))
    print(f"rebuilt {len(targets.targets)} targets")


def fetch(url, trusted_root, source, out):
    metadata_dir = os.path.join(out, "metadata")
    targets_dir = os.path.join(out, "targets")
    os.makedirs(metadata_dir, exist_ok=True)
    os.makedirs(targets_dir, exist_ok=True)
    with open(trusted_root, "rb") as f:
        root_bytes = f.read()
    updater = Updater(
        metadata_dir=metadata_dir,
        metadata_base_url=f"{url}/metadata/",
        target_base_url=f"{url}/targets/",
        target_dir=targets_dir,
        bootstrap=root_bytes,
    )
    updater.refresh()
    fetched = 0
    for name, expected in our_targets(source):
        info = updater.get_targetinfo(name)
        if info is None:
            sys.exit(f"python-tuf does not find target {name} in the signed metadata")
        path = updater.download_target(info, os.path.join(targets_dir, name.replace("/", "_")))
        with open(path, "rb") as f:
            if f.read() != expected:
                sys.exit(f"target {name}: python-tuf downloaded different bytes")
        fetched += 1
    print(f"fetched {fetched} targets")


def main(argv):
    if len(argv) == 4 and argv[1] == "rebuild":
        rebuild(argv[2], argv[3])
    elif len(argv) == 6 and argv[1] == "fetch":
        fetch(*argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
