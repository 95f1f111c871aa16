"""Thin DRF views of the marketplace app: accounts, reference data, worker profiles."""
