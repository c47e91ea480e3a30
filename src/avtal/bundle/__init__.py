"""Council matters: one folder per party with memo, attachments, merged PDF/A, zip, manifest."""

from avtal.bundle.matter import MANIFEST, load_matter
from avtal.bundle.tree import bundle, verify

__all__ = ["MANIFEST", "bundle", "load_matter", "verify"]
