"""Every write in the marketplace app: accounts, worker profiles, credentials, agencies."""
