"""Candidates: pseudonymised profiles and locked-away identities (issue "Candidates").

Nothing lives here yet; the package exists so that the layout of the house is complete.
"""
