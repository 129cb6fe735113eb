"""The home page: per role, what to do next (PRODUCT.md section 2; issue 15)."""
