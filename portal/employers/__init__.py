"""Employers: self-registration now; company profile and slots follow."""
