"""Council matters: one folder per party with memo, attachments, merged PDF/A, zip, manifests."""

from avtal.bundle.matter import MANIFEST, SEALS, load_matter
from avtal.bundle.tree import bundle
from avtal.bundle.verify import verify

__all__ = ["MANIFEST", "SEALS", "bundle", "load_matter", "verify"]
