"""The JSON API (/api/v1) for the systems around the portal, and the tokens they use."""
