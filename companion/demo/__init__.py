"""The demo organisation: built from O*NET data, loaded through the ordinary import path."""

from companion.demo.organisation import DemoOrganisation, generate_organisation
from companion.demo.service import DemoSummary, run_demo

__all__ = ["DemoOrganisation", "DemoSummary", "generate_organisation", "run_demo"]
